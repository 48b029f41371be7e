import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { ApiClient } from '../../client/api-client';
import type { ContainerConfig, PodSandbox, RuntimeService } from '../runtime/cri';
import type { Backoff } from './backoff';
import { containerConfig, sandboxConfig } from './container-config';
import { ConfigError, type ServiceReader } from './container-env';
import type { ContainerKiller } from './container-killer';
import { formatPod, goDuration } from './go-format';
import { type ImageManager, StartFailure } from './image-manager';
import type { PodIps } from './pod-ips';
import type { WaitingReason } from './pod-status';
import type { VolumeManager } from './volume-manager';
import { VolumeSetUpError } from './volume-payload';
import type { ObjectReader } from './pod-object-cache';

/** How soon a pod whose image pull just failed is synced again (it then reports ImagePullBackOff). */
const PULL_FAILED_RESYNC_MS = 1_000;

/** What starting a container needs: PodSyncer's dependencies and parts. */
export interface ContainerStartDeps {
  client: ApiClient;
  /** Where ConfigMaps and Secrets for env are read (the kubelet's PodObjectCache); default: a GET per object. */
  objects?: ObjectReader;
  /** Where Services for service links are read (the kubelet's Service informer); default: GETs. */
  services?: ServiceReader;
  hostIP: string;
  ips: PodIps;
  volumes: VolumeManager;
  runtime: RuntimeService;
  images: ImageManager;
  killer: ContainerKiller;
  /** CrashLoopBackOff per `<pod uid>_<container>` (10s doubling to 300s). */
  crashBackoff: Backoff;
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
}

/**
 * Starts container c (attempt = previous + 1), or, when its last instance exited and is still in
 * CrashLoopBackOff, records that and resolves with the ms left. Start failures are recorded as the
 * container's waiting reason; resolves with when to retry.
 */
export async function startOrBackOff(d: ContainerStartDeps, reasons: Map<string, WaitingReason>, pod: Pod, c: Container, fieldPath: string, sandbox: PodSandbox, prevAttempt?: number, finishedAt?: number): Promise<number | undefined> {
  const uid = pod.metadata?.uid ?? '';
  if (prevAttempt !== undefined && finishedAt !== undefined) {
    const key = `${uid}_${c.name}`;
    if (d.crashBackoff.isInBackOffSince(key, finishedAt)) {
      d.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${formatPod(pod)}`, fieldPath);
      const msg = `back-off ${goDuration(d.crashBackoff.get(key))} restarting failed container=${c.name} pod=${formatPod(pod)}`;
      reasons.set(c.name, { reason: 'CrashLoopBackOff', message: msg });
      return Math.max(1, d.crashBackoff.remaining(key, finishedAt));
    }
    d.crashBackoff.next(key, finishedAt);
  }
  const attempt = prevAttempt === undefined ? 0 : prevAttempt + 1;
  try {
    await startContainer(d, pod, c, fieldPath, sandbox, attempt);
    reasons.delete(c.name);
    return undefined;
  } catch (err) {
    if (!(err instanceof StartFailure)) throw err;
    reasons.set(c.name, { reason: err.reason, message: err.message });
    if (err.reason === 'ErrImagePull') return PULL_FAILED_RESYNC_MS;
    if (err.reason === 'ImagePullBackOff') return Math.max(1, d.images.remaining(pod, c.image ?? ''));
    return 10_000;
  }
}

/**
 * kubelet's startContainer: pulls the image (ImageManager), builds the CRI config and mounts, creates and starts the
 * container (Normal Created/Started events) and runs its postStart hook. Throws StartFailure with the container's
 * waiting reason (ErrImagePull/ImagePullBackOff, CreateContainerConfigError, CreateContainerError, RunContainerError,
 * PostStartHookError), after a Warning Failed `Error: …` event except for the hook.
 */
export async function startContainer(d: ContainerStartDeps, pod: Pod, c: Container, fieldPath: string, sandbox: PodSandbox, attempt: number): Promise<void> {
  const fail = (reason: string, message: string, event: string): never => {
    d.event(pod, 'Warning', 'Failed', `Error: ${event}`, fieldPath);
    throw new StartFailure(reason, message);
  };
  try {
    await d.images.ensure(pod, c, fieldPath);
  } catch (err) {
    if (err instanceof StartFailure) fail(err.reason, err.message, err.reason);
    throw err;
  }
  let config: ContainerConfig;
  try {
    config = await containerConfig(d.client, pod, c, attempt, d.hostIP, pod.spec?.hostNetwork ? d.hostIP : d.ips.get(pod.metadata?.uid ?? ''), d.objects, d.services);
    const mounts = await d.volumes.mounts(pod, c);
    if (mounts.length) config.mounts = mounts;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof VolumeSetUpError) fail('CreateContainerConfigError', err.message, err.message);
    throw err;
  }
  let id = '';
  try {
    id = await d.runtime.createContainer(sandbox.id, config, sandboxConfig(pod, sandbox.metadata.attempt));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    fail('CreateContainerError', msg, msg);
  }
  d.event(pod, 'Normal', 'Created', `Created container ${c.name}`, fieldPath);
  try {
    await d.runtime.startContainer(id);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    fail('RunContainerError', msg, msg);
  }
  d.event(pod, 'Normal', 'Started', `Started container ${c.name}`, fieldPath);
  const hookError = await d.killer.postStart(pod, c, id);
  if (hookError) throw new StartFailure('PostStartHookError', hookError);
}
