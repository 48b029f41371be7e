import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import { Pods } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';

const TERMINAL = new Set(['Succeeded', 'Failed']);
const MAX_ATTEMPTS = 8;

/**
 * The kubelet's status manager: writes the status the kubelet generated through PUT pods/NAME/status.
 *
 * Contracts:
 * - Writes for one pod are serialised in call order; set() resolves once the write is done (or given up).
 * - A condition whose status did not change keeps its previous lastTransitionTime.
 * - A pod the API already reports Succeeded/Failed is never moved back to a non-terminal phase.
 * - Nothing is written when the merged status equals the one the API holds.
 * - A write starts from the newer (by resourceVersion) of the pod it is given and the pod the last write
 *   returned, so consecutive writes of one sync do not conflict on the caller's stale copy.
 * - Conflict (409): re-reads the pod, re-merges and retries, up to 8 times. NotFound (404): gives up quietly.
 *   Other errors are returned to nobody: set() never rejects.
 */
export class StatusManager {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly latest = new Map<string, PodStatus>();
  /** uid → the pod as the last successful write returned it. */
  private readonly written = new Map<string, Pod>();

  constructor(private readonly client: ApiClient) {}

  /** The last status written or seen for the pod uid. */
  get(uid: string): PodStatus | undefined {
    return this.latest.get(uid);
  }

  /** Seeds the cache from a pod as the API reports it (used when the kubelet adopts existing pods). */
  observe(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (uid && pod.status && !this.latest.has(uid)) this.latest.set(uid, pod.status);
  }

  forget(uid: string): void {
    this.latest.delete(uid);
    this.written.delete(uid);
  }

  set(pod: Pod, status: PodStatus): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const prev = this.chains.get(uid) ?? Promise.resolve();
    const next = prev.then(() => this.write(pod, status)).catch(() => undefined);
    this.chains.set(uid, next);
    void next.then(() => {
      if (this.chains.get(uid) === next) this.chains.delete(uid);
    });
    return next;
  }

  /** Resolves when every write queued so far has finished. */
  async flush(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private async write(pod: Pod, status: PodStatus): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    let current = newer(pod, this.written.get(uid));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const merged = mergeStatus(current.status ?? {}, status);
      if (!merged) return;
      try {
        const updated = await this.client.update<Pod>(Pods, { ...current, status: merged }, 'status');
        this.latest.set(uid, updated.status ?? merged);
        if (updated.metadata?.uid === uid) this.written.set(uid, updated);
        return;
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        if (err.code === 404) return;
        if (err.code !== 409) throw err;
        try {
          current = await this.client.get<Pod>(Pods, pod.metadata?.name ?? '', pod.metadata?.namespace);
        } catch (e) {
          if (e instanceof ApiError && e.code === 404) return;
          throw e;
        }
        if (current.metadata?.uid !== uid) return;
      }
    }
  }
}

/**
 * The later of two copies of one pod: resourceVersions compared as integers when both are (ours are; anything
 * else keeps `given`). Only a starting point: a wrong pick costs a 409 and a re-read, never a lost update.
 */
function newer(given: Pod, written: Pod | undefined): Pod {
  const a = given.metadata?.resourceVersion;
  const b = written?.metadata?.resourceVersion;
  if (!written || !a || !b || !/^\d+$/.test(a) || !/^\d+$/.test(b)) return given;
  return b.length > a.length || (b.length === a.length && b > a) ? written : given;
}

/** The status to write, or undefined when nothing would change. */
export function mergeStatus(old: PodStatus, next: PodStatus): PodStatus | undefined {
  if (old.phase && TERMINAL.has(old.phase) && !TERMINAL.has(next.phase ?? '')) return undefined;
  // Only conditions' lastTransitionTime and startTime are changed below: copy those levels, share the rest.
  const merged: PodStatus = next.conditions ? { ...next, conditions: next.conditions.map((c) => ({ ...c })) } : { ...next };
  for (const c of merged.conditions ?? []) {
    const was = old.conditions?.find((o) => o.type === c.type);
    if (was && was.status === c.status && was.lastTransitionTime) c.lastTransitionTime = was.lastTransitionTime;
  }
  if (old.startTime) merged.startTime = old.startTime;
  return jsonEqual(old, merged) ? undefined : merged;
}

/** Equal as JSON values: object key order and undefined-valued keys do not matter (as in a JSON round trip). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i] ?? null, b[i] ?? null)) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let n = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    if (!jsonEqual(x[k], y[k])) return false;
    n++;
  }
  for (const k in y) if (y[k] !== undefined) n--;
  return n === 0;
}
