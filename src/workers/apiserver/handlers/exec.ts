import type { Pod } from 'kubernetes-types/core/v1';
import type { ExecInput, ExecOptions, ExecStreamChunk, KubeletApi, StreamOpen } from '../../../api/protocol';
import type { Remote } from 'comlink';
import { failureStatus } from '../../../api/status';
import type { ApiContext, ResourceRequest } from '../context';
import { ApiServerError, badRequest } from '../errors';
import { loadObject } from './get';
import { admitConnect } from '../crd/connect-admission';

type Kubelet = KubeletApi | Remote<KubeletApi>;
/** The exec half of KubeletApi as called here (in-process or over Comlink, every call returns a promise). */
export type ExecKubelet = Required<Pick<KubeletApi, 'execOpen' | 'attachOpen' | 'execRead' | 'execWrite' | 'execCloseStdin' | 'execResize' | 'execCancel'>>;

/** Where exec stream input goes: stream id → the kubelet session it feeds. */
export class ExecInputs {
  private readonly writers = new Map<string, (input: ExecInput) => Promise<void>>();

  set(id: string, write: (input: ExecInput) => Promise<void>): void {
    this.writers.set(id, write);
  }

  delete(id: string): void {
    this.writers.delete(id);
  }

  /** ApiHandler.write: input for an unknown or ended stream is dropped. */
  async write(id: string, input: ExecInput): Promise<void> {
    await this.writers.get(id)?.(input);
  }
}

const names = (cs: Array<{ name: string }> | undefined) => (cs ?? []).map((c) => c.name).join(' ');

/**
 * POST (or GET) pods/<name>/exec as a bidirectional stream: query `command` (the words joined by NUL, since
 * ApiRequest.query holds one value per key; the HTTP front end joins repeated `command=` parameters so),
 * `container`, `stdin`, `stdout`, `stderr`, `tty`. Validation as kube's ExecLocation: 400 for a missing or
 * unknown container, a pod without a node, no command or no stream; 500 when the node's kubelet is not
 * connected (a Status) or rejects (its message as text/plain, see kubeletRejection). Chunks are ExecStreamChunk; input
 * arrives through ApiHandler.write (ExecInputs). Cancelling the stream kills the process.
 */
export async function execHandler(ctx: ApiContext, rr: ResourceRequest, inputs: ExecInputs): Promise<StreamOpen> {
  await admitConnect(ctx, rr);
  const pod = (await loadObject(ctx, rr)).obj as unknown as Pod;
  const name = rr.name!;
  const spec = pod.spec ?? { containers: [] };
  let container = rr.query.container ?? '';
  if (!container) {
    const cs = spec.containers ?? [];
    if (cs.length === 1) container = cs[0].name;
    else throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names(cs)}]`);
  } else if (![...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].some((c) => c.name === container)) {
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  }
  const command = (rr.query.command ?? '').split('\0').filter((w, i, all) => w !== '' || all.length > 1);
  if (!command.length) throw badRequest('you must specify at least 1 command');
  const opts: ExecOptions = { command };
  for (const k of ['stdin', 'stdout', 'stderr', 'tty'] as const) if (rr.query[k] === 'true' || rr.query[k] === '1') opts[k] = true;
  if (!opts.stdin && !opts.stdout && !opts.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const nodeName = spec.nodeName;
  if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const dialed: Kubelet | undefined = ctx.dialNode?.(nodeName);
  const kubelet = dialed as unknown as ExecKubelet | undefined;
  if (!kubelet?.execOpen) {
    throw new ApiServerError(500, failureStatus('InternalError', `error dialing backend: dial tcp ${nodeName}:10250: connect: connection refused`));
  }
  let sessionId: string;
  try {
    sessionId = await kubelet.execOpen(pod.metadata?.namespace ?? '', name, container, opts);
  } catch (err) {
    return kubeletRejection(err);
  }
  return relayKubeletSession(ctx, kubelet, sessionId, opts, inputs);
}

/**
 * The kubelet refused to open the stream: kube-apiserver's upgrade-aware proxy echoes the kubelet's answer as
 * plain text (not a Status), which client-go reports as "unable to upgrade connection: container not found
 * (\"c\")": http.Error's 500 with a newline, or, for a pod the kubelet does not know, go-restful's
 * WriteError 404 `pod does not exist` (pkg/kubelet/server/server.go getExec/getAttach).
 */
export function kubeletRejection(err: unknown): StreamOpen {
  const message = err instanceof Error ? err.message : String(err);
  const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' };
  if (message === 'pod does not exist') return { status: 404, body: message, headers };
  return { status: 500, body: `${message}\n`, headers };
}

/**
 * The stream for an open kubelet exec/attach session: its chunks (stderr dropped unless asked for or tty,
 * stdout unless asked for), input through `inputs`; cancelling the stream cancels the session.
 */
export function relayKubeletSession(ctx: ApiContext, kubelet: ExecKubelet, sessionId: string, opts: { stdout?: boolean; stderr?: boolean; tty?: boolean }, inputs: ExecInputs): StreamOpen {
  let done = false;
  const sink = ctx.streams.open(() => {
    inputs.delete(sink.id);
    if (!done) void kubelet.execCancel(sessionId).catch(() => undefined);
  });
  inputs.set(sink.id, async (input) => {
    if (input.channel === 0) await kubelet.execWrite(sessionId, input.bytes ?? input.data);
    else if (input.channel === 4) await kubelet.execResize(sessionId, { width: input.width, height: input.height });
    else await kubelet.execCloseStdin(sessionId);
  });
  void (async () => {
    try {
      for (let batch = await kubelet.execRead(sessionId); batch; batch = await kubelet.execRead(sessionId)) {
        for (const chunk of batch as ExecStreamChunk[]) {
          if (chunk.channel === 2 && !opts.stderr && !opts.tty) continue;
          if (chunk.channel === 1 && !opts.stdout) continue;
          sink.push(chunk);
        }
      }
    } catch (err) {
      sink.push({ channel: 3, status: { metadata: {}, status: 'Failure', message: err instanceof Error ? err.message : String(err) } } satisfies ExecStreamChunk);
    } finally {
      done = true;
      sink.end();
    }
  })();
  return { status: 200, body: undefined, streamId: sink.id };
}
