// Node-only: the client half shared by pods/exec|attach (ws-exec-client) and pods/portforward
// (ws-portforward-channel) over a WebSocket subprotocol.
import WebSocket from 'ws';
import type { ApiHandler, ApiRequest, ExecInput, StreamOpen } from '../api/protocol';

export interface WsStreamProtocol<C> {
  /** Requests whose path matches are streamed over the WebSocket; the rest go to the inner handler. */
  path: RegExp;
  subprotocol: string;
  /** Prefix of the stream ids handed out ("ws1", "pf1", …). */
  idPrefix: string;
  /** Copies the request's query onto the WebSocket URL. */
  query(url: URL, query: Record<string, string>): void;
  /** Per stream: turns one message into the chunks read() yields (none for control messages). */
  decoder(): (data: WebSocket.RawData, isBinary: boolean) => C[];
  /** Sends one input on an open socket (inputs while it is not open are dropped). */
  send(ws: WebSocket, input: ExecInput): void;
}

interface ClientStream<C> {
  ws: WebSocket;
  queue: C[];
  waiter?: (batch: C[] | null) => void;
  ended: boolean;
}

/**
 * Wraps an HTTP transport: stream() of a matching path opens a WebSocket to `server` (bearer `token`), resolving
 * 200 with a stream id once upgraded, the server's response (a parsed Status, else its text) when it refuses
 * the upgrade, or a 503 Status when the connection fails. read() yields the decoded chunks in order, null once
 * the socket has closed and they are drained; write() sends input while open; cancel() closes the socket (1000)
 * and ends a pending read with null.
 */
export function withWebSocketStreams<C>(inner: ApiHandler, opts: { server: string; token?: string }, proto: WsStreamProtocol<C>): ApiHandler {
  const streams = new Map<string, ClientStream<C>>();
  let seq = 0;
  const base = opts.server.replace(/\/+$/, '').replace(/^http/, 'ws');

  const open = (req: ApiRequest): Promise<StreamOpen> =>
    new Promise((resolve) => {
      const url = new URL(base + req.path);
      proto.query(url, req.query ?? {});
      const headers: Record<string, string> = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};
      const ws = new WebSocket(url, [proto.subprotocol], { headers, perMessageDeflate: false });
      const id = `${proto.idPrefix}${++seq}`;
      const st: ClientStream<C> = { ws, queue: [], ended: false };
      const decode = proto.decoder();
      const flush = () => {
        if (!st.waiter || (!st.queue.length && !st.ended)) return;
        const w = st.waiter;
        st.waiter = undefined;
        w(st.queue.length ? st.queue.splice(0) : null);
      };
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          let parsed: unknown = body;
          try {
            parsed = JSON.parse(body);
          } catch {
            // not a Status: passed on as text
          }
          resolve({ status: res.statusCode ?? 500, body: parsed });
        });
      });
      ws.on('error', (err) => {
        if (ws.readyState !== WebSocket.OPEN && !streams.has(id)) resolve({ status: 503, body: { kind: 'Status', status: 'Failure', message: err.message, code: 503 } });
        st.ended = true;
        flush();
      });
      ws.on('open', () => {
        streams.set(id, st);
        resolve({ status: 200, body: undefined, streamId: id });
      });
      ws.on('message', (data, isBinary) => {
        st.queue.push(...decode(data, isBinary));
        flush();
      });
      ws.on('close', () => {
        st.ended = true;
        flush();
      });
    });

  return {
    request: (req) => inner.request(req),
    stream: (req) => (proto.path.test(req.path) ? open(req) : inner.stream(req)),
    read(id) {
      const st = streams.get(id);
      if (!st) return inner.read(id);
      if (st.queue.length) return Promise.resolve(st.queue.splice(0));
      if (st.ended) return (streams.delete(id), Promise.resolve(null));
      return new Promise((r) => (st.waiter = r));
    },
    async write(id: string, input: ExecInput) {
      const st = streams.get(id);
      if (!st) return inner.write?.(id, input);
      if (st.ws.readyState === WebSocket.OPEN) proto.send(st.ws, input);
    },
    async cancel(id) {
      const st = streams.get(id);
      if (!st) return inner.cancel(id);
      st.ws.close(1000);
      st.ended = true;
      st.waiter?.(null);
      streams.delete(id);
    },
  };
}
