import type { Container, Pod, Probe } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import type { Prober } from './prober';

export type ProbeKind = 'Liveness' | 'Readiness' | 'Startup';

export interface ProbeManagerDeps {
  clock: Clock;
  prober: Prober;
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath: string): void;
  /** A container's started/ready changed: the pod's status must be regenerated (wake its pod worker). */
  changed(uid: string): void;
  /**
   * A liveness or startup probe failed failureThreshold times: kill the container with this Killing
   * message and grace (the pod sync then restarts it per restartPolicy).
   */
  kill(pod: Pod, c: Container, containerId: string, message: string, graceSeconds: number): Promise<void>;
  podIP(uid: string): string | undefined;
}

export interface RunningContainer {
  id: string;
  name: string;
  startedAt: number;
  /** A restartable init container (sidecar). */
  init?: boolean;
}

interface Entry {
  uid: string;
  started: boolean;
  ready: boolean;
  timers: Set<Disposable>;
  stopped: boolean;
}

/**
 * The kubelet's probe manager: one worker per (container instance, probe kind) on the cluster clock.
 *
 * Contracts (pkg/kubelet/prober):
 * - A worker's first probe runs initialDelaySeconds after the container started, then every periodSeconds
 *   (default 10), each bounded by timeoutSeconds (default 1). Liveness and readiness do not probe before
 *   the startup probe succeeded.
 * - A result takes effect after successThreshold consecutive successes (1 for liveness/startup) or
 *   failureThreshold consecutive failures (default 3). Initially: started = no startup probe; ready = no
 *   readiness probe (and started).
 * - Each failure records a Warning Unhealthy event `<Kind> probe failed: <output>`; an unknown result (an
 *   action Tabernetes cannot run yet) a Warning ProbeWarning `<Kind> probe warning: <output>` and counts as
 *   success.
 * - Liveness/startup failure kills the container (`Container <name> failed liveness probe, will be
 *   restarted`, grace = probe's terminationGracePeriodSeconds, else the pod's, else 30) and stops its
 *   workers; a new container instance gets new workers.
 */
export class ProbeManager implements Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly pods = new Map<string, Pod>();

  constructor(private readonly d: ProbeManagerDeps) {}

  /** started/ready of a container instance that has probes (undefined: no probes, or not running). */
  status(containerId: string): { started: boolean; ready: boolean } | undefined {
    const e = this.entries.get(containerId);
    return e && { started: e.started, ready: e.ready && e.started };
  }

  /** Starts workers for the pod's running containers that have probes and stops those of the others. Called on each pod sync. */
  sync(pod: Pod, running: RunningContainer[]): void {
    const uid = pod.metadata?.uid ?? '';
    this.pods.set(uid, pod);
    const live = new Set(running.map((r) => r.id));
    for (const [id, e] of this.entries) if (e.uid === uid && !live.has(id)) this.stop(id);
    if (pod.metadata?.deletionTimestamp) {
      for (const r of running) this.stop(r.id);
      return;
    }
    for (const r of running) {
      if (this.entries.has(r.id)) continue;
      const specs = r.init ? pod.spec?.initContainers : pod.spec?.containers;
      const c = specs?.find((x) => x.name === r.name);
      if (!c || (!c.startupProbe && !c.livenessProbe && !c.readinessProbe)) continue;
      const e: Entry = { uid, started: !c.startupProbe, ready: !c.readinessProbe, timers: new Set(), stopped: false };
      this.entries.set(r.id, e);
      if (c.startupProbe) this.worker(e, 'Startup', c, c.startupProbe, r);
      if (c.livenessProbe) this.worker(e, 'Liveness', c, c.livenessProbe, r);
      if (c.readinessProbe) this.worker(e, 'Readiness', c, c.readinessProbe, r);
    }
  }

  forgetPod(uid: string): void {
    for (const [id, e] of this.entries) if (e.uid === uid) this.stop(id);
    this.pods.delete(uid);
  }

  dispose(): void {
    for (const id of [...this.entries.keys()]) this.stop(id);
  }

  private stop(id: string): void {
    const e = this.entries.get(id);
    if (!e) return;
    e.stopped = true;
    for (const t of e.timers) t.dispose();
    this.entries.delete(id);
  }

  private worker(e: Entry, kind: ProbeKind, c: Container, probe: Probe, r: RunningContainer): void {
    const { clock } = this.d;
    const period = Math.max(1, probe.periodSeconds ?? 10) * 1000;
    const successThreshold = kind === 'Readiness' ? Math.max(1, probe.successThreshold ?? 1) : 1;
    const failureThreshold = Math.max(1, probe.failureThreshold ?? 3);
    const fieldPath = `spec.${r.init ? 'initContainers' : 'containers'}{${c.name}}`;
    let successes = 0;
    let failures = 0;
    let done = false;
    const schedule = (ms: number) => {
      const t = clock.after(ms, () => {
        e.timers.delete(t);
        void tick();
      });
      e.timers.add(t);
    };
    const tick = async () => {
      if (e.stopped || done) return;
      if (kind !== 'Startup' && !e.started) return schedule(period);
      const pod = this.pods.get(e.uid)!;
      const res = await this.d.prober.run(probe, { pod, container: c, containerId: r.id, podIP: this.d.podIP(e.uid) }, Math.max(1, probe.timeoutSeconds ?? 1));
      if (e.stopped) return;
      let ok = res.result !== 'failure';
      if (res.result === 'unknown') this.d.event(pod, 'Warning', 'ProbeWarning', `${kind} probe warning: ${res.output}`, fieldPath);
      if (!ok) this.d.event(pod, 'Warning', 'Unhealthy', `${kind} probe failed: ${res.output}`, fieldPath);
      successes = ok ? successes + 1 : 0;
      failures = ok ? 0 : failures + 1;
      if (ok && successes < successThreshold) return schedule(period);
      if (!ok && failures < failureThreshold) return schedule(period);
      ok = ok && successes >= successThreshold;
      if (kind === 'Readiness') {
        if (e.ready !== ok) {
          e.ready = ok;
          this.d.changed(e.uid);
        }
        return schedule(period);
      }
      if (kind === 'Startup' && ok) {
        done = true;
        e.started = true;
        this.d.changed(e.uid);
        return;
      }
      if (kind === 'Liveness' && ok) return schedule(period);
      done = true;
      const grace = probe.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
      const what = kind === 'Liveness' ? 'liveness' : 'startup';
      this.stop(r.id);
      await this.d.kill(pod, c, r.id, `Container ${c.name} failed ${what} probe, will be restarted`, grace);
    };
    schedule(Math.max(0, r.startedAt + (probe.initialDelaySeconds ?? 0) * 1000 - clock.now()));
  }
}
