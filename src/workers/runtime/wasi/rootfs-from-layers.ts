import { emptyRootfs, type FsDir, type FsNode, type RootfsSnapshot } from './mem-fs';

/**
 * Applies uncompressed tar layers (OCI application/vnd.oci.image.layer.v1.tar), lowest first, to an empty
 * root. Supports ustar/GNU regular files, directories, symlinks, hard links (copied) and OCI whiteouts
 * (`.wh.<name>` deletes, `.wh..wh..opq` empties the directory). Throws Error on a malformed archive.
 */
export function rootfsFromLayers(layers: Uint8Array[]): RootfsSnapshot {
  const root = emptyRootfs();
  for (const layer of layers) applyLayer(root, layer);
  return root;
}

const dec = new TextDecoder();

function str(b: Uint8Array, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const end = s.indexOf(0);
  return dec.decode(end < 0 ? s : s.subarray(0, end));
}

function octal(b: Uint8Array, off: number, len: number): number {
  const s = str(b, off, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function applyLayer(root: FsDir, tar: Uint8Array): void {
  let off = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let paxPath: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((x) => x === 0)) break;
    let name = str(h, 0, 100);
    const mode = octal(h, 100, 8);
    const size = octal(h, 124, 12);
    const mtime = octal(h, 136, 12) * 1000;
    const type = String.fromCharCode(h[156] || 48);
    let link = str(h, 157, 100);
    if (str(h, 257, 5) === 'ustar') {
      const prefix = str(h, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    const dataStart = off + 512;
    if (dataStart + size > tar.length) throw new Error('tar: truncated archive');
    const data = tar.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = str(data, 0, data.length);
      continue;
    }
    if (type === 'K') {
      longLink = str(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(dec.decode(data));
      paxPath = m?.[1];
      continue;
    }
    if (type === 'g') continue;
    name = paxPath ?? longName ?? name;
    link = longLink ?? link;
    paxPath = longName = longLink = undefined;
    apply(root, name, type, mode, mtime, data, link);
  }
}

function apply(root: FsDir, path: string, type: string, mode: number, mtime: number, data: Uint8Array, link: string): void {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) return;
  const base = parts.pop() as string;
  const dir = mkdirs(root, parts, mtime);
  if (base === '.wh..wh..opq') {
    dir.entries = {};
    return;
  }
  if (base.startsWith('.wh.')) {
    delete dir.entries[base.slice(4)];
    return;
  }
  let node: FsNode;
  switch (type) {
    case '5': {
      const existing = dir.entries[base];
      if (existing?.kind === 'dir') {
        existing.mode = mode & 0o7777;
        existing.mtime = mtime;
        return;
      }
      node = { kind: 'dir', entries: {}, mode: mode & 0o7777, mtime };
      break;
    }
    case '2':
      node = { kind: 'symlink', target: link, mtime };
      break;
    case '1': {
      const target = find(root, link);
      if (!target || target.kind !== 'file') return;
      node = { kind: 'file', data: target.data, mode: target.mode, mtime: target.mtime };
      break;
    }
    case '0':
    case '7':
      node = { kind: 'file', data: data.slice(), mode: mode & 0o7777, mtime };
      break;
    default:
      return; // devices, fifos: not representable in WASI; skipped
  }
  dir.entries[base] = node;
}

function mkdirs(root: FsDir, parts: string[], mtime: number): FsDir {
  let dir = root;
  for (const p of parts) {
    let next = dir.entries[p];
    if (!next || next.kind !== 'dir') {
      next = { kind: 'dir', entries: {}, mode: 0o755, mtime };
      dir.entries[p] = next;
    }
    dir = next;
  }
  return dir;
}

function find(root: FsDir, path: string): FsNode | undefined {
  let node: FsNode | undefined = root;
  for (const p of path.split('/').filter((x) => x !== '' && x !== '.')) {
    if (!node || node.kind !== 'dir') return undefined;
    node = node.entries[p];
  }
  return node;
}
