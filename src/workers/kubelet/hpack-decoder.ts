/**
 * An HPACK (RFC 7541) header block decoder for the kubelet's gRPC probe: indexed fields, literals with and
 * without indexing / never indexed, dynamic table size updates, the dynamic table itself, and Huffman-coded
 * strings (Appendix B, what grpc-go and most HTTP/2 servers send). One decoder per connection (the dynamic
 * table is connection state).
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

/**
 * RFC 7541 Appendix B as code lengths of symbols 0–255, one letter each ('a' = 5 bits … 'z' = 30 bits); EOS
 * (256) is 30 bits. The code is canonical: codes are assigned in order of (length, symbol), so the table
 * follows from the lengths alone.
 */
const HUFFMAN_LENGTHS =
  'isxxxxxxxtzxxzxxxxxxxxzxxxxxxxxxbffhibdgffdgdbbbaaabbbbbbbcdkbhf' +
  'ibccccccccccccccccccccccdcdioijbkabababbbaccbbbabcbaabccccckgjix' +
  'prpprrrsrssssststtrstssssqrsrsstrqprrssqsrrtqrssqqrqsrssprrrsrrs' +
  'vvporsruvvvwwvtuoqvwwvwtqqvvxwwwptpqrqqsrruuttvsvwvvwwwwwxwwwwwv';
const EOS = 256;

/** Per code length: the first canonical code of that length and its symbols in code order. */
const HUFFMAN: Array<{ first: number; symbols: number[] }> = (() => {
  const table = Array.from({ length: 31 }, () => ({ first: 0, symbols: [] as number[] }));
  for (let sym = 0; sym <= EOS; sym++) table[sym === EOS ? 30 : HUFFMAN_LENGTHS.charCodeAt(sym) - 92].symbols.push(sym);
  let code = 0;
  for (let len = 1; len <= 30; len++) {
    table[len].first = code;
    code = (code + table[len].symbols.length) * 2;
  }
  return table;
})();

/**
 * Decodes a Huffman-coded string literal. Throws Error('hpack: …') on EOS in the data, padding longer than
 * 7 bits, or padding that is not the most significant bits of EOS (all ones) (RFC 7541 §5.2).
 */
export function huffmanDecode(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let code = 0;
  let len = 0;
  let ones = true; // the bits of the pending code are all ones (a valid padding so far)
  for (const byte of data) {
    for (let bit = 7; bit >= 0; bit--) {
      const b = (byte >> bit) & 1;
      code = code * 2 + b;
      ones &&= b === 1;
      len++;
      const { first, symbols } = HUFFMAN[len];
      if (code - first < symbols.length && code >= first) {
        const sym = symbols[code - first];
        if (sym === EOS) throw new Error('hpack: EOS in a huffman-coded string');
        out.push(sym);
        code = 0;
        len = 0;
        ones = true;
      } else if (len === 30) throw new Error('hpack: invalid huffman code');
    }
  }
  if (len > 7 || !ones) throw new Error('hpack: invalid huffman padding');
  return Uint8Array.from(out);
}

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
      const raw = block.subarray(i, i + len);
      const s = dec.decode(huffman ? huffmanDecode(raw) : raw);
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
