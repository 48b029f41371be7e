// Node-only: pods/portforward over a plain WebSocket with subprotocol v4.channel.k8s.io (the kubelet's
// portforward websocket.go, which kube 1.32 apiservers proxy): for the i-th port of `ports`, channel 2i carries
// data both ways and channel 2i+1 the server's error text; the server's first message on each channel is the
// port as 2 bytes little-endian. There is no half-close: the connection ends by closing the socket.
// Server side (our serve) and client side (our kubectl in Node) both live here.
import WebSocket, { type WebSocketServer } from 'ws';
import type { ApiHandler, ApiRequest } from '../api/protocol';
import { withWebSocketStreams } from './ws-stream-client';

export const PORTFORWARD_CHANNEL_PROTOCOL = 'v4.channel.k8s.io';
const PATH = /\/pods\/[^/]+\/portforward$/;

const frame = (channel: number, data: Uint8Array) => Buffer.concat([Buffer.of(channel), data]);
const portBytes = (port: number) => Buffer.of(port & 0xff, port >> 8);

/**
 * Serves one upgraded connection: opens base + ports=<port> per requested port (handlers/portforward.ts), sends
 * the port prefixes, relays bytes, and sends an API error or { error } chunk as text on the error channel. The
 * socket closes (1000) once every port's stream has ended; a closed socket cancels them. Returns a stop function.
 */
export function serveChannelPortForward(api: ApiHandler, ws: WebSocket, base: ApiRequest, ports: number[]): () => void {
  const ids: Array<string | undefined> = [];
  const opened: Array<Promise<string | undefined>> = [];
  let closed = false;
  const send = (b: Buffer) => ws.readyState === ws.OPEN && ws.send(b);
  const stop = () => {
    if (closed) return;
    closed = true;
    for (const id of ids) if (id) void api.cancel(id).catch(() => undefined);
    if (ws.readyState === ws.OPEN) ws.close(1000);
  };
  ports.forEach((port, i) => {
    send(frame(2 * i, portBytes(port)));
    send(frame(2 * i + 1, portBytes(port)));
    opened[i] = (async () => {
      const open = await api.stream({ ...base, method: 'GET', query: { ports: String(port) } });
      if (open.status !== 200 || !open.streamId) {
        send(frame(2 * i + 1, Buffer.from((open.body as { message?: string } | undefined)?.message ?? `error forwarding port ${port}`)));
        return undefined;
      }
      return (ids[i] = open.streamId);
    })();
  });
  void Promise.all(
    opened.map(async (p, i) => {
      const id = await p.catch(() => undefined);
      if (!id) return;
      for (let batch = await api.read(id).catch(() => null); batch && !closed; batch = await api.read(id).catch(() => null)) {
        for (const chunk of batch) {
          if (chunk instanceof Uint8Array) send(frame(2 * i, chunk));
          else send(frame(2 * i + 1, Buffer.from(String((chunk as { error?: unknown }).error ?? ''))));
        }
      }
    }),
  ).then(stop);
  let input = Promise.resolve();
  ws.on('message', (data, isBinary) => {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (!isBinary || buf.length < 1 || buf[0] % 2 !== 0) return;
    const i = buf[0] / 2;
    const bytes = new Uint8Array(buf.subarray(1));
    if (!opened[i] || !bytes.length) return;
    input = input.then(async () => {
      const id = await opened[i].catch(() => undefined);
      if (id && !closed) await api.write?.(id, { channel: 'bytes', data: bytes });
    }).catch(() => undefined);
  });
  ws.on('close', stop);
  ws.on('error', stop);
  return stop;
}

/** Accepts the v4.channel.k8s.io upgrade on `wss` and serves it; `register` gets the stop function. */
export function acceptChannelPortForward(wss: WebSocketServer, api: ApiHandler, req: import('node:http').IncomingMessage, socket: import('node:stream').Duplex, head: Buffer, base: ApiRequest, ports: number[], register: (stop: () => void, ws: WebSocket) => void): void {
  wss.handleUpgrade(req, socket, head, (ws) => register(serveChannelPortForward(api, ws, base, ports), ws));
}

/**
 * Wraps an HTTP transport: stream() of pods/<name>/portforward opens a v4.channel.k8s.io WebSocket to `server`
 * (one per forwarded connection, one port), resolving 200 once upgraded or with the server's Status when it
 * refuses; read() yields Uint8Array chunks and { error } for text on the error channel (port prefixes
 * stripped); write() sends { channel: 'bytes' } (255 is dropped: no half-close); cancel() closes the socket.
 * Everything else goes to `inner`.
 */
export function withWebSocketPortForward(inner: ApiHandler, opts: { server: string; token?: string }): ApiHandler {
  return withWebSocketStreams<unknown>(inner, opts, {
    path: PATH,
    subprotocol: PORTFORWARD_CHANNEL_PROTOCOL,
    idPrefix: 'pf',
    query(url, query) {
      for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    },
    decoder() {
      const seen = new Set<number>();
      return (data) => {
        let buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        if (buf.length < 1) return [];
        const ch = buf[0];
        buf = buf.subarray(1);
        if (!seen.has(ch)) {
          seen.add(ch);
          buf = buf.subarray(2);
        }
        if (!buf.length) return [];
        return [ch % 2 === 0 ? new Uint8Array(buf) : { error: buf.toString('utf8') }];
      };
    },
    send(ws, input) {
      if (input.channel === 'bytes') ws.send(frame(0, input.data));
    },
  });
}
