import type { Pod } from 'kubernetes-types/core/v1';
import { Pods, resourcePath } from '../../api/resources';
import { labelSelectorAsSelector, selectorFromSet } from '../../api/label-selector';
import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';

type Selectable = { kind?: string; metadata?: { name?: string }; spec?: { selector?: unknown } };

/**
 * The pod label selector of a workload, as kubectl's SelectorsForObject: ReplicaSet, Deployment,
 * StatefulSet, DaemonSet and Job use spec.selector (a LabelSelector); ReplicationController and Service
 * a label map. Errors are kubectl's words.
 */
export function selectorForObject(obj: Selectable): string {
  const kind = obj.kind ?? '';
  const sel = obj.spec?.selector;
  if (kind === 'Service' || kind === 'ReplicationController') {
    const set = (sel ?? {}) as Record<string, string>;
    if (kind === 'Service' && Object.keys(set).length === 0) throw new RawError(`error: invalid service '${obj.metadata?.name}': Service is defined without a selector`);
    return selectorFromSet(set).toString();
  }
  if (!['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job'].includes(kind)) throw new RawError(`error: cannot attach to *v1.${kind}: selector for *v1.${kind} not implemented`);
  const s = labelSelectorAsSelector(sel as never);
  return s === 'nothing' ? '' : s.toString();
}

const phaseRank: Record<string, number> = { Running: 0, Unknown: 1, Pending: 2 };
const isReady = (p: Pod) => !!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);

/** kubectl's podutils.ByLogging: assigned first, then Running < Unknown < Pending, ready first, more restarts first, older first. */
export function byLogging(a: Pod, b: Pod): number {
  const assigned = (p: Pod) => (p.spec?.nodeName ? 0 : 1);
  if (assigned(a) !== assigned(b)) return assigned(a) - assigned(b);
  const ra = phaseRank[a.status?.phase ?? ''] ?? 3;
  const rb = phaseRank[b.status?.phase ?? ''] ?? 3;
  if (ra !== rb) return ra - rb;
  if (isReady(a) !== isReady(b)) return isReady(a) ? -1 : 1;
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/**
 * The pod `kubectl logs TYPE/NAME` (and exec/attach) uses for a workload: the first of its pods by
 * ByLogging, announcing `Found N pods, using pod/x` on stderr when there are several. Rejects with the
 * API error when the object does not exist, and with kubectl's timeout error when it has no pods.
 */
export async function podForObject(ctx: CommandContext, type: string, name: string): Promise<string> {
  const mapper = await ctx.mapper();
  const info = mapper.resolve(type);
  if (info.kind === 'Pod') return name;
  const ns = ctx.namespace;
  const obj = await ctx.io.client.call<Selectable>({ method: 'GET', path: resourcePath(info, ns, name) });
  const selector = selectorForObject({ ...obj, kind: obj.kind ?? info.kind });
  const list = await ctx.io.client.call<{ items: Pod[] }>({ method: 'GET', path: resourcePath(Pods, ns), query: selector ? { labelSelector: selector } : {} });
  const pods = [...list.items].sort(byLogging);
  if (pods.length === 0) throw new RawError('error: timed out waiting for the condition');
  if (pods.length > 1) ctx.err(`Found ${pods.length} pods, using pod/${pods[0].metadata?.name}\n`);
  return pods[0].metadata?.name ?? '';
}
