import type { Container, Pod } from 'kubernetes-types/core/v1';
import { Pods, resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import type { CommandDef } from '../cli/commands-table';
import { RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { relayPodStream } from '../exec';
import { podForObject } from './pod-for-object';

export const attachFlags: FlagSpec[] = [
  { name: 'container', short: 'c', type: 'string' },
  { name: 'pod-running-timeout', type: 'string' },
  { name: 'quiet', short: 'q', type: 'bool' },
  { name: 'stdin', short: 'i', type: 'bool' },
  { name: 'tty', short: 't', type: 'bool' },
];

/** kubectl's podcmd.FindContainerByName: the container and the spec path it sits under. */
export function findContainer(pod: Pod, name: string): { container: Container; ephemeral: boolean } | undefined {
  const s = pod.spec;
  const plain = [...(s?.containers ?? []), ...(s?.initContainers ?? [])].find((c) => c.name === name);
  if (plain) return { container: plain, ephemeral: false };
  const eph = (s?.ephemeralContainers ?? []).find((c) => c.name === name);
  return eph ? { container: eph as Container, ephemeral: true } : undefined;
}

/**
 * kubectl's FindOrDefaultContainerByName: -c NAME (any kind of container), else the default-container
 * annotation or the first container, with the "Defaulted container" notice when the pod has several.
 */
export function containerToAttach(ctx: CommandContext, pod: Pod, name: string): { container: Container; ephemeral: boolean } {
  if (name) {
    const found = findContainer(pod, name);
    if (!found) throw new RawError(`error: cannot attach to the container: container ${name} not found in pod ${pod.metadata?.name}`);
    return found;
  }
  const cs = pod.spec?.containers ?? [];
  const preferred = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
  const container = (preferred && cs.find((c) => c.name === preferred)) || cs[0];
  const all = [...cs.map((c) => c.name), ...(pod.spec?.initContainers ?? []).map((c) => `${c.name} (init)`), ...(pod.spec?.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`)];
  if (all.length > 1 && !(preferred && container?.name === preferred) && !ctx.bool('quiet')) ctx.err(`Defaulted container "${container.name}" out of: ${all.join(', ')}\n`);
  return { container, ephemeral: false };
}

/**
 * Attaches to `container` of `pod` as kubectl's AttachOptions.Run does after finding the pod: the TTY
 * follows the container (-t on one without a tty is refused with kubectl's notice; a tty container forces
 * it), a TTY needs -i and a terminal (io.stdinStream), then "If you don't see a command prompt…", the
 * pods/attach stream, and with a raw TTY on a restartPolicy Always pod (any ephemeral container) the
 * "Session ended" hint on stdout.
 */
export async function attachToContainer(ctx: CommandContext, pod: Pod, target: { container: Container; ephemeral: boolean }, commandName = 'kubectl attach'): Promise<void> {
  const quiet = ctx.bool('quiet');
  const stdin = ctx.bool('stdin');
  const c = target.container;
  let tty = ctx.bool('tty');
  if (tty && !c.tty) {
    tty = false;
    if (!quiet) ctx.err(`error: Unable to use a TTY - container ${c.name} did not allocate one\n`);
  } else if (!tty && c.tty) tty = true;
  // kubectl's SetupTTY: no stdin, no TTY; a TTY needs a terminal on stdin.
  if (!stdin) tty = false;
  if (tty && !ctx.io.stdinStream) {
    tty = false;
    if (!quiet) ctx.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  }
  if (!quiet) ctx.err("If you don't see a command prompt, try pressing enter.\n");
  const name = pod.metadata?.name ?? '';
  const status = await relayPodStream(ctx, name, 'attach', { container: c.name }, stdin, tty);
  // client-go ends the attach with fmt.Errorf(status.Message) for a channel-3 Failure.
  if (status?.status === 'Failure') throw new RawError(`error: ${String(status.message ?? 'attach failed')}`);
  if (quiet || !stdin || !tty) return;
  if (target.ephemeral) {
    ctx.out(`Session ended, the ephemeral container will not be restarted but may be reattached using '${commandName} ${name} -c ${c.name} -i -t' if it is still running\n`);
  } else if ((pod.spec?.restartPolicy ?? 'Always') === 'Always') {
    ctx.out(`Session ended, resume using '${commandName} ${name} -c ${c.name} -i -t' command when the pod is running\n`);
  }
}

/** kubectl attach (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t], as kubectl 1.32. */
export async function runAttach(ctx: CommandContext): Promise<void> {
  const args = ctx.args;
  if (!args.length) throw new RawError('error: at least 1 argument is required for attach');
  if (args.length > 2) throw new RawError(`error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${args.length}: [${args.join(' ')}]`);
  let type = 'pods';
  let name = args[0];
  if (args.length === 2) [type, name] = args;
  else if (name.includes('/')) [type, name] = name.split('/', 2);
  const podName = await podForObject(ctx, type, name);
  const pod = await ctx.io.client.call<Pod>({ method: 'GET', path: resourcePath(Pods, ctx.namespace, podName) });
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new RawError(`error: cannot attach a container in a completed pod; current phase is ${phase}`);
  await attachToContainer(ctx, pod, containerToAttach(ctx, pod, ctx.str('container')));
}

export const attachCommand: CommandDef = {
  name: 'attach',
  short: 'Attach to a running container',
  usage: 'kubectl attach (POD | TYPE/NAME) -c CONTAINER [options]',
  flags: attachFlags,
  run: runAttach,
};
