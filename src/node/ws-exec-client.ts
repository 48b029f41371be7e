// Node-only: the client side of pods/exec and pods/attach over WebSocket (v5.channel.k8s.io), so our kubectl
// over HTTP (npm run kubectl) can exec and attach against any Kubernetes API server, ours included.
import WebSocket from 'ws';
import type { ApiHandler, ApiRequest, ExecInput, ExecStreamChunk, StreamOpen } from '../api/protocol';
import { CHANNEL } from './ws-channel-frames';

const STREAM_PATH = /\/pods\/[^/]+\/(exec|attach)$/;

interface WsStream {
  ws: WebSocket;
  queue: ExecStreamChunk[];
  waiter?: (batch: ExecStreamChunk[] | null) => void;
  ended: boolean;
}

/**
 * Wraps an HTTP transport: stream() of pods/<name>/exec|attach opens a WebSocket to `server` (repeated
 * `command` words from the NUL-joined query), resolving 200 once upgraded or the server's Status when it
 * refuses the upgrade; read() yields ExecStreamChunks (stdout/stderr decoded as UTF-8 per channel, the
 * channel-3 Status parsed); write() sends stdin, resize and v5's CLOSE; cancel() closes the socket.
 * Everything else goes to `inner`.
 */
export function withWebSocketExec(inner: ApiHandler, opts: { server: string; token?: string }): ApiHandler {
  const streams = new Map<string, WsStream>();
  let seq = 0;
  const base = opts.server.replace(/\/+$/, '').replace(/^http/, 'ws');

  const open = (req: ApiRequest): Promise<StreamOpen> =>
    new Promise((resolve) => {
      const url = new URL(base + req.path);
      for (const [k, v] of Object.entries(req.query ?? {})) {
        if (k === 'command') for (const w of v.split('\0')) url.searchParams.append(k, w);
        else url.searchParams.set(k, v);
      }
      const headers: Record<string, string> = opts.token ? { Authorization: `Bearer ${opts.token}` } : {};
      const ws = new WebSocket(url, ['v5.channel.k8s.io'], { headers, perMessageDeflate: false });
      const id = `ws${++seq}`;
      const st: WsStream = { ws, queue: [], ended: false };
      const decoders = { 1: new TextDecoder(), 2: new TextDecoder() };
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
      ws.on('message', (data: Buffer, isBinary) => {
        if (!isBinary || data.length === 0) return;
        const ch = data[0];
        if (ch === CHANNEL.stdout || ch === CHANNEL.stderr) {
          const text = decoders[ch].decode(data.subarray(1), { stream: true });
          if (text) st.queue.push({ channel: ch, data: text });
        } else if (ch === CHANNEL.error) {
          try {
            st.queue.push({ channel: 3, status: JSON.parse(data.subarray(1).toString('utf8')) as Record<string, unknown> });
          } catch {
            st.queue.push({ channel: 3, status: { status: 'Failure', message: data.subarray(1).toString('utf8') } });
          }
        }
        flush();
      });
      ws.on('close', () => {
        st.ended = true;
        flush();
      });
    });

  return {
    request: (req) => inner.request(req),
    stream: (req) => (STREAM_PATH.test(req.path) ? open(req) : inner.stream(req)),
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
      if (st.ws.readyState !== WebSocket.OPEN) return;
      if (input.channel === 0) st.ws.send(Buffer.concat([Buffer.of(CHANNEL.stdin), Buffer.from(input.data, 'utf8')]));
      else if (input.channel === 4) st.ws.send(Buffer.concat([Buffer.of(CHANNEL.resize), Buffer.from(JSON.stringify({ Width: input.width, Height: input.height }))]));
      else if (input.channel === 255) st.ws.send(Buffer.of(CHANNEL.close, CHANNEL.stdin));
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
