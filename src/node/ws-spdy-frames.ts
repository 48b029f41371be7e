// Node-only: the subset of SPDY/3.1 framing (draft 3.1, as moby/spdystream speaks it) a portforward.k8s.io
// server needs: parsing client frames from a byte stream, header blocks, and the frames the server sends.
import { inflateSync, constants as zc } from 'node:zlib';

/** Control frame types. */
export const SPDY = { synStream: 1, synReply: 2, rstStream: 3, settings: 4, ping: 6, goAway: 7, headers: 8, windowUpdate: 9 } as const;
export const FLAG_FIN = 0x01;

export type SpdyFrame =
  | { kind: 'data'; streamId: number; flags: number; data: Buffer }
  | { kind: 'control'; type: number; flags: number; body: Buffer };

const HEADER_WORDS = ['options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language', 'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding', 'content-language', 'content-length', 'content-location', 'content-md5', 'content-range', 'content-type', 'date', 'etag', 'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer', 'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning', 'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive', 'origin'];
const HEADER_TAIL =
  '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505' +
  '203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not Found' +
  '500 Internal Server Error501 Not Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 ' +
  'Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,' +
  'text/plain,text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';

/** The zlib dictionary of SPDY/3 header blocks (spec §2.6.10.1): length-prefixed words, then the tail text. */
export const SPDY_DICTIONARY: Buffer = Buffer.concat([
  ...HEADER_WORDS.map((w) => {
    const b = Buffer.alloc(4 + w.length);
    b.writeUInt32BE(w.length, 0);
    b.write(w, 4, 'latin1');
    return b;
  }),
  Buffer.from(HEADER_TAIL, 'latin1'),
]);

export function adler32(data: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < data.length; i++) {
    a = (a + data[i]) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Splits a byte stream into SPDY frames; push() returns the frames completed so far. Throws on a frame > 16 MiB. */
export class SpdyFrameReader {
  private buf = Buffer.alloc(0);

  push(chunk: Uint8Array): SpdyFrame[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : Buffer.from(chunk);
    const out: SpdyFrame[] = [];
    while (this.buf.length >= 8) {
      const length = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + length) break;
      const flags = this.buf[4];
      const body = this.buf.subarray(8, 8 + length);
      if (this.buf[0] & 0x80) out.push({ kind: 'control', type: this.buf.readUInt16BE(2), flags, body });
      else out.push({ kind: 'data', streamId: this.buf.readUInt32BE(0) & 0x7fffffff, flags, data: body });
      this.buf = this.buf.subarray(8 + length);
    }
    return out;
  }
}

/**
 * Decompresses the client's header blocks: one zlib stream (SPDY dictionary) runs across all blocks of a
 * connection, so each block is inflated with everything before it and the new output is taken.
 */
export class SpdyHeaderDecoder {
  private compressed = Buffer.alloc(0);
  private produced = 0;

  decode(block: Uint8Array): Map<string, string[]> {
    this.compressed = Buffer.concat([this.compressed, block]);
    const all = inflateSync(this.compressed, { dictionary: SPDY_DICTIONARY, finishFlush: zc.Z_SYNC_FLUSH });
    const raw = all.subarray(this.produced);
    this.produced = all.length;
    const headers = new Map<string, string[]>();
    let off = 4;
    const count = raw.readUInt32BE(0);
    for (let i = 0; i < count; i++) {
      const nl = raw.readUInt32BE(off);
      const name = raw.toString('utf8', off + 4, off + 4 + nl).toLowerCase();
      off += 4 + nl;
      const vl = raw.readUInt32BE(off);
      const value = raw.toString('utf8', off + 4, off + 4 + vl);
      off += 4 + vl;
      headers.set(name, value.split('\0'));
    }
    return headers;
  }
}

/**
 * Compresses the server's header blocks as stored (uncompressed) deflate blocks of one zlib stream that
 * declares the SPDY dictionary, each followed by an empty stored block as a sync flush leaves it.
 */
export class SpdyHeaderEncoder {
  private started = false;

  encode(headers: Record<string, string>): Buffer {
    const parts: Buffer[] = [u32(Object.keys(headers).length)];
    for (const [k, v] of Object.entries(headers)) {
      const name = Buffer.from(k.toLowerCase(), 'utf8');
      const value = Buffer.from(v, 'utf8');
      parts.push(u32(name.length), name, u32(value.length), value);
    }
    const raw = Buffer.concat(parts);
    const stored = Buffer.alloc(5);
    stored[0] = 0; // BFINAL=0, BTYPE=00 (stored), padded to the byte
    stored.writeUInt16LE(raw.length, 1);
    stored.writeUInt16LE(~raw.length & 0xffff, 3);
    const head = this.started ? [] : [Buffer.from([0x78, 0x20]), u32(adler32(SPDY_DICTIONARY))];
    this.started = true;
    // then an empty stored block (the sync-flush marker): inflaters such as Go's only hand out a stored
    // block's bytes once the next block starts, so it must be in the same frame
    return Buffer.concat([...head, stored, raw, Buffer.from([0, 0, 0, 0xff, 0xff])]);
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

export function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | 3, 0);
  head.writeUInt16BE(type, 2);
  head[4] = flags;
  head.writeUIntBE(body.length, 5, 3);
  return Buffer.concat([head, body]);
}

export function dataFrame(streamId: number, data: Uint8Array, flags = 0): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head[4] = flags;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

export function synReplyFrame(streamId: number, block: Buffer): Buffer {
  return controlFrame(SPDY.synReply, 0, Buffer.concat([u32(streamId & 0x7fffffff), block]));
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  return controlFrame(SPDY.rstStream, 0, Buffer.concat([u32(streamId & 0x7fffffff), u32(status)]));
}

/** The stream id of a SYN_STREAM, SYN_REPLY, RST_STREAM, HEADERS or WINDOW_UPDATE body. */
export function controlStreamId(body: Buffer): number {
  return body.readUInt32BE(0) & 0x7fffffff;
}
