import type { Pod } from 'kubernetes-types/core/v1';
import { Pods, resourcePath } from '../../api/resources';
import type { WatchEvent } from '../../api/protocol';
import type { CommandContext } from '../cli/command-context';
import type { CommandDef } from '../cli/commands-table';
import { RawError, SilentExit } from '../cli/errors';
import { parseGoDuration } from '../cli/go-duration';
import { attachToContainer, containerToAttach } from './attach';
import { runGenerator } from './generators/run-generator';
import { runPodGenerator } from './generators/run-pod';
import { chainOnAbort } from '../cli/stop-on-abort';

/** kubectl's ErrPodCompleted: the pod finished before it could be attached to. */
const COMPLETED = 'pod ran to completion';
type Condition = (pod: Pod) => boolean | typeof COMPLETED;

const runningAndReady: Condition = (pod) => {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return COMPLETED;
  return phase === 'Running' && !!pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
};
const completed: Condition = (pod) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const succeeded: Condition = (pod) => pod.status?.phase === 'Succeeded';

/**
 * kubectl's waitForPod: the pod as soon as cond holds (GET, then a watch on metadata.name from that
 * resourceVersion). Rejects with "timed out waiting for the condition" after timeoutMs of cluster time
 * (0: no limit), "context canceled" when io.signal aborts, NotFound when the pod is deleted.
 */
export async function waitForPod(ctx: CommandContext, name: string, cond: Condition, timeoutMs: number): Promise<{ pod: Pod; completed: boolean }> {
  const { client, clock, signal } = ctx.io;
  const ns = ctx.namespace;
  const first = await client.call<Pod>({ method: 'GET', path: resourcePath(Pods, ns, name) });
  const check = (pod: Pod) => {
    const r = cond(pod);
    return r ? { pod, completed: r === COMPLETED } : undefined;
  };
  const now = check(first);
  if (now) return now;
  return new Promise((resolve, reject) => {
    const subs: Array<{ dispose(): void }> = [];
    const finish = (err: Error | undefined, value?: { pod: Pod; completed: boolean }) => {
      for (const s of subs.splice(0)) s.dispose();
      if (err) reject(err);
      else resolve(value!);
    };
    if (timeoutMs > 0) subs.push(clock.after(timeoutMs, () => finish(new RawError('error: timed out waiting for the condition'))));
    if (signal) chainOnAbort(signal, () => finish(new RawError('error: context canceled')));
    subs.push(
      client.watch<Pod>(Pods, ns, { fieldSelector: `metadata.name=${name}`, resourceVersion: first.metadata?.resourceVersion }, {
        onEvent: (ev: WatchEvent<Pod>) => {
          if (ev.type === 'DELETED') return finish(new RawError(`Error from server (NotFound): pods "${name}" not found`));
          const hit = check(ev.object);
          if (hit) finish(undefined, hit);
        },
        onClose: (err) => finish(err ?? new RawError('error: watch closed before UntilWithSync timeout')),
      }),
    );
  });
}

/** kubectl run's logOpts: the container's log so far, as `kubectl logs POD` prints it. */
async function printLogs(ctx: CommandContext, pod: Pod): Promise<void> {
  const container = pod.spec?.containers?.[0]?.name ?? '';
  const text = await ctx.io.client.call<unknown>({ method: 'GET', path: resourcePath(Pods, ctx.namespace, pod.metadata?.name ?? '', 'log'), query: { container } });
  ctx.out(typeof text === 'string' ? text : JSON.stringify(text));
}

/** kubectl run's handleAttachPod: attach once running (logs when it already completed or attach fails). */
async function attachPod(ctx: CommandContext, name: string, timeoutMs: number): Promise<void> {
  const { pod, completed: done } = await waitForPod(ctx, name, runningAndReady, timeoutMs);
  if (done) return printLogs(ctx, pod);
  try {
    await attachToContainer(ctx, pod, containerToAttach(ctx, pod, ''));
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).replace(/^error: /, '');
    ctx.err(`warning: couldn't attach to pod/${name}, falling back to streaming logs: ${msg}\n`);
    await printLogs(ctx, pod);
  }
}

/**
 * kubectl run. Without --attach/-i: the generator's create ("pod/NAME created"). With them, as kubectl 1.32:
 * create the pod silently, wait (--pod-running-timeout, default 1m) until it is running and ready, attach
 * to its main process (pods/attach; when the server refuses, kubectl's warning and the log so far), then
 * with --restart=Never/OnFailure (the -i default) wait for it to finish and exit with its code; --rm
 * deletes it afterwards (`pod "NAME" deleted`), also after errors.
 */
export async function runRun(ctx: CommandContext): Promise<number | void> {
  const stdin = ctx.bool('stdin');
  if (!ctx.bool('attach') && !stdin) {
    await runGenerator(ctx, runPodGenerator, 'kubectl-run');
    return;
  }
  const timeoutMs = parseGoDuration(ctx.str('pod-running-timeout') || '1m0s', 'pod-running-timeout');
  const created = await runGenerator(ctx, runPodGenerator, 'kubectl-run', false);
  const name = String((created.metadata as { name?: string }).name ?? '');
  const restart = (created.spec as { restartPolicy?: string }).restartPolicy;
  // The container's exit as kubectl's CodeExitError: its text (no "error: " prefix) after --rm's output.
  let exit: { text: string; code: number } | undefined;
  try {
    await attachPod(ctx, name, timeoutMs);
    if (ctx.bool('leave-stdin-open') || (restart !== 'Never' && restart !== 'OnFailure')) return;
    const { pod } = await waitForPod(ctx, name, restart === 'OnFailure' ? succeeded : completed, timeoutMs);
    if (pod.status?.phase === 'Succeeded') return;
    const ns = pod.metadata?.namespace ?? ctx.namespace;
    const term = pod.status?.containerStatuses?.[0]?.state?.terminated;
    if (!term || !term.exitCode) throw new RawError(`error: pod ${ns}/${name} failed with unknown exit code`);
    exit = { text: `pod ${ns}/${name} terminated (${term.reason ?? ''})\n${term.message ?? ''}`, code: term.exitCode };
  } finally {
    if (ctx.bool('rm')) await removePod(ctx, name);
  }
  if (exit) {
    ctx.err(exit.text.endsWith('\n') ? exit.text : `${exit.text}\n`);
    throw new SilentExit(exit.code);
  }
}

/** --rm: DELETE with the pod's own grace period, not waiting; a pod already gone is fine. */
async function removePod(ctx: CommandContext, name: string): Promise<void> {
  try {
    await ctx.io.client.call({ method: 'DELETE', path: resourcePath(Pods, ctx.namespace, name) });
    if (!ctx.bool('quiet')) ctx.out(`pod "${name}" deleted\n`);
  } catch (err) {
    if ((err as { code?: number }).code !== 404) throw err;
  }
}

export const runCommand: CommandDef = {
  name: runPodGenerator.name,
  short: runPodGenerator.short,
  usage: runPodGenerator.usage,
  flags: runPodGenerator.flags,
  run: runRun,
};
