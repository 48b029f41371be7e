/**
 * An HPACK (RFC 7541) header block decoder for the kubelet's gRPC probe: indexed fields, literals with and
 * without indexing / never indexed, dynamic table size updates, and the dynamic table itself. Huffman-coded
 * strings are not decoded: decode() throws Error('hpack: huffman-coded strings are not supported') for one
 * (our servers send plain literals). One decoder per connection (the dynamic table is connection state).
 */
const STATIC: Array<[string, string]> = [
  [':authority', ''], [':method', 'GET'], [':method', 'POST'], [':path', '/'], [':path', '/index.html'], [':scheme', 'http'],
  [':scheme', 'https'], [':status', '200'], [':status', '204'], [':status', '206'], [':status', '304'], [':status', '400'],
  [':status', '404'], [':status', '500'], ['accept-charset', ''], ['accept-encoding', 'gzip, deflate'], ['accept-language', ''],
  ['accept-ranges', ''], ['accept', ''], ['access-control-allow-origin', ''], ['age', ''], ['allow', ''], ['authorization', ''],
  ['cache-control', ''], ['content-disposition', ''], ['content-encoding', ''], ['content-language', ''], ['content-length', ''],
  ['content-location', ''], ['content-range', ''], ['content-type', ''], ['cookie', ''], ['date', ''], ['etag', ''], ['expect', ''],
  ['expires', ''], ['from', ''], ['host', ''], ['if-match', ''], ['if-modified-since', ''], ['if-none-match', ''], ['if-range', ''],
  ['if-unmodified-since', ''], ['last-modified', ''], ['link', ''], ['location', ''], ['max-forwards', ''], ['proxy-authenticate', ''],
  ['proxy-authorization', ''], ['range', ''], ['referer', ''], ['refresh', ''], ['retry-after', ''], ['server', ''], ['set-cookie', ''],
  ['strict-transport-security', ''], ['transfer-encoding', ''], ['user-agent', ''], ['vary', ''], ['via', ''], ['www-authenticate', ''],
];

const dec = new TextDecoder();

export class HpackDecoder {
  private dynamic: Array<[string, string]> = [];
  private size = 0;
  private maxSize = 4096;

  /** The header list of one complete header block, in order. Throws Error('hpack: …') on a malformed block. */
  decode(block: Uint8Array): Array<[string, string]> {
    const out: Array<[string, string]> = [];
    let i = 0;
    const int = (prefix: number): number => {
      const mask = (1 << prefix) - 1;
      let v = block[i++] & mask;
      if (v < mask) return v;
      for (let shift = 0; ; shift += 7) {
        if (i >= block.length) throw new Error('hpack: truncated integer');
        const b = block[i++];
        v += (b & 0x7f) * 2 ** shift;
        if (!(b & 0x80)) return v;
      }
    };
    const str = (): string => {
      if (i >= block.length) throw new Error('hpack: truncated string');
      const huffman = (block[i] & 0x80) !== 0;
      const len = int(7);
      if (i + len > block.length) throw new Error('hpack: truncated string');
      if (huffman) throw new Error('hpack: huffman-coded strings are not supported');
      const s = dec.decode(block.subarray(i, i + len));
      i += len;
      return s;
    };
    while (i < block.length) {
      const b = block[i];
      if (b & 0x80) {
        out.push(this.entry(int(7)));
      } else if (b & 0x40) {
        const idx = int(6);
        const field: [string, string] = [idx ? this.entry(idx)[0] : str(), str()];
        this.add(field);
        out.push(field);
      } else if (b & 0x20) {
        this.maxSize = int(5);
        this.evict();
      } else {
        const idx = int(4); // without indexing (0000) and never indexed (0001)
        out.push([idx ? this.entry(idx)[0] : str(), str()]);
      }
    }
    return out;
  }

  private entry(idx: number): [string, string] {
    if (idx >= 1 && idx <= STATIC.length) return STATIC[idx - 1];
    const d = this.dynamic[idx - STATIC.length - 1];
    if (!d) throw new Error(`hpack: invalid index ${idx}`);
    return d;
  }

  private add(field: [string, string]): void {
    this.dynamic.unshift(field);
    this.size += field[0].length + field[1].length + 32;
    this.evict();
  }

  private evict(): void {
    while (this.size > this.maxSize && this.dynamic.length) {
      const [n, v] = this.dynamic.pop()!;
      this.size -= n.length + v.length + 32;
    }
  }
}

/** A header block of literal fields without indexing (new names, no Huffman): what our gRPC client sends. */
export function encodeLiteralHeaders(fields: Array<[string, string]>): Uint8Array {
  const bytes: number[] = [];
  const enc = new TextEncoder();
  const int = (v: number, prefix: number, first: number) => {
    const mask = (1 << prefix) - 1;
    if (v < mask) return void bytes.push(first | v);
    bytes.push(first | mask);
    for (v -= mask; v >= 128; v = Math.floor(v / 128)) bytes.push((v % 128) | 0x80);
    bytes.push(v);
  };
  for (const [name, value] of fields) {
    bytes.push(0x00);
    for (const s of [name, value]) {
      const b = enc.encode(s);
      int(b.length, 7, 0);
      bytes.push(...b);
    }
  }
  return Uint8Array.from(bytes);
}
