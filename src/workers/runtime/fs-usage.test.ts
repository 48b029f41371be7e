import { describe, expect, it } from 'vitest';
import { treeUsedBytes } from './fs-usage';
import { MemFs } from './wasi/mem-fs';

describe('treeUsedBytes', () => {
  it('counts written files once, not image bytes still shared, symlinks or directories', () => {
    const fs = new MemFs({ kind: 'dir', mode: 0o755, mtime: 0, entries: { bin: { kind: 'dir', mode: 0o755, mtime: 0, entries: { app: { kind: 'file', data: new Uint8Array(5000), mode: 0o755, mtime: 0 } } } } }, () => 0);
    expect(treeUsedBytes(fs.root)).toBe(0);
    const tmp = fs.create('dir', fs.root, 'tmp');
    const f = fs.create('file', tmp, 'f');
    f.write(0, new Uint8Array(300));
    fs.create('symlink', tmp, 'l').target = '/tmp/f';
    tmp.children.set('hard', f); // a hard link
    expect(treeUsedBytes(fs.root)).toBe(300);
    fs.resolve(fs.root, '/bin/app').write(0, new Uint8Array(1)); // copy-up of an image file
    expect(treeUsedBytes(fs.root)).toBe(5300);
  });
});
