import type { Node, Pod, Taint } from 'kubernetes-types/core/v1';
import type { NodeResources } from './plugins/resource-requests';

/**
 * The kube-scheduler framework, reduced to the extension points Tabernetes uses: PreFilter, Filter,
 * PreScore, Score (+NormalizeScore, weights) and selectHost. A profile runs filters in order on each node,
 * stopping at a node's first rejection (RunFilterPlugins), visiting nodes round-robin from the last
 * attempt's stop point and stopping once numFeasibleNodesToFind nodes fit (percentageOfNodesToScore,
 * adaptive). Feasible nodes are scored; the highest weighted sum wins, ties broken by reservoir sampling.
 * Every attempt yields a Diagnosis: each evaluated node's per-plugin filter results and scores.
 */

/**
 * A node and the pods assigned to it (bound, assumed, or nominated with higher priority). A NodeInfo is
 * never mutated: a change makes a new object, so data derived from it may be memoized on it.
 */
export interface NodeInfo {
  node: Node;
  pods: Pod[];
  /** Memo of nodeResources(this) (plugins/resource-requests); absent until first computed. */
  resources?: NodeResources;
  /** Memo of nodeFacts(this); absent until first computed (NodeInfoCache carries it while the Node object is unchanged). */
  facts?: NodeFacts;
}

/**
 * What the per-node filters read from the Node on every attempt, in one small object: the hot loop touches
 * it instead of chasing node → metadata/spec/status/conditions (the cost at thousands of nodes is memory, not arithmetic).
 */
export interface NodeFacts {
  name: string;
  /** The Ready condition's status (undefined when there is none). */
  ready: string | undefined;
  unschedulable: boolean;
  taints: Taint[] | undefined;
}

const factsByNode = new WeakMap<Node, NodeFacts>();

export function nodeFacts(ni: NodeInfo): NodeFacts {
  let f = ni.facts;
  if (f) return f;
  const node = ni.node;
  f = factsByNode.get(node);
  if (!f) {
    let ready: string | undefined;
    for (const c of node.status?.conditions ?? []) {
      if (c.type === 'Ready') {
        ready = c.status;
        break;
      }
    }
    f = { name: node.metadata?.name ?? '', ready, unschedulable: !!node.spec?.unschedulable, taints: node.spec?.taints };
    factsByNode.set(node, f);
  }
  ni.facts = f;
  return f;
}

export type StatusCode = 'Unschedulable' | 'UnschedulableAndUnresolvable';

/** A plugin's rejection: each reason goes into the FailedScheduling histogram verbatim. */
export interface FilterStatus {
  code: StatusCode;
  reasons: string[];
  plugin?: string;
  /** Set on every node's status when a PreFilter rejected the pod: FitError then shows the reasons once, not a histogram. */
  preFilter?: boolean;
}

/** A pod with pod (anti-)affinity terms and the node it is on (kube's PodsWithAffinity). */
export interface AffinityPod {
  pod: Pod;
  node: string;
}

/** Per-attempt data shared by the plugins (kube's CycleState): the whole snapshot and plugin scratch. */
export interface CycleState {
  all: NodeInfo[];
  /** Node name → NodeInfo (built on first use). */
  readonly byName: Map<string, NodeInfo>;
  data: Map<string, unknown>;
  /** Every placed pod with pod (anti-)affinity, when the caller indexes them; otherwise plugins scan all pods. */
  affinityPods?: AffinityPod[];
}

export interface FilterPlugin {
  readonly name: string;
  /** Runs once per attempt; a status rejects the pod on every node (e.g. unsatisfiable affinity). */
  preFilter?(pod: Pod, state: CycleState): FilterStatus | null;
  /**
   * kube's PreFilter Skip: asked once per attempt after every preFilter passed; true means filter() would
   * pass this pod on every node, so the attempt does not call it (the diagnosis still shows it passed).
   */
  skip?(pod: Pod, state: CycleState): boolean;
  /** null when the pod fits the node. */
  filter(pod: Pod, nodeInfo: NodeInfo, state: CycleState): FilterStatus | null;
}

export interface ScorePlugin {
  readonly name: string;
  /** false: the plugin has nothing to say for this pod (kube's Skip); it is left out of the sum. */
  preScore?(pod: Pod, feasible: NodeInfo[], state: CycleState): boolean;
  /** Raw score; after normalize it must be 0..100 (framework.MaxNodeScore). */
  score(pod: Pod, nodeInfo: NodeInfo, state: CycleState): number;
  /** NormalizeScore: rewrite the raw scores (one per feasible node, in order) in place. */
  normalize?(scores: number[], pod: Pod, state: CycleState): void;
  readonly weight: number;
}

/**
 * Reserve + PreBind (kube's VolumeBinding is the one user): reserve runs in the scheduling cycle on the chosen
 * node (a string is the failure message; unreserve then runs for the plugins reserved so far); preBind runs in
 * the binding cycle before the pod's Binding and may wait; a rejection un-reserves and retries the pod.
 */
export interface ReservePlugin {
  readonly name: string;
  reserve(pod: Pod, node: NodeInfo): string | null;
  unreserve(pod: Pod, node: string): void;
  preBind(pod: Pod, node: string): Promise<void>;
}

export interface Profile {
  schedulerName: string;
  filters: FilterPlugin[];
  scores: ScorePlugin[];
  /** Reserve/PreBind plugins in order (none by default). */
  reserve?: ReservePlugin[];
  /** 0 = adaptive (kube's default); otherwise 1..100. */
  percentageOfNodesToScore?: number;
}

export const MAX_NODE_SCORE = 100;

/** Why a node was or was not chosen: filter results in plugin order, then (if feasible) scores. */
export interface NodeDiagnosis {
  node: string;
  filters: { plugin: string; passed: boolean; reasons?: string[]; code?: StatusCode }[];
  scores?: { plugin: string; raw: number; normalized: number; weight: number }[];
  total?: number;
}

export interface Diagnosis {
  nodes: NodeDiagnosis[];
  /** A PreFilter rejection that applies to all nodes. */
  preFilter?: { plugin: string; reasons: string[] };
  evaluated: number;
  feasible: number;
  selected?: string;
}

/** diagnosis is computed on first read from record (the attempt itself records only names, statuses and score arrays). */
export type ScheduleResult =
  | { ok: true; node: string; feasible: number; record: AttemptRecord; readonly diagnosis: Diagnosis }
  | { ok: false; message: string; statuses: Map<string, FilterStatus>; record: AttemptRecord; readonly diagnosis: Diagnosis; numAllNodes: number };

export interface ScheduleOptions {
  /** Index in nodes to start visiting from (kube's nextStartNodeIndex). */
  start?: number;
  /** A uniform integer in [0, n): reservoir sampling among equal top scores. Default: always 0 (first wins). */
  randomInt?: (n: number) => number;
  /** Evaluate this node first and take it if it fits (status.nominatedNodeName after preemption). */
  nominated?: string;
  /** The index of placed pods with pod (anti-)affinity (see CycleState.affinityPods). */
  affinityPods?: AffinityPod[];
}

/** The message of kube-scheduler's ErrNoNodesAvailable. */
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export function unschedulable(...reasons: string[]): FilterStatus {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}

export function resolvable(...reasons: string[]): FilterStatus {
  return { code: 'Unschedulable', reasons };
}

export function cycleState(all: NodeInfo[], affinityPods?: AffinityPod[]): CycleState {
  let byName: Map<string, NodeInfo> | undefined;
  return {
    all,
    get byName() {
      return (byName ??= new Map(all.map((ni) => [nodeFacts(ni).name, ni])));
    },
    data: new Map(),
    affinityPods,
  };
}

/** kube's numFeasibleNodesToFind: all below 100 nodes; else max(100, n·max(5, 50 − n/125)%) (or the set percentage). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < 100 || percentage >= 100) return numAllNodes;
  let adaptive = percentage;
  if (adaptive <= 0) adaptive = Math.max(5, 50 - Math.trunc(numAllNodes / 125));
  const n = Math.trunc((numAllNodes * adaptive) / 100);
  return n < 100 ? 100 : n;
}

/** Runs filters (default: the profile's, in order) on one node; the first rejection ends it. */
export function runFilters(profile: Profile, pod: Pod, ni: NodeInfo, state: CycleState, filters: readonly FilterPlugin[] = profile.filters): FilterStatus | null {
  for (let i = 0; i < filters.length; i++) {
    const f = filters[i];
    const st = f.filter(pod, ni, state);
    if (st) return { ...st, plugin: f.name };
  }
  return null;
}

/** Runs the profile against a snapshot. Deterministic for a given snapshot, start and randomInt. */
export function schedulePod(profile: Profile, pod: Pod, nodes: NodeInfo[], opts: ScheduleOptions = {}): ScheduleResult {
  const statuses = new Map<string, FilterStatus>();
  const rec: AttemptRecord = { profile, evaluated: [], statuses, feasible: [], scores: [], totals: [] };
  const diagnosisOf = () => {
    let memo: Diagnosis | undefined;
    return { get: () => (memo ??= expandDiagnosis(rec)) };
  };
  const d = diagnosisOf();
  const fail = (message: string): ScheduleResult => ({ ok: false, message, statuses, numAllNodes: nodes.length, record: rec, get diagnosis() { return d.get(); } });
  const done = (node: string): ScheduleResult => {
    rec.selected = node;
    return { ok: true, node, feasible: rec.feasible.length, record: rec, get diagnosis() { return d.get(); } };
  };
  if (!nodes.length) return fail(NO_NODES_AVAILABLE);
  const state = cycleState(nodes, opts.affinityPods);
  for (const f of profile.filters) {
    const st = f.preFilter?.(pod, state);
    if (st) {
      rec.preFilter = { plugin: f.name, reasons: st.reasons };
      for (const ni of nodes) statuses.set(nodeFacts(ni).name, { ...st, plugin: f.name, preFilter: true });
      return fail(fitErrorMessage(nodes.length, statuses));
    }
  }
  const filters = profile.filters.filter((f) => !f.skip?.(pod, state));
  const check = (ni: NodeInfo): boolean => {
    const name = nodeFacts(ni).name;
    rec.evaluated.push(name);
    const st = runFilters(profile, pod, ni, state, filters);
    if (st) statuses.set(name, st);
    return !st;
  };
  if (opts.nominated) {
    const ni = state.byName.get(opts.nominated);
    if (ni && check(ni)) {
      rec.feasible.push(opts.nominated);
      return done(opts.nominated);
    }
  }
  const want = numFeasibleNodesToFind(nodes.length, profile.percentageOfNodesToScore);
  const feasible: NodeInfo[] = [];
  const start = (opts.start ?? 0) % nodes.length;
  for (let i = 0; i < nodes.length && feasible.length < want; i++) {
    const ni = nodes[(start + i) % nodes.length];
    if (opts.nominated && nodeFacts(ni).name === opts.nominated) continue;
    if (check(ni)) {
      feasible.push(ni);
      rec.feasible.push(nodeFacts(ni).name);
    }
  }
  if (!feasible.length) return fail(fitErrorMessage(nodes.length, statuses));
  if (feasible.length === 1) return done(rec.feasible[0]);
  const totals = new Array<number>(feasible.length).fill(0);
  for (const s of profile.scores) {
    if (s.preScore && !s.preScore(pod, feasible, state)) continue;
    const raw = feasible.map((ni) => s.score(pod, ni, state));
    const normalized = s.normalize ? raw.slice() : raw;
    s.normalize?.(normalized, pod, state);
    for (let i = 0; i < totals.length; i++) totals[i] += normalized[i] * s.weight;
    rec.scores.push({ plugin: s.name, weight: s.weight, raw, normalized });
  }
  rec.totals = totals;
  // selectHost: reservoir sampling among the nodes sharing the top score.
  let best = 0;
  let count = 0;
  for (let i = 0; i < totals.length; i++) {
    if (totals[i] > totals[best] || count === 0) {
      best = i;
      count = 1;
    } else if (totals[i] === totals[best]) {
      count++;
      if ((opts.randomInt?.(count) ?? 1) === 0) best = i;
    }
  }
  return done(rec.feasible[best]);
}

/** What an attempt keeps (cheap to record); expandDiagnosis turns it into the per-node, per-plugin view. */
export interface AttemptRecord {
  profile: Profile;
  preFilter?: { plugin: string; reasons: string[] };
  /** Node names in evaluation order. */
  evaluated: string[];
  /** Rejected nodes' statuses (plugin set). */
  statuses: Map<string, FilterStatus>;
  /** Feasible node names; scores and totals are aligned with it. */
  feasible: string[];
  scores: { plugin: string; weight: number; raw: number[]; normalized: number[] }[];
  totals: number[];
  selected?: string;
}

/** Filters before a node's rejecting plugin passed, the rest did not run; feasible nodes passed all. */
export function expandDiagnosis(rec: AttemptRecord): Diagnosis {
  const feasibleAt = new Map(rec.feasible.map((n, i) => [n, i]));
  const nodes: NodeDiagnosis[] = rec.evaluated.map((node) => {
    const st = rec.statuses.get(node);
    const filters: NodeDiagnosis['filters'] = [];
    for (const f of rec.profile.filters) {
      if (st?.plugin === f.name) {
        filters.push({ plugin: f.name, passed: false, reasons: st.reasons, code: st.code });
        break;
      }
      filters.push({ plugin: f.name, passed: true });
    }
    const i = feasibleAt.get(node);
    if (i === undefined || !rec.scores.length) return { node, filters };
    return {
      node,
      filters,
      scores: rec.scores.map((s) => ({ plugin: s.plugin, raw: s.raw[i], normalized: s.normalized[i], weight: s.weight })),
      total: rec.totals[i],
    };
  });
  return { nodes, preFilter: rec.preFilter, evaluated: rec.evaluated.length, feasible: rec.feasible.length, selected: rec.selected };
}

function histogram(entries: string[]): string {
  const counts = new Map<string, number>();
  for (const r of entries) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

/**
 * framework.FitError.Error(): "0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu."
 * Every reason of every node's status is counted; entries are sorted as strings; after a PreFilter rejection
 * (statuses marked preFilter) its reasons appear once instead: "0/3 nodes are available: pod has unbound immediate
 * PersistentVolumeClaims. preemption: …". postFilterMsg (the
 * preemption outcome) follows after a space when given; fitErrorMessage without it appends the default
 * "preemption: …" part computed from the statuses (no victims anywhere).
 */
export function fitErrorMessage(numAllNodes: number, statuses: Map<string, FilterStatus>, postFilterMsg?: string): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  const first = statuses.values().next().value;
  if (first?.preFilter) msg += ` ${first.reasons.join(', ')}.`;
  else {
    const reasons = [...statuses.values()].flatMap((s) => s.reasons);
    if (reasons.length) msg += ` ${histogram(reasons)}.`;
  }
  const post = postFilterMsg ?? noVictimsMessage(numAllNodes, statuses);
  return post ? `${msg} ${post}` : msg;
}

/** DefaultPreemption's message when no node yields a candidate. */
export function noVictimsMessage(numAllNodes: number, statuses: Map<string, FilterStatus>, notHelped?: Set<string>): string {
  const parts = [...statuses].map(([name, s]) =>
    s.code === 'UnschedulableAndUnresolvable' || notHelped?.has(name) ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod',
  );
  return `preemption: 0/${numAllNodes} nodes are available: ${histogram(parts)}.`;
}

/** helper.DefaultNormalizeScore: scale to 0..100 by the max; reverse flips (100 − s); all-zero stays 0 (or 100 reversed). */
export function defaultNormalizeScore(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const v of scores) max = Math.max(max, v);
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) scores[i] = reverse ? MAX_NODE_SCORE : scores[i];
    else {
      const s = Math.trunc((MAX_NODE_SCORE * scores[i]) / max);
      scores[i] = reverse ? MAX_NODE_SCORE - s : s;
    }
  }
}
