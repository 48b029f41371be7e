// Node-only: pods/portforward as kubectl 1.32 speaks it: SPDY/3.1 tunneled over a WebSocket (subprotocol
// "SPDY/3.1+portforward.k8s.io", client-go tools/portforward tunneling_dialer.go), each forwarded connection
// an error stream and a data stream (headers streamtype, port, requestid), bridged onto ApiHandler streams
// of GET pods/<name>/portforward?ports=<port> (handlers/portforward.ts: one per connection).
import type { WebSocket } from 'ws';
import type { ApiHandler, ApiRequest, ExecInput } from '../api/protocol';
import { controlFrame, controlStreamId, dataFrame, FLAG_FIN, rstStreamFrame, SPDY, SpdyFrameReader, SpdyHeaderDecoder, SpdyHeaderEncoder, synReplyFrame, type SpdyFrame } from './ws-spdy-frames';

export const PORTFORWARD_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
const MAX_DATA = 32 * 1024;

interface Pair {
  errorStream?: number;
  dataStream?: number;
  /** The API stream, once opened (undefined: opening or failed). */
  apiId?: string;
  /** Error text waiting for the error stream to be created. */
  pendingError?: string;
  /** Client input, in order, after the API stream opened. */
  input: Promise<unknown>;
  done: boolean;
}

export interface PortForwardSession {
  /** Ends every forwarded connection (cancels their API streams). */
  close(): void;
}

/**
 * Serves one tunneled SPDY connection. `base` is the ApiRequest for the upgrade (path pods/<name>/portforward,
 * identity); each data stream opens base + ports=<port>. An API error opening it, or the stream's { error }
 * chunk, goes to the pair's error stream as text (kubectl prints it as "an error occurred forwarding …").
 * Both streams get FIN when the pod's side ends; RST_STREAM from the client cancels the pair. PINGs are
 * echoed; flow control is not enforced (spdystream does not either).
 */
export function servePortForward(api: ApiHandler, ws: WebSocket, base: ApiRequest): PortForwardSession {
  const reader = new SpdyFrameReader();
  const headersIn = new SpdyHeaderDecoder();
  const headersOut = new SpdyHeaderEncoder();
  const pairs = new Map<string, Pair>();
  const byStream = new Map<number, { requestId: string; type: string }>();
  let closed = false;
  const send = (frame: Buffer) => {
    if (!closed && ws.readyState === ws.OPEN) ws.send(frame);
  };

  const sendData = (streamId: number, data: Uint8Array) => {
    for (let off = 0; off < data.length; off += MAX_DATA) send(dataFrame(streamId, data.subarray(off, off + MAX_DATA)));
  };
  const fail = (pair: Pair, message: string) => {
    if (pair.errorStream !== undefined) sendData(pair.errorStream, Buffer.from(message, 'utf8'));
    else pair.pendingError = (pair.pendingError ?? '') + message;
  };
  const finish = (pair: Pair) => {
    if (pair.done) return;
    pair.done = true;
    for (const sid of [pair.dataStream, pair.errorStream]) if (sid !== undefined) send(dataFrame(sid, new Uint8Array(0), FLAG_FIN));
  };
  const cancel = (pair: Pair) => {
    pair.done = true;
    if (pair.apiId) void api.cancel(pair.apiId).catch(() => undefined);
  };

  const openData = (pair: Pair, port: string) => {
    const opening = api.stream({ ...base, method: 'GET', query: { ports: port } });
    // input queued behind the open sees apiId set
    pair.input = opening.then((o) => void (o.status === 200 && o.streamId && (pair.apiId = o.streamId)));
    void (async () => {
      try {
        const opened = await opening;
        if (opened.status !== 200 || !opened.streamId) {
          fail(pair, (opened.body as { message?: string } | undefined)?.message ?? `error forwarding port ${port}: ${opened.status}`);
          return finish(pair);
        }
        if (pair.done) return void api.cancel(opened.streamId).catch(() => undefined);
        for (let batch = await api.read(opened.streamId); batch && !pair.done; batch = await api.read(opened.streamId)) {
          for (const chunk of batch) {
            if (chunk instanceof Uint8Array) sendData(pair.dataStream!, chunk);
            else fail(pair, String((chunk as { error?: unknown }).error ?? ''));
          }
        }
      } catch (err) {
        fail(pair, err instanceof Error ? err.message : String(err));
      }
      finish(pair);
    })();
  };

  const write = (pair: Pair, input: ExecInput) => {
    pair.input = pair.input.then(() => (pair.apiId && !pair.done ? api.write?.(pair.apiId, input) : undefined)).catch(() => undefined);
  };

  const onFrame = (frame: SpdyFrame) => {
    if (frame.kind === 'data') {
      const s = byStream.get(frame.streamId);
      const pair = s && pairs.get(s.requestId);
      if (!pair || s!.type !== 'data') return;
      if (frame.data.length) write(pair, { channel: 'bytes', data: new Uint8Array(frame.data) });
      if (frame.flags & FLAG_FIN) write(pair, { channel: 255 });
      return;
    }
    switch (frame.type) {
      case SPDY.synStream: {
        const streamId = controlStreamId(frame.body);
        const headers = headersIn.decode(frame.body.subarray(10));
        const type = headers.get('streamtype')?.[0] ?? '';
        const port = headers.get('port')?.[0] ?? '';
        const requestId = headers.get('requestid')?.[0] ?? String(streamId);
        send(synReplyFrame(streamId, headersOut.encode({})));
        let pair = pairs.get(requestId);
        if (!pair) pairs.set(requestId, (pair = { input: Promise.resolve(), done: false }));
        byStream.set(streamId, { requestId, type });
        if (type === 'error') {
          pair.errorStream = streamId;
          if (pair.pendingError) (sendData(streamId, Buffer.from(pair.pendingError, 'utf8')), (pair.pendingError = undefined));
          if (pair.done) send(dataFrame(streamId, new Uint8Array(0), FLAG_FIN));
        } else if (type === 'data') {
          pair.dataStream = streamId;
          openData(pair, port);
        } else {
          send(rstStreamFrame(streamId, 1));
        }
        return;
      }
      case SPDY.rstStream: {
        const s = byStream.get(controlStreamId(frame.body));
        const pair = s && pairs.get(s.requestId);
        if (pair) cancel(pair);
        return;
      }
      case SPDY.ping:
        return send(controlFrame(SPDY.ping, 0, frame.body.subarray(0, 4)));
      case SPDY.goAway:
        return close();
      default:
        return; // SETTINGS, WINDOW_UPDATE, HEADERS, SYN_REPLY: nothing to do
    }
  };

  const close = () => {
    if (closed) return;
    for (const pair of pairs.values()) cancel(pair);
    closed = true;
    if (ws.readyState === ws.OPEN) ws.close(1000);
  };

  ws.on('message', (data, isBinary) => {
    if (!isBinary || closed) return;
    try {
      for (const frame of reader.push(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer))) onFrame(frame);
    } catch {
      close(); // a malformed frame or header block: the connection is unusable
    }
  });
  ws.on('close', close);
  ws.on('error', close);
  return { close };
}
