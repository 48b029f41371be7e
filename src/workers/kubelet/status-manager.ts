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
 * - Conflict (409): re-reads the pod, re-merges and retries, up to 8 times. NotFound (404): gives up quietly.
 *   Other errors are returned to nobody: set() never rejects.
 */
export class StatusManager {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly latest = new Map<string, PodStatus>();

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
    let current = pod;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const merged = mergeStatus(current.status ?? {}, status);
      if (!merged) return;
      try {
        const updated = await this.client.update<Pod>(Pods, { ...current, status: merged }, 'status');
        this.latest.set(uid, updated.status ?? merged);
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

/** The status to write, or undefined when nothing would change. */
export function mergeStatus(old: PodStatus, next: PodStatus): PodStatus | undefined {
  if (old.phase && TERMINAL.has(old.phase) && !TERMINAL.has(next.phase ?? '')) return undefined;
  const merged: PodStatus = structuredClone(next);
  for (const c of merged.conditions ?? []) {
    const was = old.conditions?.find((o) => o.type === c.type);
    if (was && was.status === c.status && was.lastTransitionTime) c.lastTransitionTime = was.lastTransitionTime;
  }
  if (old.startTime) merged.startTime = old.startTime;
  return stableJson(old) === stableJson(merged) ? undefined : merged;
}

function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}
