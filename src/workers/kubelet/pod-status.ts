import type { Container, ContainerStatus as ApiContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../api/clock';
import type { ContainerStatus } from '../runtime/cri';
import { goList, normalizeImage } from './go-format';

/**
 * The kubelet's status generation (generateAPIPodStatus, convertToAPIContainerStatuses, getPhase and the
 * status package's condition generators), as pure functions of the pod, what the runtime reports and the
 * reasons the last sync recorded. Times in the result are RFC 3339 of `now`; the status manager later keeps
 * a condition's previous lastTransitionTime when its status did not change.
 */

/** Why a container is waiting, as the last sync found it (kubelet's reasonCache). */
export interface WaitingReason {
  reason: string;
  message?: string;
}

export interface PodRuntimeView {
  /** A sandbox for the pod is SANDBOX_READY. */
  sandboxReady: boolean;
  /** Every runtime container of the pod, across sandboxes and attempts. */
  containers: ContainerStatus[];
}

export interface StatusInput {
  pod: Pod;
  view: PodRuntimeView;
  reasons: Map<string, WaitingReason>;
  hostIP: string;
  podIP?: string;
  now: number;
  /** The kubelet has finished the pod: nothing of it will run again. */
  terminal: boolean;
  /** Probe results of a running container instance (undefined: it has no probes). */
  probes?(containerId: string): { started: boolean; ready: boolean } | undefined;
}

/** Runtime containers of one pod container name: latest attempt first. */
export function attemptsOf(view: PodRuntimeView, name: string): ContainerStatus[] {
  return view.containers
    .filter((c) => c.metadata.name === name)
    .sort((a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt - a.createdAt);
}

/** An UNKNOWN container (e.g. running when the node went away) counts as exited with 137. */
export function exitCodeOf(c: ContainerStatus): number {
  return c.state === 'CONTAINER_UNKNOWN' ? (c.exitCode ?? 137) : (c.exitCode ?? 0);
}

export function isExited(c: ContainerStatus): boolean {
  return c.state === 'CONTAINER_EXITED' || c.state === 'CONTAINER_UNKNOWN';
}

/** kubecontainer.ShouldContainerBeRestarted, with UNKNOWN treated as a failed exit so run-once pods never re-run. */
export function shouldRestart(pod: Pod, latest: ContainerStatus | undefined): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (!latest) return true;
  if (latest.state === 'CONTAINER_RUNNING') return false;
  if (latest.state === 'CONTAINER_CREATED') return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return exitCodeOf(latest) !== 0;
  return true;
}

function terminatedOf(c: ContainerStatus): NonNullable<ApiContainerStatus['state']>['terminated'] {
  const code = exitCodeOf(c);
  const t: NonNullable<NonNullable<ApiContainerStatus['state']>['terminated']> = {
    containerID: `wasm://${c.id}`,
    exitCode: code,
    finishedAt: rfc3339(c.finishedAt ?? c.startedAt ?? c.createdAt),
    reason: c.reason ?? (c.state === 'CONTAINER_UNKNOWN' ? 'ContainerStatusUnknown' : code === 0 ? 'Completed' : 'Error'),
    startedAt: rfc3339(c.startedAt ?? c.createdAt),
  };
  if (c.message) t.message = c.message;
  return t;
}

function convertContainers(input: StatusInput, specs: Container[], defaultReason: string, init: boolean): ApiContainerStatus[] {
  const { pod, view, reasons } = input;
  return specs.map((spec) => {
    const [latest, previous] = attemptsOf(view, spec.name);
    const status: ApiContainerStatus = {
      name: spec.name,
      image: spec.image ?? '',
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: defaultReason } },
      lastState: {},
    };
    if (latest) {
      status.image = normalizeImage(spec.image ?? latest.image.image);
      status.imageID = latest.imageRef;
      status.containerID = `wasm://${latest.id}`;
      status.restartCount = latest.metadata.attempt;
      if (latest.state === 'CONTAINER_RUNNING') {
        status.state = { running: { startedAt: rfc3339(latest.startedAt ?? latest.createdAt) } };
        const probed = input.probes?.(latest.id);
        status.started = probed?.started ?? true;
        status.ready = (!init || spec.restartPolicy === 'Always') && (probed?.ready ?? true);
      } else if (isExited(latest)) {
        status.state = { terminated: terminatedOf(latest) };
      } else {
        status.state = { waiting: { reason: defaultReason } };
      }
      if (previous && isExited(previous)) status.lastState = { terminated: terminatedOf(previous) };
    }
    const why = reasons.get(spec.name);
    if (why && !input.terminal && shouldRestart(pod, latest)) {
      if (status.state?.terminated) status.lastState = { terminated: status.state.terminated };
      status.state = { waiting: why.message ? { reason: why.reason, message: why.message } : { reason: why.reason } };
    }
    if (spec.volumeMounts?.length) {
      status.volumeMounts = spec.volumeMounts.map((m) => {
        const vm: NonNullable<ApiContainerStatus['volumeMounts']>[number] = { name: m.name, mountPath: m.mountPath };
        if (m.readOnly) vm.readOnly = true;
        if (m.readOnly) vm.recursiveReadOnly = 'Disabled';
        return vm;
      });
    }
    return status;
  });
}

/** kubelet getPhase for regular (non-sidecar) init containers and containers. */
export function getPhase(pod: Pod, init: ApiContainerStatus[], regular: ApiContainerStatus[], podIsTerminal: boolean): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  for (const s of init) {
    if (sidecars.has(s.name)) {
      if (!s.started && !s.state?.terminated && !s.lastState?.terminated) pendingInit++;
      continue;
    }
    if (s.state?.running) pendingInit++;
    else if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.lastState?.terminated) {
      if (s.lastState.terminated.exitCode !== 0) failedInit++;
    } else pendingInit++;
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of regular) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  const anyRegularStarted = regular.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated);
  if ((pendingInit > 0 && !anyRegularStarted) || waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function cond(type: string, ok: boolean, now: number, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { lastProbeTime: null as unknown as string, lastTransitionTime: rfc3339(now), status: ok ? 'True' : 'False', type };
  if (reason) c.reason = reason;
  if (message) c.message = message;
  return c;
}

function readyCondition(type: string, regular: ApiContainerStatus[], phase: string, now: number): PodCondition {
  if (phase === 'Succeeded') return cond(type, false, now, 'PodCompleted');
  if (phase === 'Failed') return cond(type, false, now, 'PodFailed');
  const unready = regular.filter((s) => !s.ready).map((s) => s.name);
  if (unready.length) return cond(type, false, now, 'ContainersNotReady', `containers with unready status: ${goList(unready)}`);
  return cond(type, true, now);
}

function initializedCondition(init: ApiContainerStatus[], regular: ApiContainerStatus[], phase: string, now: number, done: (s: ApiContainerStatus) => boolean): PodCondition {
  if (phase === 'Succeeded') return cond('Initialized', true, now, 'PodCompleted');
  if (regular.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated)) return cond('Initialized', true, now);
  const incomplete = init.filter((s) => !done(s)).map((s) => s.name);
  if (incomplete.length) return cond('Initialized', false, now, 'ContainersNotInitialized', `containers with incomplete status: ${goList(incomplete)}`);
  return cond('Initialized', true, now);
}

/** QoS class as the apiserver and kubelet compute it (qos.GetPodQOS), for cpu and memory. */
export function qosClass(pod: Pod): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      const rq = req[r] ?? lim[r];
      if (rq !== undefined && String(rq) !== '0') any = true;
      if (lim[r] === undefined || String(rq) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** generateAPIPodStatus: the whole status the kubelet wants the pod to have now. */
export function generatePodStatus(input: StatusInput): PodStatus {
  const { pod, now } = input;
  const old = pod.status ?? {};
  const hasInit = (pod.spec?.initContainers?.length ?? 0) > 0;
  const init = convertContainers(input, pod.spec?.initContainers ?? [], 'PodInitializing', true);
  const sidecars = new Set((pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const initDoneOf = (s: ApiContainerStatus) => (sidecars.has(s.name) ? !!s.started : s.state?.terminated?.exitCode === 0);
  const initDone = init.every(initDoneOf);
  const regular = convertContainers(input, pod.spec?.containers ?? [], hasInit && !initDone ? 'PodInitializing' : 'ContainerCreating', false);
  const phase = getPhase(pod, init, regular, input.terminal);
  const scheduled = old.conditions?.find((c) => c.type === 'PodScheduled') ?? cond('PodScheduled', true, now);
  const kubeletTypes = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  const status: PodStatus = {
    conditions: [
      cond('PodReadyToStartContainers', input.view.sandboxReady, now),
      initializedCondition(init, regular, phase, now, initDoneOf),
      readyCondition('Ready', regular, phase, now),
      readyCondition('ContainersReady', regular, phase, now),
      scheduled,
      ...(old.conditions ?? []).filter((c) => !kubeletTypes.has(c.type)),
    ],
    containerStatuses: regular,
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    phase,
    qosClass: old.qosClass ?? qosClass(pod),
    startTime: old.startTime ?? rfc3339(now),
  };
  if (hasInit) status.initContainerStatuses = init;
  // Ephemeral containers are reported like init containers (never ready), in their own list.
  const ephemeral = (pod.spec?.ephemeralContainers ?? []) as Container[];
  if (ephemeral.length) status.ephemeralContainerStatuses = convertContainers(input, ephemeral, hasInit ? 'PodInitializing' : 'ContainerCreating', true);
  const podIP = input.podIP ?? old.podIP;
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  return status;
}
