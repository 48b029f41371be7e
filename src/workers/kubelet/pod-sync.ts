import { etcHostsFile, nodeEtcHostsFile, podDnsConfig } from './pod-dns';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import { Pods } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';
import type { EventRecorder } from '../../client/event-recorder';
import type { ExecService, ImageService, NodeDisk, PodSandbox, RuntimeService } from '../runtime/cri';
import { Backoff } from './backoff';
import { sandboxConfig } from './container-config';
import { podLogDir } from './container-logs';
import { ImageManager } from './image-manager';
import type { PodIps } from './pod-ips';
import { attemptsOf, generatePodStatus, shouldRestart, type PodRuntimeView, type WaitingReason } from './pod-status';
import type { StatusManager } from './status-manager';
import type { VolumeManager } from './volume-manager';
import { ContainerKiller } from './container-killer';
import { ProbeManager } from './probe-manager';
import { isSidecar, podFinished, runningOf, syncInitContainers } from './pod-containers';
import { createProber, type DialTcp } from './prober';
import { startOrBackOff } from './start-or-back-off';
import type { ObjectReader } from './pod-object-cache';
import type { ServiceReader } from './container-env';

export interface SyncDeps {
  nodeName: string;
  hostIP: string;
  client: ApiClient;
  /** Where ConfigMaps and Secrets are read (the kubelet's PodObjectCache); default: a GET per object. */
  objects?: ObjectReader;
  /** Where Services for service link variables are read (the kubelet's Service informer); default: GETs. */
  services?: ServiceReader;
  runtime: RuntimeService & ImageService & Partial<ExecService>;
  disk: NodeDisk;
  clock: Clock;
  recorder: EventRecorder;
  status: StatusManager;
  ips: PodIps;
  volumes: VolumeManager;
  /** Wakes the pod's worker (probe results changed the pod's status). */
  wake(uid: string): void;
  /** TCP from the node into the cluster network, for httpGet/tcpSocket probes and hooks (absent: not supported). */
  dialTcp?: DialTcp;
  /** The least time a probe is given, in cluster ms (see createProber). */
  minProbeTimeoutMs?: () => number;
}


const TERMINAL = new Set(['Succeeded', 'Failed']);

/**
 * One pod's sync (kubelet's SyncPod / SyncTerminatingPod / cleanup), driven by the pod workers.
 *
 * Contracts:
 * - sync() starts what should run (sandbox, then init containers one at a time, then containers), applies
 *   restartPolicy with the CrashLoopBackOff back-off (10s doubling to 300s, from the container's finishedAt),
 *   posts the generated status, and resolves with ms to sync again after (a back-off ending) or undefined.
 * - A pod already Succeeded/Failed in the API is never started again; its leftovers are only stopped.
 * - A pod with deletionTimestamp is terminated: Killing events, containers stopped with its grace period,
 *   sandbox stopped, final status posted, then DELETE with gracePeriodSeconds=0 and a uid precondition.
 * - cleanup() (the pod left the API) removes containers, sandboxes, the pod IP and, unless the caller keeps
 *   them for later (kubelet's DeletedPodLogs), the pod's logs.
 */
export class PodSyncer {
  readonly images: ImageManager;
  readonly crashBackoff: Backoff;
  readonly probes: ProbeManager;
  readonly killer: ContainerKiller;
  private readonly reasons = new Map<string, Map<string, WaitingReason>>();

  constructor(private readonly d: SyncDeps) {
    this.images = new ImageManager(d.runtime, d.recorder, d.clock);
    this.crashBackoff = new Backoff(d.clock, 10_000, 300_000);
    const exec = d.runtime.execSync?.bind(d.runtime);
    const prober = createProber({
      ...(exec ? { exec } : {}),
      ...(d.dialTcp ? { dial: d.dialTcp } : {}),
      ...(d.minProbeTimeoutMs ? { minTimeoutMs: d.minProbeTimeoutMs } : {}),
      after: (ms, fn) => d.clock.after(ms, fn),
    });
    const podIP = (uid: string) => d.ips.get(uid);
    const event = this.event.bind(this);
    this.killer = new ContainerKiller({ runtime: d.runtime, clock: d.clock, prober, podIP, event });
    this.probes = new ProbeManager({ clock: d.clock, prober, podIP, event, changed: d.wake, kill: (pod, c, id, message, grace) => this.killer.kill(pod, c, id, message, grace) });
  }

  async view(uid: string): Promise<{ sandboxes: PodSandbox[]; view: PodRuntimeView }> {
    const sandboxes = (await this.d.runtime.listPodSandbox({ labelSelector: { 'io.kubernetes.pod.uid': uid } })).filter((s) => s.metadata.uid === uid).sort((a, b) => a.metadata.attempt - b.metadata.attempt);
    const ids = new Set(sandboxes.map((s) => s.id));
    // Per sandbox (the runtime filters before building statuses): not every container on the node per pod sync.
    const containers = ids.size ? (await Promise.all([...ids].map((podSandboxId) => this.d.runtime.listContainers({ podSandboxId })))).flat() : [];
    return { sandboxes, view: { sandboxReady: sandboxes.some((s) => s.state === 'SANDBOX_READY'), containers } };
  }

  reasonsOf(uid: string): Map<string, WaitingReason> {
    let r = this.reasons.get(uid);
    if (!r) this.reasons.set(uid, (r = new Map()));
    return r;
  }

  /**
   * Generates and posts the pod's status from what the runtime reports now; `current` is a view the caller
   * read after its last runtime change (saves listing every sandbox and container on the node again).
   */
  async postStatus(pod: Pod, terminal: boolean, current?: PodRuntimeView): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const view = current ?? (await this.view(uid)).view;
    const hostNetwork = pod.spec?.hostNetwork === true;
    const status = generatePodStatus({
      pod,
      view,
      reasons: this.reasonsOf(uid),
      hostIP: this.d.hostIP,
      podIP: hostNetwork ? this.d.hostIP : this.d.ips.get(uid),
      now: this.d.clock.now(),
      terminal,
      probes: (id) => this.probes.status(id),
    });
    await this.d.status.set(pod, status);
  }

  async sync(pod: Pod): Promise<number | undefined> {
    const uid = pod.metadata?.uid ?? '';
    if (pod.metadata?.deletionTimestamp) {
      await this.terminate(pod);
      return undefined;
    }
    if (TERMINAL.has(pod.status?.phase ?? '')) {
      await this.stopAll(uid, 0, pod);
      return undefined;
    }
    let { sandboxes, view } = await this.view(uid);
    if (podFinished(pod, view)) {
      await this.stopAll(uid, 0, pod);
      await this.postStatus(pod, true);
      return undefined;
    }
    let sandbox = sandboxes.find((s) => s.state === 'SANDBOX_READY');
    // WaitForAttachAndMount: a pod whose volumes cannot be set up gets no sandbox (ContainerCreating); once
    // running, later failures (a deleted ConfigMap) are reported but the containers keep running.
    const failures = await this.d.volumes.setUp(pod, this.d.ips.get(uid));
    for (const f of failures) this.event(pod, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${f.volume}" : ${f.message}`);
    if (failures.length && !sandbox) {
      await this.postStatus(pod, false);
      return this.d.volumes.retryAfter(uid);
    }
    if (!sandbox) {
      if (sandboxes.length) {
        this.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
        await this.stopAll(uid, 0, pod);
      }
      if (pod.spec?.hostNetwork !== true) await this.d.ips.allocate(uid);
      const config = sandboxConfig(pod, sandboxes.length);
      const podIP = pod.spec?.hostNetwork === true ? undefined : this.d.ips.get(uid);
      if (podIP) config.podIP = podIP; // the containers' sockets live on it (src/network)
      const dns = podDnsConfig(pod);
      if (dns) config.dnsConfig = dns; // the containers' /etc/resolv.conf and cluster DNS search path
      if (podIP) config.etcHosts = etcHostsFile(pod, podIP);
      else if (pod.spec?.hostNetwork === true) config.etcHosts = nodeEtcHostsFile(pod, this.d.hostIP, this.d.nodeName);
      await this.d.runtime.runPodSandbox(config);
      ({ sandboxes, view } = await this.view(uid));
      await this.postStatus(pod, false, view);
      sandbox = sandboxes.find((s) => s.state === 'SANDBOX_READY');
      if (!sandbox) return 10_000;
    }
    const reasons = this.reasonsOf(uid);
    let requeue: number | undefined;
    const later = (ms: number) => (requeue = requeue === undefined ? ms : Math.min(requeue, ms));
    // SyncPod starts ephemeral containers before init containers, once each (they are never restarted).
    for (const ec of pod.spec?.ephemeralContainers ?? []) {
      if (attemptsOf(view, ec.name).length) continue;
      const wait = await this.startOrBackOff(pod, ec as Container, `spec.ephemeralContainers{${ec.name}}`, sandbox);
      if (wait !== undefined) later(wait);
    }
    const init = await syncInitContainers(pod, view, {
      view: async () => (await this.view(uid)).view,
      start: (c, latest) => this.startOrBackOff(pod, c, `spec.initContainers{${c.name}}`, sandbox!, latest?.metadata.attempt, latest?.finishedAt),
      started: (id) => this.probes.status(id)?.started,
    });
    if (init.requeue !== undefined) later(init.requeue);
    view = init.view;
    const initDone = init.done;
    if (initDone) {
      for (const c of pod.spec?.containers ?? []) {
        const [latest] = attemptsOf(view, c.name);
        if (!shouldRestart(pod, latest)) {
          reasons.delete(c.name);
          continue;
        }
        if (latest && latest.state === 'CONTAINER_CREATED') continue;
        const wait = await this.startOrBackOff(pod, c, `spec.containers{${c.name}}`, sandbox, latest?.metadata.attempt, latest?.finishedAt);
        if (wait !== undefined) later(wait);
      }
    }
    ({ view } = await this.view(uid));
    if (podFinished(pod, view)) {
      this.probes.forgetPod(uid);
      await this.stopAll(uid, 0, pod);
      await this.postStatus(pod, true);
      return undefined;
    }
    this.probes.sync(pod, runningOf(pod, view));
    await this.postStatus(pod, false, view);
    return requeue;
  }

  /** startOrBackOff (start-or-back-off.ts) with this pod syncer's parts. */
  private startOrBackOff(pod: Pod, c: Container, fieldPath: string, sandbox: PodSandbox, prevAttempt?: number, finishedAt?: number): Promise<number | undefined> {
    const { client, objects, services, hostIP, ips, volumes, runtime } = this.d;
    const deps = { client, ...(objects ? { objects } : {}), ...(services ? { services } : {}), hostIP, ips, volumes, runtime, images: this.images, killer: this.killer, crashBackoff: this.crashBackoff, event: this.event.bind(this) };
    return startOrBackOff(deps, this.reasonsOf(pod.metadata?.uid ?? ''), pod, c, fieldPath, sandbox, prevAttempt, finishedAt);
  }

  /** Stops running containers (Killing events when pod is given) and every ready sandbox of the pod. */
  async stopAll(uid: string, graceSeconds: number, pod?: Pod, announce = false): Promise<void> {
    const { sandboxes, view } = await this.view(uid);
    const live = view.containers.filter((c) => c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED');
    if (announce && pod) {
      // killContainersWithSyncResult: app containers (preStop hooks, then SIGTERM) in parallel, then the
      // sidecars one at a time in reverse order.
      const sidecars = (pod.spec?.initContainers ?? []).filter(isSidecar);
      const isSide = (name: string) => sidecars.some((s) => s.name === name);
      const specOf = (name: string) => [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((x) => x.name === name);
      await Promise.all(live.filter((c) => !isSide(c.metadata.name)).map((c) => this.killer.kill(pod, specOf(c.metadata.name), c.id, undefined, graceSeconds)));
      for (const s of [...sidecars].reverse()) {
        for (const c of live.filter((x) => x.metadata.name === s.name)) await this.killer.kill(pod, s, c.id, undefined, graceSeconds);
      }
    }
    await Promise.all(live.map((c) => this.d.runtime.stopContainer(c.id, graceSeconds)));
    for (const s of sandboxes) if (s.state === 'SANDBOX_READY') await this.d.runtime.stopPodSandbox(s.id);
  }

  /** SyncTerminatingPod + the status manager's final delete. */
  async terminate(pod: Pod): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    this.probes.forgetPod(uid);
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    await this.stopAll(uid, grace, pod, true);
    await this.postStatus(pod, true);
    try {
      await this.d.client.delete(Pods, pod.metadata?.name ?? '', pod.metadata?.namespace, { gracePeriodSeconds: 0, preconditions: { uid } });
    } catch (err) {
      if (!(err instanceof ApiError && (err.code === 404 || err.code === 409))) throw err;
    }
  }

  /** The pod is gone from the API: remove everything the node holds for it (its logs only when removeLogs). */
  async cleanup(pod: Pod, removeLogs = true): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    await this.stopAll(uid, 0);
    const { sandboxes, view } = await this.view(uid);
    for (const c of view.containers) await this.d.runtime.removeContainer(c.id).catch(() => undefined);
    for (const s of sandboxes) await this.d.runtime.removePodSandbox(s.id).catch(() => undefined);
    if (removeLogs) await this.d.disk.removeLogs(podLogDir(pod));
    await this.d.ips.release(uid);
    await this.d.volumes.tearDown(uid);
    this.probes.forgetPod(uid);
    this.images.forgetPod(uid);
    this.crashBackoff.forgetPrefix(`${uid}_`);
    this.reasons.delete(uid);
    this.d.status.forget(uid);
  }

  private event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void {
    this.d.recorder.event({ kind: 'Pod', apiVersion: 'v1', metadata: pod.metadata }, type, reason, message, fieldPath);
  }
}
