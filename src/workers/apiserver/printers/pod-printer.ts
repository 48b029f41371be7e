import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import { humanDuration, timestampSince } from '../../../api/duration';
import { ageColumn, column, nameColumn, type TableColumn } from '../registry/strategy';

/** printPod from pkg/printers/internalversion (1.32): the server always prints the wide cells. */
export const podColumns: TableColumn[] = [
  nameColumn,
  column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'string', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn,
  column('IP', 'string', 'podIP is the IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
  column('Node', 'string', 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename', 1),
  column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.', 1),
  column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates', 1),
];

const hasReady = (conds: PodCondition[] | undefined) => (conds ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const initializedTrue = (conds: PodCondition[] | undefined) => (conds ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');

/** Row conditions kube attaches for finished pods (kubectl hides Completed rows with --show-all=false, historically). */
export function podRowConditions(pod: Pod): Array<Record<string, string>> | undefined {
  if (pod.status?.phase === 'Succeeded') return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  if (pod.status?.phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return undefined;
}

export function podStatusReason(pod: Pod): { reason: string; ready: number; total: number; restarts: number; lastRestart: number } {
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = (spec.containers ?? []).length;
  let ready = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  const phase = status.phase ?? '';
  let reason: string = status.reason || phase;
  for (const c of status.conditions ?? []) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';

  const inits = new Map((spec.initContainers ?? []).map((c) => [c.name, c]));
  const isSidecar = (name: string) => inits.get(name)?.restartPolicy === 'Always';
  for (const c of spec.initContainers ?? []) if (c.restartPolicy === 'Always') total++;

  const finishedAt = (t: { finishedAt?: string } | undefined) => (t?.finishedAt ? Date.parse(t.finishedAt) : 0);
  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    restarts += c.restartCount ?? 0;
    const term = c.lastState?.terminated;
    if (term) lastRestart = Math.max(lastRestart, finishedAt(term));
    if (isSidecar(c.name)) {
      sidecarRestarts += c.restartCount ?? 0;
      if (term) lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(term));
    }
    const st = c.state ?? {};
    if (st.terminated && st.terminated.exitCode === 0) continue;
    if (isSidecar(c.name) && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (st.terminated) {
      if (!st.terminated.reason) reason = st.terminated.signal ? `Init:Signal:${st.terminated.signal}` : `Init:ExitCode:${st.terminated.exitCode}`;
      else reason = `Init:${st.terminated.reason}`;
    } else if (st.waiting?.reason && st.waiting.reason !== 'PodInitializing') {
      reason = `Init:${st.waiting.reason}`;
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || initializedTrue(status.conditions)) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const cs = status.containerStatuses ?? [];
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i];
      restarts += c.restartCount ?? 0;
      const term = c.lastState?.terminated;
      if (term) lastRestart = Math.max(lastRestart, finishedAt(term));
      const st = c.state ?? {};
      if (st.waiting?.reason) reason = st.waiting.reason;
      else if (st.terminated?.reason) reason = st.terminated.reason;
      else if (st.terminated) reason = st.terminated.signal ? `Signal:${st.terminated.signal}` : `ExitCode:${st.terminated.exitCode}`;
      else if (c.ready && st.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasReady(status.conditions) ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  return { reason, ready, total, restarts, lastRestart };
}

export function podRow(pod: Pod, nowMs: number): unknown[] {
  const { reason, ready, total, restarts, lastRestart } = podStatusReason(pod);
  const restartsStr = lastRestart ? `${restarts} (${humanDuration(nowMs - lastRestart)} ago)` : String(restarts);
  const podIP = pod.status?.podIPs?.[0]?.ip || '<none>';
  const nodeName = pod.spec?.nodeName || '<none>';
  const nominated = pod.status?.nominatedNodeName || '<none>';
  let gates = '<none>';
  const rg = pod.spec?.readinessGates ?? [];
  if (rg.length) {
    let trueCount = 0;
    for (const g of rg) {
      const c = (pod.status?.conditions ?? []).find((x) => x.type === g.conditionType);
      if (c?.status === 'True') trueCount++;
    }
    gates = `${trueCount}/${rg.length}`;
  }
  return [pod.metadata?.name ?? '', `${ready}/${total}`, reason, restartsStr, timestampSince(pod.metadata?.creationTimestamp, nowMs), podIP, nodeName, nominated, gates];
}
