import type { Node, Pod, Taint } from 'kubernetes-types/core/v1';
import type { NodeResources } from './plugins/resource-requests';

/**
 * The kube-scheduler framework, reduced to the extension points Tabernetes uses: PreFilter, Filter,
 * PreScore, Score (+NormalizeScore, weights) and Reserve: NodeInfo, the plugin interfaces, Profile and the
 * helpers plugins share. One attempt over a snapshot (schedulePod, diagnosis, FitError message) is in
 * schedule-pod.ts.
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

/**
 * A cluster event the queue may requeue unschedulable pods on (kube's ClusterEvent). AssignedPod is a pod bound to a
 * node (Add: it got bound; Delete: deleted or terminated, its resources freed). Delete events carry only oldObj, Add only newObj.
 */
export interface ClusterEvent {
  resource: 'Node' | 'AssignedPod' | 'PersistentVolumeClaim' | 'PersistentVolume' | 'StorageClass';
  action: 'Add' | 'Update' | 'Delete';
  oldObj?: unknown;
  newObj?: unknown;
}

/**
 * EventsToRegister entry: the events that may make a pod this plugin rejected schedulable, and an optional
 * QueueingHintFn (true = Queue, false = QueueSkip; absent = Queue; a throw counts as Queue).
 */
export interface ClusterEventHint {
  resource: ClusterEvent['resource'];
  actions: readonly ClusterEvent['action'][];
  hint?(pod: Pod, ev: ClusterEvent, plugin: FilterPlugin): boolean;
}

export interface FilterPlugin {
  readonly name: string;
  /** EventsToRegister: which cluster events requeue a pod this plugin rejected (none: only the 5-minute flush). */
  readonly events?: readonly ClusterEventHint[];
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
