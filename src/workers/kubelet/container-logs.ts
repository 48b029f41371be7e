import type { ContainerStatus as ApiContainerStatus, Pod, PodStatus } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import type { LogOptions } from '../../api/protocol';
import type { NodeDisk, RuntimeService } from '../runtime/cri';
import { goQuote } from './go-format';

export interface LogDeps {
  findPod(namespace: string, name: string): Pod | undefined;
  statusOf(pod: Pod): PodStatus | undefined;
  runtime: Pick<RuntimeService, 'containerStatus'>;
  disk: Pick<NodeDisk, 'readLog'>;
  now(): number;
}

/** The pod's log directory on the node disk, as kubelet names it. */
export function podLogDir(pod: Pod): string {
  return `/var/log/pods/${pod.metadata?.namespace}_${pod.metadata?.name}_${pod.metadata?.uid}`;
}

/** kubelet's container GC period (ContainerGCPeriod, 1 min of cluster time). */
export const CONTAINER_GC_MS = 60_000;
/** At most this many deleted pods keep their logs; beyond it the longest-deleted pod's logs go first. */
export const MAX_DELETED_POD_LOGS = 32;

/**
 * Deleted pods whose container logs stay readable until container GC, as the real kubelet keeps a deleted
 * pod's log files until its containers are garbage-collected: `kubectl logs` right after the delete and the
 * last poll of `kubectl logs -f` still see the final lines.
 *
 * Contracts: keep() at the moment the pod leaves the API (before its cleanup), with its last status; its
 * logs are removed on the second GC sweep after that (CONTAINER_GC_MS..2×CONTAINER_GC_MS later, so always
 * many log-follow polls of the same cluster clock), or earlier once more than `max` deleted pods are kept
 * (oldest first), or on dispose. Removal failures are ignored. find() answers by namespace/name, the most
 * recently deleted pod first; callers prefer a live pod of that name.
 */
export class DeletedPodLogs implements Disposable {
  private readonly kept = new Map<string, { pod: Pod; status: PodStatus | undefined; sweeps: number }>(); // uid → pod, oldest first
  private readonly timer: Disposable;

  constructor(
    clock: Pick<Clock, 'every'>,
    private readonly disk: Pick<NodeDisk, 'removeLogs'>,
    private readonly max = MAX_DELETED_POD_LOGS,
  ) {
    this.timer = clock.every(CONTAINER_GC_MS, () => this.sweep());
  }

  keep(pod: Pod, status: PodStatus | undefined): void {
    const uid = pod.metadata?.uid ?? '';
    this.kept.delete(uid);
    this.kept.set(uid, { pod, status, sweeps: 0 });
    for (const old of this.kept.keys()) {
      if (this.kept.size <= this.max) break;
      this.drop(old);
    }
  }

  find(namespace: string, name: string): Pod | undefined {
    let found: Pod | undefined;
    for (const { pod } of this.kept.values()) if (pod.metadata?.namespace === namespace && pod.metadata?.name === name) found = pod;
    return found;
  }

  /** The status kept with a deleted pod (undefined when the uid is not kept). */
  statusOf(uid: string): PodStatus | undefined {
    return this.kept.get(uid)?.status;
  }

  has(uid: string): boolean {
    return this.kept.has(uid);
  }

  dispose(): void {
    this.timer.dispose();
    for (const uid of [...this.kept.keys()]) this.drop(uid);
  }

  private sweep(): void {
    for (const [uid, e] of [...this.kept]) if (++e.sweeps >= 2) this.drop(uid);
  }

  private drop(uid: string): void {
    const e = this.kept.get(uid);
    if (!e) return;
    this.kept.delete(uid);
    void this.disk.removeLogs(podLogDir(e.pod)).catch(() => undefined);
  }
}

/**
 * kubectl logs as the kubelet serves it: picks the container instance (kubelet's validateContainerLogStatus,
 * with its error texts), reads its CRI log file and prints it. Rejects with an Error whose message is what
 * the apiserver puts in the Status.
 */
export async function containerLogs(deps: LogDeps, namespace: string, podName: string, container: string, opts: LogOptions): Promise<string> {
  const pod = deps.findPod(namespace, podName);
  if (!pod) throw new Error(`pod ${goQuote(podName)} cannot be found - no logs available`);
  const spec = pod.spec;
  const known = [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])].some((c) => c.name === container);
  if (!known) throw new Error(`container ${container} is not valid for pod ${podName}`);
  const status = deps.statusOf(pod) ?? {};
  const cs = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? []), ...(status.ephemeralContainerStatuses ?? [])].find((c) => c.name === container);
  if (!cs) throw new Error(`container ${goQuote(container)} in pod ${goQuote(podName)} is not available`);
  const { id, attempt } = pickInstance(cs, container, podName, opts.previous ?? false);
  let path = `${podLogDir(pod)}/${container}/${attempt}.log`;
  try {
    path = (await deps.runtime.containerStatus(id)).logPath || path;
  } catch {
    // the runtime no longer knows the container: fall back to kubelet's naming of the log file
  }
  const lines = (await deps.disk.readLog(path)) ?? [];
  return render(lines, opts, deps.now());
}

function pickInstance(cs: ApiContainerStatus, container: string, podName: string, previous: boolean): { id: string; attempt: number } {
  const last = cs.lastState?.terminated;
  const { waiting, running, terminated } = cs.state ?? {};
  const idOf = (cid: string) => cid.replace(/^[a-z]+:\/\//, '');
  const restarts = cs.restartCount ?? 0;
  if (previous) {
    if (!last?.containerID) throw new Error(`previous terminated container ${goQuote(container)} in pod ${goQuote(podName)} not found`);
    return { id: idOf(last.containerID), attempt: Math.max(0, restarts - (waiting ? 0 : 1)) };
  }
  if (running) return { id: idOf(cs.containerID ?? ''), attempt: restarts };
  if (terminated) {
    if (terminated.containerID) return { id: idOf(terminated.containerID), attempt: restarts };
    if (last?.containerID) return { id: idOf(last.containerID), attempt: Math.max(0, restarts - 1) };
    throw new Error(`container ${goQuote(container)} in pod ${goQuote(podName)} is terminated`);
  }
  if (last) {
    if (!last.containerID) throw new Error(`container ${goQuote(container)} in pod ${goQuote(podName)} is terminated`);
    return { id: idOf(last.containerID), attempt: restarts };
  }
  if (waiting) {
    const why =
      waiting.reason === 'ErrImagePull' ? "image can't be pulled" : waiting.reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : (waiting.reason ?? '');
    throw new Error(`container ${goQuote(container)} in pod ${goQuote(podName)} is waiting to start: ${why}`);
  }
  throw new Error(`container ${goQuote(container)} in pod ${goQuote(podName)} is waiting to start - no logs yet`);
}

interface LogLine {
  ts: string;
  text: string;
}

/** Parses CRI log lines ("<RFC3339Nano> <stream> <P|F> <text>"), joining partial (P) lines into whole ones. */
export function parseCriLog(lines: string[]): LogLine[] {
  const out: LogLine[] = [];
  let partial: LogLine | undefined;
  for (const raw of lines) {
    const a = raw.indexOf(' ');
    const b = raw.indexOf(' ', a + 1);
    const c = raw.indexOf(' ', b + 1);
    if (a < 0 || b < 0) continue;
    const ts = raw.slice(0, a);
    const tag = c < 0 ? raw.slice(b + 1) : raw.slice(b + 1, c);
    const text = c < 0 ? '' : raw.slice(c + 1);
    if (partial) partial.text += text;
    else partial = { ts, text };
    if (tag !== 'P') {
      out.push(partial);
      partial = undefined;
    }
  }
  if (partial) out.push(partial);
  return out;
}

/** RFC3339Nano as Go prints it: fractional seconds without trailing zeros. */
function goNano(ts: string): string {
  return ts.replace(/\.(\d*?)0+(?=Z|[+-]\d)/, (_m, d: string) => (d ? `.${d}` : ''));
}

function render(lines: string[], opts: LogOptions, now: number): string {
  let entries = parseCriLog(lines);
  if (opts.sinceSeconds !== undefined) {
    const from = now - opts.sinceSeconds * 1000;
    entries = entries.filter((e) => Date.parse(e.ts) >= from);
  }
  if (opts.tailLines !== undefined && opts.tailLines >= 0) entries = opts.tailLines === 0 ? [] : entries.slice(-opts.tailLines);
  let text = entries.map((e) => (opts.timestamps ? `${goNano(e.ts)} ${e.text}\n` : `${e.text}\n`)).join('');
  if (opts.limitBytes !== undefined && opts.limitBytes >= 0) {
    const bytes = new TextEncoder().encode(text);
    if (bytes.length > opts.limitBytes) text = new TextDecoder().decode(bytes.subarray(0, opts.limitBytes));
  }
  return text;
}
