import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import type { ExecService, RuntimeService } from '../runtime/cri';
import { runLifecycleHook } from './lifecycle-hooks';
import type { Prober } from './prober';

/** kubelet's minimumGracePeriodInSeconds: what is left for SIGTERM after a preStop hook. */
const MIN_GRACE_SECONDS = 2;

export interface ContainerKillerDeps {
  runtime: RuntimeService & Partial<ExecService>;
  clock: Clock;
  prober: Prober;
  podIP(uid: string): string | undefined;
  event(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath: string): void;
}

export const fieldPathOf = (pod: Pod, name: string) => `spec.${pod.spec?.initContainers?.some((x) => x.name === name) ? 'initContainers' : 'containers'}{${name}}`;

/**
 * The kubelet's killContainer and postStart step (kuberuntime_container.go):
 * - kill(): records Killing (`message`, default `Stopping container <name>`), runs the preStop hook when
 *   graceSeconds > 0 (bounded by the grace period; failure → Warning FailedPreStopHook), then stops the
 *   container with what is left of the grace period (at least 2 s), SIGKILL after it.
 * - postStart(): runs the hook; on failure records Warning FailedPostStartHook, kills the container with
 *   message FailedPostStartHook and resolves with the hook's message (the container's PostStartHookError).
 */
export class ContainerKiller {
  constructor(private readonly d: ContainerKillerDeps) {}

  private target(pod: Pod, c: Container, containerId: string) {
    return { pod, container: c, containerId, podIP: this.d.podIP(pod.metadata?.uid ?? '') };
  }

  private hookDeps() {
    return { ...(this.d.runtime.execSync ? { exec: this.d.runtime.execSync.bind(this.d.runtime) } : {}), prober: this.d.prober, clock: this.d.clock };
  }

  async kill(pod: Pod, c: Container | undefined, containerId: string, message: string | undefined, graceSeconds: number): Promise<void> {
    if (!c) return this.d.runtime.stopContainer(containerId, graceSeconds);
    const fieldPath = fieldPathOf(pod, c.name);
    this.d.event(pod, 'Normal', 'Killing', message ?? `Stopping container ${c.name}`, fieldPath);
    let grace = graceSeconds;
    const preStop = c.lifecycle?.preStop;
    if (preStop && grace > 0) {
      const started = this.d.clock.now();
      let timer: { dispose(): void } | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = this.d.clock.after(grace * 1000, () => resolve('timeout'))));
      const msg = await Promise.race([runLifecycleHook(this.hookDeps(), preStop, this.target(pod, c, containerId)), timedOut]);
      timer?.dispose();
      if (msg === 'timeout') this.d.event(pod, 'Warning', 'FailedPreStopHook', `PreStopHook failed: the hook did not finish within the grace period of ${grace}s`, fieldPath);
      else if (msg) this.d.event(pod, 'Warning', 'FailedPreStopHook', msg, fieldPath);
      grace = Math.max(MIN_GRACE_SECONDS, grace - Math.ceil((this.d.clock.now() - started) / 1000));
    }
    await this.d.runtime.stopContainer(containerId, grace);
  }

  async postStart(pod: Pod, c: Container, containerId: string): Promise<string | undefined> {
    const hook = c.lifecycle?.postStart;
    if (!hook) return undefined;
    const msg = await runLifecycleHook(this.hookDeps(), hook, this.target(pod, c, containerId));
    if (!msg) return undefined;
    this.d.event(pod, 'Warning', 'FailedPostStartHook', msg, fieldPathOf(pod, c.name));
    await this.kill(pod, c, containerId, 'FailedPostStartHook', pod.spec?.terminationGracePeriodSeconds ?? 30);
    return msg;
  }
}
