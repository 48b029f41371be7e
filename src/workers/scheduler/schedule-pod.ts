import type { Pod } from 'kubernetes-types/core/v1';
import type { IdSource } from '../../api/ids';
import { cycleState, type AffinityPod, type CycleState, type FilterPlugin, type FilterStatus, type NodeInfo, nodeFacts, type Profile, type StatusCode } from './framework';

/**
 * One scheduling attempt over a snapshot (the framework's RunFilterPlugins/RunScorePlugins and selectHost):
 * PreFilter, then filters in order on each node, stopping at a node's first rejection, visiting nodes
 * round-robin from the last attempt's stop point and stopping once numFeasibleNodesToFind nodes fit
 * (percentageOfNodesToScore, adaptive). Feasible nodes are scored; the highest weighted sum wins, ties broken
 * by reservoir sampling. Every attempt yields a Diagnosis (computed lazily from its AttemptRecord), and a
 * failed one FitError's message (fitErrorMessage).
 */

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

/**
 * selectHost's randomInt over ids: a uniform-enough integer in [0, n) per call, from random bytes taken from ids
 * 4 KiB at a time (not 4 bytes per draw: it draws once per tied node).
 */
export function randomIntFrom(ids: IdSource): (n: number) => number {
  let rnd: Uint8Array = new Uint8Array(0);
  let at = 0;
  return (n) => {
    if (at + 4 > rnd.length) {
      rnd = ids.bytes(4096);
      at = 0;
    }
    const i = at;
    at += 4;
    return (((rnd[i] << 24) | (rnd[i + 1] << 16) | (rnd[i + 2] << 8) | rnd[i + 3]) >>> 0) % n;
  };
}
