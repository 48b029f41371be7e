import type { Disposable } from '../../api/disposable';
import { goDuration, goQuote } from './go-format';
import { encodeLiteralHeaders, HpackDecoder } from './hpack-decoder';
import type { DialTcp, ProbeConn, ProbeResult } from './prober';

type After = (ms: number, fn: () => void) => Disposable;

const PREFACE = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const DATA = 0x0;
const HEADERS = 0x1;
const RST_STREAM = 0x3;
const SETTINGS = 0x4;
const PING = 0x6;
const GOAWAY = 0x7;
const CONTINUATION = 0x9;
const END_STREAM = 0x1;
const ACK = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;
/** How often a refused dial is retried within the probe's deadline (grpc-go's first reconnect back-off). */
const REDIAL_MS = 1000;

/** grpc codes.Code names by number. */
const CODES = ['OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied', 'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated'];
/** grpc.health.v1.HealthCheckResponse.ServingStatus names. */
const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

export function frame(type: number, flags: number, stream: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const f = new Uint8Array(9 + payload.length);
  f[0] = payload.length >>> 16;
  f[1] = (payload.length >>> 8) & 0xff;
  f[2] = payload.length & 0xff;
  f[3] = type;
  f[4] = flags;
  new DataView(f.buffer).setUint32(5, stream & 0x7fffffff);
  f.set(payload, 9);
  return f;
}

/** A length-prefixed gRPC message holding HealthCheckRequest{service} (field 1; omitted when empty). */
function healthRequest(service: string): Uint8Array {
  const s = new TextEncoder().encode(service);
  const proto = s.length ? Uint8Array.from([0x0a, ...varint(s.length), ...s]) : new Uint8Array(0);
  const msg = new Uint8Array(5 + proto.length);
  new DataView(msg.buffer).setUint32(1, proto.length);
  msg.set(proto, 5);
  return msg;
}

function varint(n: number): number[] {
  const out: number[] = [];
  for (; n >= 0x80; n = Math.floor(n / 128)) out.push((n % 128) | 0x80);
  out.push(n);
  return out;
}

/** HealthCheckResponse.status (field 1, varint) from the first gRPC message in `data`; 0 when absent. */
function servingStatus(data: Uint8Array): number {
  const proto = data.subarray(5, 5 + new DataView(data.buffer, data.byteOffset).getUint32(1));
  for (let i = 0; i < proto.length; ) {
    const key = proto[i++];
    let v = 0;
    for (let shift = 0; i < proto.length; shift += 7) {
      const b = proto[i++];
      v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) break;
    }
    if (key === 0x08) return v;
    if ((key & 7) === 2) i += v; // skip unknown length-delimited fields
  }
  return 0;
}

class Frames {
  private buf = new Uint8Array(0);
  constructor(private readonly conn: ProbeConn) {}
  /** The next frame, or null at EOF. */
  async next(): Promise<{ type: number; flags: number; stream: number; payload: Uint8Array } | null> {
    for (;;) {
      if (this.buf.length >= 9) {
        const len = (this.buf[0] << 16) | (this.buf[1] << 8) | this.buf[2];
        if (this.buf.length >= 9 + len) {
          const f = { type: this.buf[3], flags: this.buf[4], stream: new DataView(this.buf.buffer, this.buf.byteOffset).getUint32(5) & 0x7fffffff, payload: this.buf.slice(9, 9 + len) };
          this.buf = this.buf.slice(9 + len);
          return f;
        }
      }
      const chunk = this.conn.read ? await this.conn.read() : null;
      if (!chunk) return null;
      const next = new Uint8Array(this.buf.length + chunk.length);
      next.set(this.buf);
      next.set(chunk, this.buf.length);
      this.buf = next;
    }
  }
}

/** A HEADERS/CONTINUATION payload without its padding and priority fields. */
function headerFragment(type: number, flags: number, p: Uint8Array): Uint8Array {
  if (type !== HEADERS) return p;
  let start = 0;
  let end = p.length;
  if (flags & PADDED) end -= p[start++];
  if (flags & PRIORITY) start += 5;
  return p.subarray(start, end);
}

/**
 * The kubelet's gRPC probe (pkg/probe/grpc): grpc.health.v1.Health/Check over HTTP/2 cleartext with prior
 * knowledge to host:port, within timeoutSeconds for dial and call together. Outcomes, word for word:
 * success `service healthy`; `service unhealthy (responded with "NOT_SERVING")`; a dial that does not reach
 * an HTTP/2 server's SETTINGS in time (refused dials are retried every REDIAL_MS) `timeout: failed to
 * connect service "ip:port" within 1s: context deadline exceeded`; grpc-status Unimplemented `error: this
 * server does not implement the grpc health protocol (grpc.health.v1.Health): <message>`; a call that does
 * not finish `timeout: health rpc did not complete within 1s`; other statuses `error: health rpc probe
 * failed: rpc error: code = <Code> desc = <message>`. Never rejects. Needs ProbeConn.read.
 */
export async function grpcProbe(dial: DialTcp, after: After, host: string, port: number, service: string, timeoutSeconds: number): Promise<ProbeResult> {
  const addr = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const within = goDuration(timeoutSeconds * 1000);
  let expired = false;
  let conn: ProbeConn | undefined;
  let onExpire: () => void = () => undefined;
  const deadline = new Promise<null>((resolve) => {
    onExpire = () => resolve(null);
  });
  const timer = after(timeoutSeconds * 1000, () => {
    expired = true;
    conn?.close();
    onExpire();
  });
  const race = <T>(p: Promise<T>) => Promise.race([p, deadline]);
  const failure = (output: string): ProbeResult => ({ result: 'failure', output });
  const dialTimeout = () => failure(`timeout: failed to connect service ${goQuote(addr)} within ${within}: context deadline exceeded`);
  try {
    // Dial until the server's SETTINGS arrive (grpc.WithBlock).
    let frames: Frames | undefined;
    while (!frames) {
      if (expired) return dialTimeout();
      const c = await race(dial(host, port).catch(() => undefined));
      if (expired || c === null) return dialTimeout();
      if (c) {
        conn = c;
        await c.write(new Uint8Array([...PREFACE, ...frame(SETTINGS, 0, 0)])).catch(() => undefined);
        const f = new Frames(c);
        const first = await race(f.next());
        if (expired) return dialTimeout();
        if (first && first.type === SETTINGS && !(first.flags & ACK)) {
          frames = f;
          break;
        }
        c.close();
        conn = undefined;
      }
      await race(new Promise<void>((r) => after(REDIAL_MS, r)));
    }
    const c = conn!;
    const headers = encodeLiteralHeaders([
      [':method', 'POST'], [':scheme', 'http'], [':path', '/grpc.health.v1.Health/Check'], [':authority', addr],
      ['content-type', 'application/grpc'], ['user-agent', 'kube-probe/1.32 grpc-go/1.65.0'], ['te', 'trailers'],
      ['grpc-timeout', `${timeoutSeconds * 1000}m`],
    ]);
    await c.write(new Uint8Array([...frame(SETTINGS, ACK, 0), ...frame(HEADERS, END_HEADERS, 1, headers), ...frame(DATA, END_STREAM, 1, healthRequest(service))]));
    const hpack = new HpackDecoder();
    const fields = new Map<string, string>();
    let block: number[] = [];
    let data = new Uint8Array(0);
    let ended = false;
    let transportError = '';
    while (!ended) {
      const f = await race(frames.next());
      if (expired) return failure(`timeout: health rpc did not complete within ${within}`);
      if (!f) {
        transportError = 'rpc error: code = Unavailable desc = error reading from server: EOF';
        break;
      }
      if (f.type === SETTINGS && !(f.flags & ACK)) await c.write(frame(SETTINGS, ACK, 0));
      else if (f.type === PING && !(f.flags & ACK)) await c.write(frame(PING, ACK, 0, f.payload));
      else if (f.type === GOAWAY) {
        transportError = 'rpc error: code = Unavailable desc = the connection is draining';
        break;
      } else if (f.stream === 1 && f.type === RST_STREAM) {
        transportError = `rpc error: code = Internal desc = stream terminated by RST_STREAM with error code: ${new DataView(f.payload.buffer).getUint32(0)}`;
        break;
      } else if (f.stream === 1 && (f.type === HEADERS || f.type === CONTINUATION)) {
        block.push(...headerFragment(f.type, f.flags, f.payload));
        if (f.type === HEADERS && f.flags & END_STREAM) ended = true;
        if (f.flags & END_HEADERS) {
          for (const [k, v] of hpack.decode(Uint8Array.from(block))) fields.set(k, v);
          block = [];
        }
      } else if (f.stream === 1 && f.type === DATA) {
        const next = new Uint8Array(data.length + f.payload.length);
        next.set(data);
        next.set(headerFragment(HEADERS, f.flags & PADDED, f.payload), data.length);
        data = next;
        if (f.flags & END_STREAM) ended = true;
      }
    }
    if (transportError) return failure(`error: health rpc probe failed: ${transportError}`);
    const code = Number(fields.get('grpc-status') ?? 2);
    const message = decodeGrpcMessage(fields.get('grpc-message') ?? '');
    if (code === 12) return failure(`error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${message}`);
    if (code === 4) return failure(`timeout: health rpc did not complete within ${within}`);
    if (code !== 0) return failure(`error: health rpc probe failed: rpc error: code = ${CODES[code] ?? `Code(${code})`} desc = ${message}`);
    const status = data.length >= 5 ? servingStatus(data) : 0;
    if (status !== 1) return failure(`service unhealthy (responded with ${goQuote(SERVING_STATUS[status] ?? String(status))})`);
    return { result: 'success', output: 'service healthy' };
  } catch (err) {
    if (expired) return failure(`timeout: health rpc did not complete within ${within}`);
    return failure(`error: health rpc probe failed: ${String((err as Error)?.message ?? err)}`);
  } finally {
    timer.dispose();
    conn?.close();
  }
}

/** grpc-message is percent-encoded (gRPC over HTTP/2 spec). */
function decodeGrpcMessage(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
