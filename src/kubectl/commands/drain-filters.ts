import type { Pod } from 'kubernetes-types/core/v1';

/** kubectl drain's options that decide which pods may go. */
export interface DrainFilterOptions {
  force: boolean;
  ignoreDaemonSets: boolean;
  deleteEmptyDirData: boolean;
  /** Answers whether the named DaemonSet exists: undefined = yes, else the API error's message and whether it was NotFound. */
  daemonSetError(namespace: string, name: string): Promise<{ message: string; notFound: boolean } | undefined>;
}

type Status = { delete: boolean; reason: 'okay' | 'skip' | 'warning' | 'error'; message: string };

const okay: Status = { delete: true, reason: 'okay', message: '' };
const warn = (del: boolean, message: string): Status => ({ delete: del, reason: 'warning', message });
const fail = (message: string): Status => ({ delete: false, reason: 'error', message });

const finished = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

/**
 * kubectl's drain filters, in its order (daemonset, mirror, local storage, unreplicated); the first that
 * keeps a pod decides, otherwise the last status wins (so an emptyDir warning is replaced by the
 * "no controller" one, as in kubectl).
 */
async function podStatus(pod: Pod, o: DrainFilterOptions): Promise<Status> {
  const controller = pod.metadata?.ownerReferences?.find((r) => r.controller);
  const filters: (() => Promise<Status> | Status)[] = [
    async () => {
      if (!controller || controller.kind !== 'DaemonSet') return okay;
      const err = await o.daemonSetError(pod.metadata?.namespace ?? '', controller.name);
      if (err) return err.notFound && o.force ? warn(true, err.message) : fail(err.message);
      if (!o.ignoreDaemonSets) return fail('DaemonSet-managed Pods (use --ignore-daemonsets to ignore)');
      return warn(false, 'ignoring DaemonSet-managed Pods');
    },
    () => (pod.metadata?.annotations?.['kubernetes.io/config.mirror'] !== undefined ? { delete: false, reason: 'skip', message: '' } : okay),
    () => {
      if (!(pod.spec?.volumes ?? []).some((v) => v.emptyDir) || finished(pod)) return okay;
      if (!o.deleteEmptyDirData) return fail('Pods with local storage (use --delete-emptydir-data to override)');
      return warn(true, 'deleting Pods with local storage');
    },
    () => {
      if (finished(pod) || controller) return okay;
      if (o.force) return warn(true, 'deleting Pods that declare no controller');
      return fail('cannot delete Pods that declare no controller (use --force to override)');
    },
  ];
  let status = okay;
  for (const f of filters) {
    status = await f();
    if (!status.delete) break;
  }
  return status;
}

/** "msg: ns/a, ns/b" groups, in first-seen order (kubectl iterates a map). */
function grouped(entries: { pod: Pod; status: Status }[], reason: Status['reason']): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const { pod, status } of entries) {
    if (status.reason !== reason) continue;
    const list = groups.get(status.message) ?? [];
    list.push(`${pod.metadata?.namespace}/${pod.metadata?.name}`);
    groups.set(status.message, list);
  }
  return [...groups];
}

/**
 * GetPodsForDeletion: the pods to evict or delete, the warning line ("ignoring …: ns/p; deleting …: ns/q",
 * '' when none) and the errors ("cannot delete <msg>: ns/p, ns/q"), which block the drain.
 */
export async function podsForDeletion(pods: Pod[], o: DrainFilterOptions): Promise<{ pods: Pod[]; warnings: string; errors: string[] }> {
  const entries: { pod: Pod; status: Status }[] = [];
  for (const pod of pods) entries.push({ pod, status: await podStatus(pod, o) });
  const errors = grouped(entries, 'error').map(([msg, names]) => `cannot delete ${msg}: ${names.join(', ')}`);
  const warnings = grouped(entries, 'warning')
    .map(([msg, names]) => `${msg}: ${names.join(', ')}`)
    .join('; ');
  return { pods: entries.filter((e) => e.status.delete).map((e) => e.pod), warnings, errors };
}

/** Go's time.Duration String() for whole milliseconds: "5s", "1m30s", "1h0m0s", "500ms". */
export function goDurationString(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  return (h ? `${h}h${m}m` : m ? `${m}m` : '') + `${s}s`;
}
