import { describe, expect, it } from 'vitest';
import type { FsDir, FsFile, FsSymlink } from './mem-fs';
import { rootfsFromLayers } from './rootfs-from-layers';

const enc = new TextEncoder();

/** A minimal ustar writer for the tests: [name, type, content-or-linkname]. */
function tar(entries: Array<[string, '0' | '5' | '2' | '1', string?]>): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const [name, type, content = ''] of entries) {
    const h = new Uint8Array(512);
    const put = (off: number, s: string) => h.set(enc.encode(s), off);
    const data = type === '0' ? enc.encode(content) : new Uint8Array(0);
    let base = name;
    if (name.length > 100) {
      const cut = name.lastIndexOf('/');
      put(345, name.slice(0, cut));
      base = name.slice(cut + 1);
    }
    put(0, base);
    put(100, '0000755\0');
    put(124, data.length.toString(8).padStart(11, '0') + '\0');
    put(136, '00000000000\0');
    put(156, type);
    if (type === '2' || type === '1') put(157, content);
    put(257, 'ustar\0');
    put(263, '00');
    put(148, '        ');
    const sum = h.reduce((a, b) => a + b, 0);
    put(148, sum.toString(8).padStart(6, '0') + '\0 ');
    blocks.push(h, data, new Uint8Array((512 - (data.length % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let off = 0;
  for (const b of blocks) {
    out.set(b, off);
    off += b.length;
  }
  return out;
}

const text = (f: unknown) => new TextDecoder().decode((f as FsFile).data);

describe('rootfsFromLayers', () => {
  it('unpacks files, directories, links and applies whiteouts of upper layers', () => {
    const long = `deep/${'d'.repeat(60)}/${'e'.repeat(60)}/file.txt`;
    const lower = tar([
      ['bin/', '5'],
      ['bin/app', '0', 'v1'],
      ['bin/old', '0', 'gone'],
      ['etc/conf/a', '0', 'a'],
      ['etc/conf/b', '0', 'b'],
      ['bin/link', '2', '/bin/app'],
      ['bin/hard', '1', 'bin/app'],
      [long, '0', 'long'],
    ]);
    const upper = tar([
      ['bin/app', '0', 'v2'],
      ['bin/.wh.old', '0'],
      ['etc/conf/.wh..wh..opq', '0'],
      ['etc/conf/c', '0', 'c'],
    ]);
    const root = rootfsFromLayers([lower, upper]);
    const bin = root.entries.bin as FsDir;
    expect(Object.keys(bin.entries).sort()).toEqual(['app', 'hard', 'link']);
    expect(text(bin.entries.app)).toBe('v2');
    expect(text(bin.entries.hard)).toBe('v1');
    expect((bin.entries.link as FsSymlink).target).toBe('/bin/app');
    expect(bin.entries.app).toMatchObject({ kind: 'file', mode: 0o755 });
    expect(Object.keys(((root.entries.etc as FsDir).entries.conf as FsDir).entries)).toEqual(['c']);
    let node: unknown = root;
    for (const part of long.split('/')) node = (node as FsDir).entries[part];
    expect(text(node)).toBe('long');
  });

  it('rejects a truncated archive', () => {
    const t = tar([['x', '0', 'hello']]);
    expect(() => rootfsFromLayers([t.subarray(0, 515)])).toThrow('tar: truncated archive');
  });
});
