import type { LifecycleHandler } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import type { ExecService } from '../runtime/cri';
import { formatPod, goQuote } from './go-format';
import type { Prober, ProbeTarget } from './prober';

const dec = new TextDecoder();

/**
 * The kubelet's lifecycle handler runner (pkg/kubelet/lifecycle/handlers.go): runs a postStart/preStop
 * handler against a running container and resolves with undefined on success, or the message of the
 * FailedPostStartHook / FailedPreStopHook event:
 * - exec: `Exec lifecycle hook ([cmd args]) for Container "c" in Pod "name_ns(uid)" failed - error: command 'cmd args' exited with 1: <stderr>, message: "<stdout+stderr>"`
 * - httpGet: `HTTP lifecycle hook (/path) for Container "c" in Pod "name_ns(uid)" failed - error: <error>`
 * - sleep: waits the seconds on the cluster clock.
 * Exec hooks have no timeout of their own (the caller bounds preStop by the grace period). Never rejects.
 */
export async function runLifecycleHook(
  deps: { exec?: ExecService['execSync']; prober: Prober; clock: Clock },
  handler: LifecycleHandler,
  target: ProbeTarget,
): Promise<string | undefined> {
  const where = `for Container ${goQuote(target.container.name)} in Pod ${goQuote(formatPod(target.pod))}`;
  if (handler.exec) {
    const cmd = handler.exec.command ?? [];
    if (!deps.exec) return `Exec lifecycle hook ([${cmd.join(' ')}]) ${where} failed - error: exec is not supported by this runtime, message: ""`;
    try {
      const r = await deps.exec(target.containerId, cmd, 0);
      if (r.exitCode === 0) return undefined;
      const stderr = dec.decode(r.stderr);
      const output = dec.decode(r.stdout) + stderr;
      return `Exec lifecycle hook ([${cmd.join(' ')}]) ${where} failed - error: command '${cmd.join(' ')}' exited with ${r.exitCode}: ${stderr}, message: ${goQuote(output)}`;
    } catch (err) {
      return `Exec lifecycle hook ([${cmd.join(' ')}]) ${where} failed - error: ${String((err as Error)?.message ?? err)}, message: ""`;
    }
  }
  if (handler.httpGet) {
    const r = await deps.prober.run({ httpGet: handler.httpGet }, target, 10);
    if (r.result === 'success') return undefined;
    const error = r.result === 'unknown' ? r.output : r.output.startsWith('HTTP probe failed with statuscode: ') ? `HTTP lifecycle hook failed with statuscode: ${r.output.slice(35)}` : r.output;
    return `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${where} failed - error: ${error}`;
  }
  if (handler.sleep) {
    await deps.clock.sleep(Math.max(0, handler.sleep.seconds) * 1000);
    return undefined;
  }
  return `Cannot run handler: unknown handler type ${where}`;
}
