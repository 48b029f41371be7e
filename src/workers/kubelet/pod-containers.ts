import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { ContainerStatus } from '../runtime/cri';
import type { RunningContainer } from './probe-manager';
import { attemptsOf, exitCodeOf, isExited, shouldRestart, type PodRuntimeView } from './pod-status';

/** A restartable init container (sidecar). */
export const isSidecar = (c: Container) => c.restartPolicy === 'Always';

/** The latest instance of each container that is running now (probe targets). */
export function runningOf(pod: Pod, view: PodRuntimeView): RunningContainer[] {
  const out: RunningContainer[] = [];
  const add = (c: Container, init: boolean) => {
    const [latest] = attemptsOf(view, c.name);
    if (latest?.state === 'CONTAINER_RUNNING') out.push({ id: latest.id, name: c.name, startedAt: latest.startedAt ?? latest.createdAt, ...(init ? { init } : {}) });
  };
  for (const c of pod.spec?.initContainers ?? []) if (isSidecar(c)) add(c, true);
  for (const c of pod.spec?.containers ?? []) add(c, false);
  return out;
}

/** Nothing of the pod will run again: an init container failed under Never, or every container exited for good. */
export function podFinished(pod: Pod, view: PodRuntimeView): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never') {
    for (const c of pod.spec?.initContainers ?? []) {
      const [latest] = attemptsOf(view, c.name);
      if (latest && isExited(latest) && exitCodeOf(latest) !== 0) return true;
    }
  }
  const containers = pod.spec?.containers ?? [];
  return (
    containers.length > 0 &&
    containers.every((c) => {
      const [latest] = attemptsOf(view, c.name);
      return !!latest && isExited(latest) && !shouldRestart(pod, latest);
    })
  );
}

export interface InitStepDeps {
  /** The pod's runtime view now. */
  view(): Promise<PodRuntimeView>;
  /** startOrBackOff for an init container: resolves with ms to sync again after, if any. */
  start(c: Container, latest: ContainerStatus | undefined): Promise<number | undefined>;
  /** The startup probe's verdict for a running instance (undefined: it has none). */
  started(containerId: string): boolean | undefined;
}

/**
 * The init phase of SyncPod: regular init containers run one at a time to completion (a failure under
 * restartPolicy Never stops there); a sidecar (restartPolicy Always) is started in its turn and the next one
 * waits until it has started (its startup probe passed, if any). Once an app container has run, only sidecars
 * are (re)started. Resolves with whether the app containers may start, the view after the starts, and when to
 * sync again.
 */
export async function syncInitContainers(pod: Pod, view: PodRuntimeView, d: InitStepDeps): Promise<{ done: boolean; view: PodRuntimeView; requeue?: number }> {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const initContainers = pod.spec?.initContainers ?? [];
  let requeue: number | undefined;
  const later = (ms: number | undefined) => ms !== undefined && (requeue = requeue === undefined ? ms : Math.min(requeue, ms));
  const initialized = (pod.spec?.containers ?? []).some((c) => attemptsOf(view, c.name).length > 0);
  const sidecarStarted = (c: Container, latest: ContainerStatus | undefined) => latest?.state === 'CONTAINER_RUNNING' && (d.started(latest.id) ?? !c.startupProbe);
  for (const c of initContainers) {
    const [latest] = attemptsOf(view, c.name);
    if (isSidecar(c)) {
      if (latest?.state === 'CONTAINER_RUNNING' || latest?.state === 'CONTAINER_CREATED') {
        if (sidecarStarted(c, latest) || initialized) continue;
        break;
      }
      later(await d.start(c, latest));
      if (initialized) continue;
      view = await d.view();
      if (!sidecarStarted(c, attemptsOf(view, c.name)[0])) break;
      continue;
    }
    if (initialized) continue;
    if (latest && isExited(latest) && exitCodeOf(latest) === 0) continue;
    if (latest?.state === 'CONTAINER_RUNNING') break;
    if (latest && isExited(latest) && policy === 'Never') break;
    later(await d.start(c, latest));
    break;
  }
  view = await d.view();
  const done =
    initialized ||
    initContainers.every((c) => {
      const [latest] = attemptsOf(view, c.name);
      if (isSidecar(c)) return sidecarStarted(c, latest);
      return !!latest && isExited(latest) && exitCodeOf(latest) === 0;
    });
  return { done, view, ...(requeue !== undefined ? { requeue } : {}) };
}
