import type { Pod } from 'kubernetes-types/core/v1';
import type { StreamOpen } from '../../../api/protocol';
import { dialTcp, type AsyncConn } from '../../../network/dial-tcp';
import type { ApiContext, ResourceRequest } from '../context';
import { badRequest } from '../errors';
import type { ExecInputs } from './exec';
import { loadObject } from './get';
import { admitConnect } from '../crd/connect-admission';

/** One chunk of a pods/portforward stream: bytes from the pod's port, or (last) the error kubelet writes on the port's error stream. */
export type PortForwardChunk = Uint8Array | { error: string };

/**
 * GET/POST pods/<name>/portforward?ports=<port> as a bidirectional byte stream to one connection to the
 * pod's port (one stream per forwarded connection, as the SPDY data/error stream pair of portforward.k8s.io).
 * The apiserver dials podIP:port over ctx.network itself rather than through the kubelet: the fabric is
 * shared by every node, so the kubelet hop would add nothing (unlike real nodes, a listener bound to the
 * pod's 127.0.0.1 only is not reachable this way).
 *
 * Errors before the stream opens (a Status): 404 for the pod, 400 for a missing or invalid port or a pod
 * without a node or IP. A failed dial opens the stream anyway and sends one { error } chunk (kubelet's
 * "error forwarding port …" text), then ends. Input: { channel: 'bytes' } to the pod, 255 closes the write
 * side; the stream ends when the pod's side reaches EOF. Cancelling closes the connection.
 */
export async function portForwardHandler(ctx: ApiContext, rr: ResourceRequest, inputs: ExecInputs): Promise<StreamOpen> {
  await admitConnect(ctx, rr);
  const pod = (await loadObject(ctx, rr)).obj as unknown as Pod;
  const name = rr.name!;
  const raw = rr.query.ports ?? rr.query.port ?? '';
  const port = Number(raw);
  if (!raw) throw badRequest('at least 1 port must be specified');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw badRequest(`unable to parse "${raw}" as a port: must be between 1 and 65535, inclusive`);
  if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
  const podIP = pod.status?.podIP;
  if (!podIP || pod.status?.phase !== 'Running') throw badRequest(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Pending'}`);

  let conn: AsyncConn | undefined;
  const sink = ctx.streams.open(() => {
    inputs.delete(sink.id);
    conn?.close();
  });
  const prefix = `error forwarding port ${port} to pod ${pod.metadata?.uid ?? ''}, uid : `;
  if (!ctx.network) {
    sink.push({ error: `${prefix}dial tcp ${podIP}:${port}: connect: network is unreachable` } satisfies PortForwardChunk);
    sink.end();
    return { status: 200, body: undefined, streamId: sink.id };
  }
  const dialed = dialTcp(ctx.network, podIP, port, { clock: ctx.clock, timeoutMs: 10_000 });
  inputs.set(sink.id, async (input) => {
    const c = await dialed.catch(() => undefined);
    if (!c || sink.ended) return;
    if (input.channel === 'bytes') await c.write(input.data).catch(() => undefined);
    else if (input.channel === 255) c.closeWrite();
  });
  void (async () => {
    try {
      conn = await dialed;
      if (sink.ended) return conn.close();
      for (let data = await conn.read(); data && !sink.ended; data = await conn.read()) sink.push(data satisfies PortForwardChunk);
    } catch (err) {
      sink.push({ error: prefix + (err instanceof Error ? err.message : String(err)) } satisfies PortForwardChunk);
    } finally {
      sink.end();
    }
  })();
  return { status: 200, body: undefined, streamId: sink.id };
}
