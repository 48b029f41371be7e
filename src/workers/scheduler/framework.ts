import type { Node, Pod } from 'kubernetes-types/core/v1';

/**
 * The kube-scheduler framework, reduced to the extension points Tabernetes uses: Filter and Score.
 * A profile runs filters in order on every node, stopping at a node's first rejection (as RunFilterPlugins
 * does), then scores the feasible nodes and picks the highest total (ties: node name ascending).
 */

/** A node and the pods assigned to it (bound or assumed), as the scheduler's snapshot holds them. */
export interface NodeInfo {
  node: Node;
  pods: Pod[];
}

export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** A plugin's rejection: the reason goes into the FailedScheduling histogram verbatim. */
export interface FilterStatus {
  code: StatusCode;
  reason: string;
  plugin?: string;
}

export interface FilterPlugin {
  readonly name: string;
  /** null when the pod fits the node. */
  filter(pod: Pod, nodeInfo: NodeInfo): FilterStatus | null;
}

export interface ScorePlugin {
  readonly name: string;
  /** Higher is better; 0..100 (framework.MaxNodeScore). */
  score(pod: Pod, nodeInfo: NodeInfo, all: NodeInfo[]): number;
  readonly weight?: number;
}

export interface Profile {
  schedulerName: string;
  filters: FilterPlugin[];
  scores: ScorePlugin[];
}

export type ScheduleResult =
  | { ok: true; node: string; feasible: number }
  | { ok: false; message: string; statuses: Map<string, FilterStatus> };

/** The message of kube-scheduler's ErrNoNodesAvailable. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export function unschedulable(reason: string): FilterStatus {
  return { code: 'UnschedulableAndUnresolvable', reason };
}

/** Runs the profile against a snapshot. Deterministic for a given snapshot. */
export function schedulePod(profile: Profile, pod: Pod, nodes: NodeInfo[]): ScheduleResult {
  if (!nodes.length) return { ok: false, message: NO_NODES_AVAILABLE, statuses: new Map() };
  const statuses = new Map<string, FilterStatus>();
  const feasible: NodeInfo[] = [];
  for (const ni of nodes) {
    let rejected: FilterStatus | null = null;
    for (const f of profile.filters) {
      rejected = f.filter(pod, ni);
      if (rejected) {
        rejected = { ...rejected, plugin: f.name };
        break;
      }
    }
    if (rejected) statuses.set(ni.node.metadata?.name ?? '', rejected);
    else feasible.push(ni);
  }
  if (!feasible.length) return { ok: false, message: fitErrorMessage(nodes.length, statuses), statuses };
  let best: { name: string; score: number } | undefined;
  for (const ni of feasible) {
    const name = ni.node.metadata?.name ?? '';
    const score = profile.scores.reduce((sum, s) => sum + s.score(pod, ni, feasible) * (s.weight ?? 1), 0);
    if (!best || score > best.score || (score === best.score && name < best.name)) best = { name, score };
  }
  return { ok: true, node: best!.name, feasible: feasible.length };
}

/**
 * framework.FitError.Error() followed by DefaultPreemption's PostFilter message:
 * "0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 node(s) were unschedulable.
 *  preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
 * Reasons are counted into a histogram and sorted as strings. Preemption is not implemented, so nodes
 * rejected for resolvable reasons report "No preemption victims found for incoming pod."
 */
export function fitErrorMessage(numAllNodes: number, statuses: Map<string, FilterStatus>): string {
  const histogram = (entries: string[]) => {
    const counts = new Map<string, number>();
    for (const r of entries) counts.set(r, (counts.get(r) ?? 0) + 1);
    return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
  };
  const reasons = [...statuses.values()].map((s) => s.reason);
  let msg = `0/${numAllNodes} nodes are available:`;
  if (reasons.length) msg += ` ${histogram(reasons)}.`;
  const preemption = [...statuses.values()].map((s) =>
    s.code === 'UnschedulableAndUnresolvable' ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod',
  );
  msg += ` preemption: 0/${numAllNodes} nodes are available: ${histogram(preemption)}.`;
  return msg;
}
