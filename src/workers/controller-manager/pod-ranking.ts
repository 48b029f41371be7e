import type { Pod } from 'kubernetes-types/core/v1';
import { isPodActive, isPodReady } from './pod-utils';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

const ms = (t: string | undefined) => (t ? Date.parse(t) : 0);
const readyTime = (p: Pod) => (isPodReady(p) ? ms(p.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime) : 0);
const restarts = (p: Pod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
const cost = (p: Pod) => {
  const v = Number(p.metadata?.annotations?.[DELETION_COST]);
  return Number.isInteger(v) ? v : 0;
};
/** afterOrZero: a zero time sorts first, then the later time. */
const afterOrZero = (a: number, b: number) => (!a || !b ? !a : a > b);
const logRank = (t: number, now: number) => (now - t > 0 ? Math.floor(Math.log2((now - t) * 1e6)) : -1);

/**
 * controller.ActivePodsWithRanks.Less (LogarithmicScaleDown and PodDeletionCost on, as in 1.32): true when a
 * should be deleted before b. Order: unassigned < assigned; Pending < Unknown < Running; not ready < ready;
 * lower pod-deletion-cost; more co-located related pods (rank); ready for less time (log2 buckets); more
 * container restarts; newer creation (log2 buckets); ties within a bucket by uid.
 */
export function deletePreferred(a: Pod, b: Pod, rankA: number, rankB: number, now: number): boolean {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (!na || !nb)) return !na;
  const pa = PHASE_ORDINAL[a.status?.phase ?? ''] ?? 0;
  const pb = PHASE_ORDINAL[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa < pb;
  if (isPodReady(a) !== isPodReady(b)) return !isPodReady(a);
  if (cost(a) !== cost(b)) return cost(a) < cost(b);
  if (rankA !== rankB) return rankA > rankB;
  const byTime = (ta: number, tb: number): boolean | undefined => {
    if (ta === tb) return undefined;
    if (!ta || !tb) return afterOrZero(ta, tb);
    const d = logRank(ta, now) - logRank(tb, now);
    return d === 0 ? (a.metadata?.uid ?? '') < (b.metadata?.uid ?? '') : d < 0;
  };
  if (isPodReady(a) && isPodReady(b)) {
    const r = byTime(readyTime(a), readyTime(b));
    if (r !== undefined) return r;
  }
  if (restarts(a) !== restarts(b)) return restarts(a) > restarts(b);
  return byTime(ms(a.metadata?.creationTimestamp), ms(b.metadata?.creationTimestamp)) ?? false;
}

/**
 * getPodsToDelete: the n pods of `pods` to delete first, ranking each by how many active pods of `related`
 * (pods of the same owner, or of all its owner's ReplicaSets) share its node.
 */
export function podsToDelete(pods: Pod[], related: Pod[], n: number, now: number): Pod[] {
  if (n >= pods.length) return [...pods];
  const onNode = new Map<string, number>();
  for (const p of related) if (isPodActive(p)) onNode.set(p.spec?.nodeName ?? '', (onNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
  const ranked = pods.map((p) => ({ p, rank: onNode.get(p.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => (deletePreferred(x.p, y.p, x.rank, y.rank, now) ? -1 : deletePreferred(y.p, x.p, y.rank, x.rank, now) ? 1 : 0));
  return ranked.slice(0, n).map((r) => r.p);
}
