// Node-only: an ApiHandler over HTTP (fetch) to any Kubernetes API server, for `npm run kubectl` and tests.
import type { ApiHandler, ApiRequest, ApiResponse, StreamOpen } from '../api/protocol';

export interface HttpTransportOptions {
  /** e.g. http://127.0.0.1:6443 (no trailing slash needed). */
  server: string;
  /** Sent as `Authorization: Bearer …` when set. */
  token?: string;
}

interface OpenHttpStream {
  reader: ReadableStreamDefaultReader<Uint8Array>;
  abort: AbortController;
  lines: boolean;
  buffer: string;
  decoder: TextDecoder;
}

function urlOf(server: string, req: ApiRequest): string {
  const qs = new URLSearchParams(req.query ?? {}).toString();
  return `${server.replace(/\/+$/, '')}${req.path}${qs ? `?${qs}` : ''}`;
}

function headersOf(req: ApiRequest, token?: string): Record<string, string> {
  const h: Record<string, string> = { Accept: req.accept ?? 'application/json, */*' };
  if (req.body !== undefined) h['Content-Type'] = req.contentType ?? 'application/json';
  if (req.userAgent) h['User-Agent'] = req.userAgent;
  if (token) h.Authorization = `Bearer ${token}`;
  if (req.impersonate) {
    h['Impersonate-User'] = req.impersonate.user;
    // fetch joins repeated headers with ", ": several groups arrive as one value.
    if (req.impersonate.groups?.length) h['Impersonate-Group'] = req.impersonate.groups.join(', ');
    if (req.impersonate.uid) h['Impersonate-Uid'] = req.impersonate.uid;
  }
  return h;
}

function bodyOf(req: ApiRequest): string | undefined {
  if (req.body === undefined) return undefined;
  return typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
}

/** The response body: JSON when it parses as JSON, else the text (logs, plain-text errors). */
function decode(text: string, contentType: string): unknown {
  if (/json/.test(contentType) || /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // not JSON after all: keep the text
    }
  }
  return text;
}

function headerRecord(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => (out[k] = v));
  return out;
}

/**
 * request() answers every HTTP status as an ApiResponse and rejects only when the connection fails.
 * stream(): a 200 answer becomes a stream whose chunks are WatchEvents (application/json: one JSON object
 * per line) or text (anything else, e.g. logs with follow); read() resolves with every complete chunk of
 * the next network read (never an empty batch) or null at the end; cancel() aborts the connection.
 */
export function createHttpTransport(opts: HttpTransportOptions): ApiHandler & { close(): void } {
  const streams = new Map<string, OpenHttpStream>();
  let seq = 0;
  const send = (req: ApiRequest, signal?: AbortSignal) =>
    fetch(urlOf(opts.server, req), { method: req.method, headers: headersOf(req, opts.token), body: bodyOf(req), signal });

  return {
    async request(req): Promise<ApiResponse> {
      const res = await send(req);
      const text = await res.text();
      return { status: res.status, body: decode(text, res.headers.get('content-type') ?? ''), headers: headerRecord(res.headers) };
    },
    async stream(req): Promise<StreamOpen> {
      const abort = new AbortController();
      const res = await send(req, abort.signal);
      const headers = headerRecord(res.headers);
      if (res.status !== 200 || !res.body) {
        const text = await res.text();
        return { status: res.status, body: decode(text, res.headers.get('content-type') ?? ''), headers };
      }
      const id = `h${++seq}`;
      const lines = /json/.test(res.headers.get('content-type') ?? '');
      streams.set(id, { reader: res.body.getReader(), abort, lines, buffer: '', decoder: new TextDecoder() });
      return { status: 200, body: undefined, headers, streamId: id };
    },
    async read(id) {
      const st = streams.get(id);
      if (!st) return null;
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await st.reader.read();
        } catch {
          chunk = { done: true, value: undefined };
        }
        if (chunk.done) {
          streams.delete(id);
          const rest = st.buffer + st.decoder.decode();
          if (!st.lines && rest) return [rest];
          return null;
        }
        const text = st.buffer + st.decoder.decode(chunk.value, { stream: true });
        if (!st.lines) {
          st.buffer = '';
          if (text) return [text];
          continue;
        }
        const parts = text.split('\n');
        st.buffer = parts.pop() ?? '';
        const events = parts.filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);
        if (events.length) return events;
      }
    },
    async cancel(id) {
      const st = streams.get(id);
      if (!st) return;
      streams.delete(id);
      st.abort.abort();
    },
    close() {
      for (const st of streams.values()) st.abort.abort();
      streams.clear();
    },
  };
}
