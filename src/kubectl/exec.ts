import type { Pod } from 'kubernetes-types/core/v1';
import type { ExecInput, ExecStreamChunk } from '../api/protocol';
import { Pods, resourcePath } from '../api/resources';
import type { Status } from 'kubernetes-types/meta/v1';
import { ApiError, upgradeRefusedStatus } from '../api/status';
import type { CommandContext } from './cli/command-context';
import type { CommandDef } from './cli/commands-table';
import { RawError, SilentExit } from './cli/errors';
import type { FlagSpec } from './cli/parse-flags';

export const execFlags: FlagSpec[] = [
  { name: 'container', short: 'c', type: 'string' },
  { name: 'filename', short: 'f', type: 'stringSlice' },
  { name: 'pod-running-timeout', type: 'string' },
  { name: 'quiet', short: 'q', type: 'bool' },
  { name: 'stdin', short: 'i', type: 'bool' },
  { name: 'tty', short: 't', type: 'bool' },
];

/**
 * kubectl exec (POD | pod/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...], as kubectl 1.32: reads the
 * pod (completed pods are refused, the container defaulted with a "Defaulted container" notice), opens
 * POST pods/NAME/exec as a stream (command words joined by NUL in the `command` query parameter; see
 * src/workers/apiserver/handlers/exec.ts), relays channel 1/2 to stdout/stderr, feeds -i from
 * io.stdinStream (keystrokes) or io.stdin (then EOF), and ends with the channel-3 Status: a non-zero exit
 * prints "command terminated with exit code N" and exits N.
 */
export async function runExec(ctx: CommandContext): Promise<number> {
  const dash = ctx.flags.argsLenAtDash;
  const args = ctx.args;
  if (!args.length || dash === 0) throw new RawError('error: pod, type/name or --filename must be specified');
  if (dash < 0) {
    if (args.length === 1) throw new RawError('error: you must specify at least one command for the container');
    throw new RawError("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
  }
  let podName = args[0];
  if (podName.includes('/')) {
    const [type, name] = podName.split('/', 2);
    if (!['pod', 'pods', 'po'].includes(type.toLowerCase())) throw new RawError(`error: cannot exec into ${type}/${name}: only pods are supported here`);
    podName = name;
  }
  const command = args.slice(dash);
  if (!command.length) throw new RawError('error: you must specify at least one command for the container');
  const ns = ctx.namespace;
  const pod = await ctx.io.client.call<Pod>({ method: 'GET', path: resourcePath(Pods, ns, podName) });
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new RawError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  let container = ctx.str('container');
  if (!container) {
    const names = pod.spec?.containers?.map((c) => c.name) ?? [];
    const preferred = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'];
    container = preferred && names.includes(preferred) ? preferred : (names[0] ?? '');
    const all = [...names, ...(pod.spec?.initContainers ?? []).map((c) => `${c.name} (init)`), ...(pod.spec?.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`)];
    if (all.length > 1 && !preferred && !ctx.bool('quiet')) ctx.err(`Defaulted container "${container}" out of: ${all.join(', ')}\n`);
  }
  const stdin = ctx.bool('stdin');
  // kubectl's SetupTTY: -t needs -i (else silently off) and a terminal on stdin (io.stdinStream).
  let tty = stdin && ctx.bool('tty');
  if (tty && !ctx.io.stdinStream) {
    if (!ctx.bool('quiet')) ctx.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    tty = false;
  }
  const status = await relayPodStream(ctx, podName, 'exec', { command: command.join('\0'), container }, stdin, tty);
  // A Failure other than the exit code is client-go's fmt.Errorf(status.Message).
  if (!status || status.status === 'Success') return 0;
  const causes = ((status.details as { causes?: Array<{ reason?: string; message?: string }> } | undefined)?.causes ?? []);
  const code = Number(causes.find((c) => c.reason === 'ExitCode')?.message);
  if (status.reason === 'NonZeroExitCode' && Number.isInteger(code)) {
    if (!ctx.bool('quiet')) ctx.err(`command terminated with exit code ${code}\n`);
    throw new SilentExit(code);
  }
  throw new RawError(`error: ${String(status.message ?? 'exec failed')}`);
}

/**
 * Opens POST pods/NAME/<exec|attach> (in ctx.namespace) as a stream and relays it: channel 1/2 to
 * stdout/stderr (channel 1's raw bytes to io.stdoutBytes when set), -i from io.stdinStream (keystrokes) or
 * io.stdinBytes / io.stdin (then EOF), -t sizes on channel 4; without
 * -t, io.signal cancels the stream. Resolves with the channel-3 Status (undefined when none came). When the
 * apiserver refuses the stream: its Status as an ApiError (kubectl prints "Error from server (Reason): …", as
 * client-go decodes the refused upgrade's Status). A kubelet's refusal (a text body) resolves with
 * upgradeRefusedStatus, the channel-3 Status kube-apiserver's StreamTranslator sends kubectl 1.32's WebSocket
 * ("Internal error occurred: unable to upgrade connection: …").
 */
export async function relayPodStream(ctx: CommandContext, podName: string, sub: 'exec' | 'attach', base: Record<string, string>, stdin: boolean, tty: boolean): Promise<Record<string, unknown> | undefined> {
  const transport = ctx.io.client.transport;
  const query: Record<string, string> = { ...base, stdout: 'true' };
  if (stdin) query.stdin = 'true';
  if (tty) query.tty = 'true';
  else query.stderr = 'true';
  // Keystrokes typed while the stream opens wait, as a terminal's input buffer holds them, and go first.
  const live = stdin ? ctx.io.stdinStream : undefined;
  const early: string[] = [];
  let onKeys: (data: string) => void = (data) => early.push(data);
  const keys = live?.onData((data) => onKeys(data));
  let open;
  try {
    open = await transport.stream({ method: 'POST', path: resourcePath(Pods, ctx.namespace, podName, sub), query });
  } catch (err) {
    keys?.dispose();
    throw err;
  }
  if (open.status !== 200 || !open.streamId) {
    keys?.dispose();
    const body = open.body as { kind?: string; message?: string } | string | undefined;
    if (typeof body === 'string') return upgradeRefusedStatus(body) as Record<string, unknown>;
    if (body?.kind === 'Status') throw new ApiError(open.status, body as Status);
    throw new RawError(`error: unable to upgrade connection: ${body?.message ?? `the server responded with status ${open.status}`}`);
  }
  const id = open.streamId;
  // Called as a method: on a Comlink proxy only `transport.write(...)` reaches the remote write().
  const writer = transport as unknown as { write?(streamId: string, input: ExecInput): Promise<void> };
  let sending = Promise.resolve();
  const send = (input: ExecInput) => {
    sending = sending.then(() => writer.write?.(id, input)).catch(() => undefined);
  };
  const cleanups: Array<{ dispose(): void }> = [];
  if (stdin) {
    if (live && keys) {
      cleanups.push(keys);
      if (tty) {
        const size = live.size?.();
        if (size) send({ channel: 4, ...size });
        if (live.onResize) cleanups.push(live.onResize((s) => send({ channel: 4, ...s })));
      }
      for (const data of early.splice(0)) send({ channel: 0, data });
      onKeys = (data) => send({ channel: 0, data });
    } else {
      const bytes = ctx.io.stdinBytes;
      if (bytes) send({ channel: 0, data: new TextDecoder().decode(bytes), bytes });
      else if (ctx.io.stdin) send({ channel: 0, data: ctx.io.stdin });
      send({ channel: 255 });
    }
  }
  const signal = ctx.io.signal;
  if (signal && !tty) {
    const prev = signal.onabort;
    signal.onabort = () => {
      prev?.();
      void transport.cancel(id);
    };
  }
  let status: Record<string, unknown> | undefined;
  try {
    for (let batch = await transport.read(id); batch; batch = await transport.read(id)) {
      for (const chunk of batch as ExecStreamChunk[]) {
        if ('status' in chunk) status = chunk.status;
        else if (chunk.channel === 1 && ctx.io.stdoutBytes) ctx.io.stdoutBytes(chunk.bytes ?? new TextEncoder().encode(chunk.data));
        else if (chunk.channel === 1) ctx.out(chunk.data);
        else ctx.err(chunk.data);
      }
    }
  } finally {
    for (const c of cleanups) c.dispose();
  }
  return status;
}

export const execCommand: CommandDef = {
  name: 'exec',
  short: 'Execute a command in a container.',
  usage: 'kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...] [options]',
  flags: execFlags,
  run: runExec,
};
