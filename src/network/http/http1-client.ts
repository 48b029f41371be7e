import type { NetworkFabric } from '../network-fabric';
import { dialTcp, type AsyncConn, type DialOptions } from '../dial-tcp';

/** Headers that belong to one connection (RFC 9110 §7.6.1); never forwarded by a proxy. */
export const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export interface Http1Request {
  method: string;
  /** Path and query as sent on the request line, e.g. `/a/b?x=1`. */
  path: string;
  /** The Host header (e.g. `10.244.1.5:80`). */
  host: string;
  headers?: Array<[string, string]>;
  body?: Uint8Array;
}

export interface Http1Response {
  status: number;
  statusText: string;
  /** Response headers in order, hop-by-hop ones (and Content-Length, recomputed by whoever re-frames) removed. */
  headers: Array<[string, string]>;
  /** The body, de-chunked. */
  body: Uint8Array;
}

/** The most a response body may hold; a larger one rejects (the proxies buffer whole responses). */
const MAX_BODY = 64 * 1024 * 1024;
const enc = new TextEncoder();
const latin1 = (b: Uint8Array) => String.fromCharCode(...b);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) (out.set(p, off), (off += p.length));
  return out;
}

/** Buffered reader over an AsyncConn. */
class Reader {
  private buf: Uint8Array = new Uint8Array(0);
  private eof = false;
  constructor(private readonly conn: AsyncConn) {}
  private async fill(): Promise<boolean> {
    if (this.eof) return false;
    const c = await this.conn.read();
    if (!c) return ((this.eof = true), false);
    this.buf = this.buf.length ? concat([this.buf, c]) : c;
    if (this.buf.length > MAX_BODY) throw new Error('http: response too large');
    return true;
  }
  /** Bytes up to and including `delim`, or undefined at EOF before it. */
  async until(delim: number[]): Promise<Uint8Array | undefined> {
    for (let from = 0; ; ) {
      for (let i = Math.max(0, from - delim.length); i + delim.length <= this.buf.length; i++) {
        if (delim.every((d, j) => this.buf[i + j] === d)) return this.take(i + delim.length);
      }
      from = this.buf.length;
      if (!(await this.fill())) return undefined;
    }
  }
  async exactly(n: number): Promise<Uint8Array> {
    while (this.buf.length < n) if (!(await this.fill())) throw new Error('http: unexpected EOF in body');
    return this.take(n);
  }
  async rest(): Promise<Uint8Array> {
    while (await this.fill());
    return this.take(this.buf.length);
  }
  private take(n: number): Uint8Array {
    const out = this.buf.slice(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

const CRLF = [13, 10];
const CRLFCRLF = [13, 10, 13, 10];

/** Writes `req` on `conn` (Connection: close) and reads one response. Rejects on a malformed or truncated response. */
export async function httpRequestOverConn(conn: AsyncConn, req: Http1Request): Promise<Http1Response> {
  const body = req.body ?? new Uint8Array(0);
  const lines = [`${req.method} ${req.path || '/'} HTTP/1.1`, `Host: ${req.host}`];
  for (const [k, v] of req.headers ?? []) {
    const lk = k.toLowerCase();
    if (HOP_BY_HOP.has(lk) || lk === 'host' || lk === 'content-length') continue;
    lines.push(`${k}: ${v}`);
  }
  if (body.length || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(req.method)) lines.push(`Content-Length: ${body.length}`);
  lines.push('Connection: close', '', '');
  await conn.write(body.length ? concat([enc.encode(lines.join('\r\n')), body]) : enc.encode(lines.join('\r\n')));
  return parseHttpResponse(new Reader(conn), req.method);
}

/** Reads one response from `r`; after `method` HEAD there is no body. */
async function parseHttpResponse(r: Reader, method: string): Promise<Http1Response> {
  let head: Uint8Array | undefined;
  let status = 0;
  let statusText = '';
  let headers: Array<[string, string]> = [];
  // 1xx interim responses (100 Continue) are skipped.
  do {
    head = await r.until(CRLFCRLF);
    if (!head) throw new Error('http: server closed the connection before sending a response');
    const [statusLine, ...fields] = latin1(head.subarray(0, head.length - 4)).split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
    if (!m) throw new Error(`http: malformed status line ${JSON.stringify(statusLine)}`);
    status = Number(m[1]);
    statusText = m[2] ?? '';
    headers = fields.filter(Boolean).map((f) => {
      const i = f.indexOf(':');
      return [f.slice(0, i).trim(), f.slice(i + 1).trim()] as [string, string];
    });
  } while (status >= 100 && status < 200 && status !== 101);
  const get = (name: string) => headers.find(([k]) => k.toLowerCase() === name)?.[1];
  let body: Uint8Array;
  if (method === 'HEAD' || status === 204 || status === 304 || status < 200) body = new Uint8Array(0);
  else if (/\bchunked\b/i.test(get('transfer-encoding') ?? '')) {
    const parts: Uint8Array[] = [];
    for (;;) {
      const line = await r.until(CRLF);
      if (!line) throw new Error('http: unexpected EOF in chunked body');
      const size = parseInt(latin1(line).split(';')[0].trim(), 16);
      if (Number.isNaN(size)) throw new Error('http: malformed chunk size');
      if (size === 0) {
        for (let t = await r.until(CRLF); t && t.length > 2; t = await r.until(CRLF)); // trailers, up to the empty line
        break;
      }
      parts.push(await r.exactly(size));
      await r.exactly(2);
    }
    body = concat(parts);
  } else if (get('content-length') !== undefined) {
    const n = Number(get('content-length'));
    if (!Number.isInteger(n) || n < 0 || n > MAX_BODY) throw new Error('http: invalid Content-Length');
    body = await r.exactly(n);
  } else body = await r.rest();
  headers = headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase()) && k.toLowerCase() !== 'content-length');
  return { status, statusText, headers, body };
}

/**
 * Dials ip:port on the fabric, sends one request, reads the response and closes. Rejects NetError
 * (ECONNREFUSED with Go's `dial tcp …: connect: connection refused`, ETIMEDOUT) for dial failures and
 * Error for protocol ones.
 */
export async function httpRequest(fabric: NetworkFabric, ip: string, port: number, req: Omit<Http1Request, 'host'> & { host?: string }, opts: DialOptions = {}): Promise<Http1Response> {
  const conn = await dialTcp(fabric, ip, port, opts);
  try {
    return await httpRequestOverConn(conn, { ...req, host: req.host ?? `${ip}:${port}` });
  } finally {
    conn.close();
  }
}
