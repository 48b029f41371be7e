import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { ApiHandler } from '../../api/protocol';
import type { ApiTransport } from '../../client/api-client';
import { Pods, resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import type { CommandDef } from '../cli/commands-table';
import { RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import type { ForwardedConn, PortForwardListener } from '../kubectl-io';
import { byLogging, selectorForObject } from './pod-for-object';
import { convertPodNamedPorts, joinHostPort, listenAddresses, parsePorts, translateServicePorts, type ForwardedPort } from './port-forward-ports';

export const portForwardFlags: FlagSpec[] = [
  { name: 'address', type: 'stringSlice' },
  { name: 'pod-running-timeout', type: 'string' },
];

/** A klog error line as client-go's runtime.HandleError prints it (kubectl port-forward's per-connection errors). */
function klogError(ctx: CommandContext, text: string): void {
  const d = new Date(ctx.io.clock.now());
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `E${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)}`;
  ctx.err(`${stamp}       1 portforward.go:413] "Unhandled Error" err=${JSON.stringify(text)}\n`);
}

/**
 * Relays one accepted local connection through a pods/portforward stream (one stream per connection, as
 * each SPDY data/error stream pair). Prints "Handling connection for <local>"; an error from the server
 * (refused stream, dial failure on the error channel) is logged as client-go does and closes the connection.
 * Never rejects.
 */
export async function relayConnection(ctx: CommandContext, t: ApiTransport, namespace: string, pod: string, port: ForwardedPort, conn: ForwardedConn, active = new Set<() => void>()): Promise<void> {
  const transport = t as unknown as ApiHandler;
  ctx.out(`Handling connection for ${port.local}\n`);
  const fail = (msg: string) => klogError(ctx, `an error occurred forwarding ${port.local} -> ${port.remote}: ${msg}`);
  let id: string | undefined;
  try {
    const open = await transport.stream({ method: 'POST', path: resourcePath(Pods, namespace, pod, 'portforward'), query: { ports: String(port.remote) } });
    if (open.status !== 200 || !open.streamId) {
      fail(`error creating error stream for port ${port.local} -> ${port.remote}: ${(open.body as { message?: string } | undefined)?.message ?? `status ${open.status}`}`);
      return conn.close();
    }
    const sid = (id = open.streamId);
    const stop = () => {
      active.delete(stop);
      void Promise.resolve(transport.cancel(sid)).catch(() => undefined);
      conn.close();
    };
    active.add(stop);
    void conn.gone?.then(stop);
    void (async () => {
      try {
        for (let data = await conn.read(); data; data = await conn.read()) await transport.write?.(sid, { channel: 'bytes', data });
        await transport.write?.(sid, { channel: 255 });
      } catch {
        void transport.cancel(sid);
      }
    })();
    for (let batch = await transport.read(sid); batch; batch = await transport.read(sid)) {
      for (const chunk of batch as Array<Uint8Array | { error?: string }>) {
        if (chunk instanceof Uint8Array) await conn.write(chunk).catch(stop);
        else if (chunk?.error) fail(chunk.error);
      }
    }
    active.delete(stop);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
    if (id) void Promise.resolve(transport.cancel(id)).catch(() => undefined);
  }
  conn.close();
}

/** AttachablePodForObject: the pod itself, or the first pod (kubectl's order) a Service or workload selects. */
async function forwardablePod(ctx: CommandContext, arg: string): Promise<{ pod: Pod; service?: Service }> {
  const ns = ctx.namespace;
  const slash = arg.indexOf('/');
  const mapper = await ctx.mapper();
  const info = slash < 0 ? mapper.resolve('pods') : mapper.resolve(arg.slice(0, slash));
  const name = slash < 0 ? arg : arg.slice(slash + 1);
  const obj = await ctx.io.client.call<Pod & Service>({ method: 'GET', path: resourcePath(info, ns, name) });
  if (info.kind === 'Pod') return { pod: obj };
  const selector = selectorForObject({ ...obj, kind: obj.kind ?? info.kind });
  const list = await ctx.io.client.call<{ items: Pod[] }>({ method: 'GET', path: resourcePath(Pods, ns), query: selector ? { labelSelector: selector } : {} });
  const pods = [...list.items].sort(byLogging);
  if (!pods.length) throw new RawError('error: timed out waiting for the condition');
  return { pod: pods[0], ...(info.kind === 'Service' ? { service: obj } : {}) };
}

/**
 * kubectl port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT [...] [--address ADDR,...], as kubectl 1.32: resolves
 * the pod (a Service's ports become its target container ports), refuses a pod that is not Running, listens
 * through io.portForward on every address ("Forwarding from 127.0.0.1:8080 -> 80", "Forwarding from
 * [::1]:8080 -> 80"), relays each connection, and runs until io.signal aborts (exit 0). Listen failures are
 * reported per port as client-go does; none listening is an error.
 */
export async function runPortForward(ctx: CommandContext): Promise<number> {
  if (ctx.args.length < 2) throw new RawError("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples");
  const host = ctx.io.portForward;
  if (!host) throw new RawError('error: port-forward needs a host that can listen');
  const { pod: found, service } = await forwardablePod(ctx, ctx.args[0]);
  const specs = service ? translateServicePorts(ctx.args.slice(1), service, found) : convertPodNamedPorts(ctx.args.slice(1), found);
  const ports = parsePorts(specs);
  const ns = ctx.namespace;
  const podName = found.metadata?.name ?? '';
  const pod = await ctx.io.client.call<Pod>({ method: 'GET', path: resourcePath(Pods, ns, podName) });
  if (pod.status?.phase !== 'Running') throw new RawError(`error: unable to forward port because pod is not running. Current status=${pod.status?.phase ?? ''}`);

  const listeners: PortForwardListener[] = [];
  const active = new Set<() => void>();
  const addresses = listenAddresses(ctx.list('address'));
  let anyListening = false;
  for (const port of ports) {
    const errors: string[] = [];
    const ok = { all: 0, any: 0 };
    const failed = { all: 0, any: 0 };
    const mine: PortForwardListener[] = [];
    // one handler per port: a host may share a local port between the addresses of one forward
    const onConnection = (conn: ForwardedConn) => void relayConnection(ctx, ctx.io.client.transport, ns, podName, { local: port.local, remote: port.remote }, conn, active);
    for (const addr of addresses) {
      try {
        const l = await host.listen(addr.ip, port.local, onConnection, { namespace: ns, pod: podName, remotePort: port.remote });
        if (port.local === 0) port.local = l.port;
        mine.push(l);
        ok[addr.failureMode]++;
        ctx.out(`Forwarding from ${joinHostPort(addr.ip, l.port)} -> ${port.remote}\n`);
      } catch (err) {
        failed[addr.failureMode]++;
        errors.push(`unable to create listener: Error ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if ((ok.all === 0 && failed.all > 0) || failed.any > 0) {
      for (const l of mine) l.dispose();
      ctx.err(`Unable to listen on port ${port.local}: Listeners failed to create with the following errors: [${errors.join(' ')}]\n`);
    } else {
      listeners.push(...mine);
      anyListening = true;
    }
  }
  if (!anyListening) throw new RawError(`error: unable to listen on any of the requested ports: [${ports.map((p) => `{${p.local} ${p.remote}}`).join(' ')}]`);
  try {
    await new Promise<void>((resolve) => {
      const signal = ctx.io.signal;
      if (!signal) return resolve();
      if (signal.aborted) return resolve();
      const prev = signal.onabort;
      signal.onabort = () => {
        prev?.();
        resolve();
      };
    });
  } finally {
    for (const l of listeners) l.dispose();
    for (const stop of [...active]) stop();
  }
  return 0;
}

export const portForwardCommand: CommandDef = {
  name: 'port-forward',
  short: 'Forward one or more local ports to a pod',
  usage: 'kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...[LOCAL_PORT_N:]REMOTE_PORT_N]',
  flags: portForwardFlags,
  run: runPortForward,
};
