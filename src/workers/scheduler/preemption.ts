import type { Pod } from 'kubernetes-types/core/v1';
import { cycleState, type FilterStatus, type NodeInfo, type Profile } from './framework';
import { runFilters } from './schedule-pod';

export const ERR_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod';
export const ERR_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.';
export const ERR_TERMINATING_ON_NOMINATED = 'not eligible due to a terminating pod on the nominated node.';

export interface PreemptionCandidate {
  node: string;
  victims: Pod[];
}

/** ok: evict victims on node and nominate it; otherwise message is the "preemption: …" part of FailedScheduling. */
export type PreemptionResult = { ok: true; candidate: PreemptionCandidate; candidates: number } | { ok: false; message: string };

const terminal = (p: Pod) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
const startMs = (p: Pod) => Date.parse(p.status?.startTime ?? p.metadata?.creationTimestamp ?? '') || 0;

/**
 * DefaultPreemption (PostFilter). Only nodes rejected with a resolvable status are tried. On each, all pods
 * of lower priority are removed; if the pod then fits, victims are reprieved most important first
 * (higher priority, then earlier start) while it still fits. The node chosen has the lowest highest-victim
 * priority, then the lowest priority sum, then the fewest victims, then comes first. PodDisruptionBudgets
 * are not consulted. A node that still does not fit reports its filter reasons; one without lower-priority
 * pods reports "No preemption victims found for incoming pod".
 */
export function preempt(profile: Profile, pod: Pod, nodes: NodeInfo[], statuses: Map<string, FilterStatus>, priorityOf: (p: Pod) => number): PreemptionResult {
  if (pod.spec?.preemptionPolicy === 'Never') return { ok: false, message: `preemption: ${ERR_POLICY_NEVER}` };
  const prio = priorityOf(pod);
  const nominated = pod.status?.nominatedNodeName;
  if (nominated) {
    const ni = nodes.find((n) => n.node.metadata?.name === nominated);
    if (ni?.pods.some((p) => p.metadata?.deletionTimestamp && priorityOf(p) < prio) && statuses.get(nominated)?.code !== 'UnschedulableAndUnresolvable') {
      return { ok: false, message: `preemption: ${ERR_TERMINATING_ON_NOMINATED}` };
    }
  }
  const results = new Map<string, FilterStatus>();
  const candidates: PreemptionCandidate[] = [];
  for (const ni of nodes) {
    const name = ni.node.metadata?.name ?? '';
    const st = statuses.get(name);
    if (!st) continue;
    if (st.code === 'UnschedulableAndUnresolvable') {
      results.set(name, { code: 'UnschedulableAndUnresolvable', reasons: [ERR_NOT_HELPFUL] });
      continue;
    }
    const lower = ni.pods.filter((p) => !terminal(p) && priorityOf(p) < prio);
    if (!lower.length) {
      results.set(name, { code: 'UnschedulableAndUnresolvable', reasons: [ERR_NO_VICTIMS] });
      continue;
    }
    const kept = ni.pods.filter((p) => !lower.includes(p));
    const fits = (pods: Pod[]) => {
      const trial: NodeInfo = { node: ni.node, pods };
      const state = cycleState(nodes.map((n) => (n === ni ? trial : n)));
      for (const f of profile.filters) {
        const pre = f.preFilter?.(pod, state);
        if (pre) return pre;
      }
      return runFilters(profile, pod, trial, state);
    };
    const still = fits(kept);
    if (still) {
      results.set(name, still);
      continue;
    }
    const ordered = [...lower].sort((a, b) => priorityOf(b) - priorityOf(a) || startMs(a) - startMs(b));
    const victims: Pod[] = [];
    for (const p of ordered) {
      if (!fits([...kept, p])) kept.push(p);
      else victims.push(p);
    }
    candidates.push({ node: name, victims });
  }
  if (!candidates.length) {
    const counts = new Map<string, number>();
    for (const s of results.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    const hist = [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
    return { ok: false, message: `preemption: 0/${nodes.length} nodes are available: ${hist}.` };
  }
  const key = (c: PreemptionCandidate) => {
    const ps = c.victims.map(priorityOf);
    // kube sums priority + MaxInt32 + 1 so that negative priorities count as positive amounts.
    return [Math.max(...ps), ps.reduce((a, b) => a + b + 2 ** 31, 0), c.victims.length];
  };
  let best = candidates[0];
  for (const c of candidates.slice(1)) {
    const [a, b] = [key(c), key(best)];
    for (let i = 0; i < a.length; i++) {
      if (a[i] < b[i]) {
        best = c;
        break;
      }
      if (a[i] > b[i]) break;
    }
  }
  return { ok: true, candidate: best, candidates: candidates.length };
}
