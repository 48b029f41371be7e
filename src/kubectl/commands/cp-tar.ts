/**
 * The ustar archives kubectl cp exchanges with `tar` in the container (Go's archive/tar subset kubectl uses):
 * writeTar emits USTAR headers (names over 100 bytes split into prefix/name, longer ones throw) ending with
 * two zero blocks; readTar reads ustar/GNU/PAX entries (GNU 'L' long names, PAX `path=`), throwing
 * Error("archive/tar: invalid tar header") on a bad checksum or a truncated entry, as Go does.
 */
export interface TarEntry {
  name: string;
  /** '0' file, '5' folder, '2' symlink (others are passed through). */
  type: string;
  mode: number;
  mtime: number;
  data: Uint8Array;
  linkname: string;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function putString(h: Uint8Array, off: number, len: number, s: string): void {
  const b = enc.encode(s);
  if (b.length > len) throw new Error(`archive/tar: cannot encode header: ${s} is too long`);
  h.set(b, off);
}

function putOctal(h: Uint8Array, off: number, len: number, v: number): void {
  putString(h, off, len, v.toString(8).padStart(len - 1, '0'));
}

function header(e: Omit<TarEntry, 'data'> & { size: number }): Uint8Array {
  const h = new Uint8Array(512);
  let name = e.name;
  if (enc.encode(name).length > 100) {
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || enc.encode(name.slice(cut + 1)).length > 100) throw new Error(`archive/tar: cannot encode header: name ${JSON.stringify(name)} is too long`);
    putString(h, 345, 155, name.slice(0, cut));
    name = name.slice(cut + 1);
  }
  putString(h, 0, 100, name);
  putOctal(h, 100, 8, e.mode & 0o7777);
  putOctal(h, 108, 8, 0);
  putOctal(h, 116, 8, 0);
  putOctal(h, 124, 12, e.size);
  putOctal(h, 136, 12, Math.max(0, Math.floor(e.mtime)));
  h[156] = e.type.charCodeAt(0);
  putString(h, 157, 100, e.linkname);
  putString(h, 257, 8, 'ustar\u000000');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  putString(h, 148, 7, sum.toString(8).padStart(6, '0') + '\u0000');
  return h;
}

export function writeTar(entries: TarEntry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    parts.push(header({ ...e, size: e.data.length }));
    if (e.data.length) {
      parts.push(e.data);
      if (e.data.length % 512) parts.push(new Uint8Array(512 - (e.data.length % 512)));
    }
  }
  parts.push(new Uint8Array(1024));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

const cstr = (b: Uint8Array, off: number, len: number) => {
  const s = b.subarray(off, off + len);
  const z = s.indexOf(0);
  return dec.decode(z < 0 ? s : s.subarray(0, z));
};
const octal = (b: Uint8Array, off: number, len: number) => parseInt(cstr(b, off, len).trim() || '0', 8);

export function readTar(bytes: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  let longName: string | undefined;
  for (let off = 0; off + 512 <= bytes.length; ) {
    const h = bytes.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
    if (sum !== octal(h, 148, 8)) throw new Error('archive/tar: invalid tar header');
    const size = octal(h, 124, 12);
    const data = bytes.subarray(off + 512, off + 512 + size);
    if (data.length < size) throw new Error('unexpected EOF');
    off += 512 + Math.ceil(size / 512) * 512;
    const type = String.fromCharCode(h[156] || 0x30);
    if (type === 'L') {
      longName = cstr(data, 0, data.length);
      continue;
    }
    if (type === 'x' || type === 'g') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(dec.decode(data));
      if (type === 'x' && m) longName = m[1];
      continue;
    }
    const prefix = cstr(h, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${cstr(h, 0, 100)}` : cstr(h, 0, 100));
    longName = undefined;
    out.push({ name, type, mode: octal(h, 100, 8), mtime: octal(h, 136, 12), data: data.slice(), linkname: cstr(h, 157, 100) });
  }
  return out;
}
