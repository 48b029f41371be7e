import type { Inode, MemFs } from '../runtime/wasi/mem-fs';

/** One file of an API-data volume: its path relative to the volume's root, bytes and mode. */
export interface PayloadFile {
  data: Uint8Array;
  mode: number;
}
export type Payload = Map<string, PayloadFile>;

/** mkdir -p in the node's host filesystem; returns the directory. Throws if a component is not a directory. */
export function mkdirp(fs: MemFs, path: string): Inode {
  let dir = fs.root;
  for (const part of path.split('/').filter((p) => p && p !== '.')) {
    const next = fs.lookup(dir, part, true).node ?? fs.create('dir', dir, part);
    if (next.kind !== 'dir') throw new Error(`${path}: not a directory`);
    dir = next;
  }
  return dir;
}

/** The node at path (symlinks followed), or undefined. */
export function stat(fs: MemFs, path: string): Inode | undefined {
  try {
    return fs.lookup(fs.root, path, true).node;
  } catch {
    return undefined;
  }
}

/** rm -rf of one entry of dir. */
export function removeEntry(fs: MemFs, dir: Inode, name: string): void {
  const node = dir.children.get(name);
  if (!node) return;
  if (node.kind === 'dir') for (const child of [...node.children.keys()]) removeEntry(fs, node, child);
  fs.unlink(dir, name, node);
}

/** rm -rf path (absent: nothing happens). */
export function removePath(fs: MemFs, path: string): void {
  const parts = path.split('/').filter(Boolean);
  const name = parts.pop();
  const parent = name ? stat(fs, parts.join('/') || '/') : undefined;
  if (parent?.kind === 'dir' && name) removeEntry(fs, parent, name);
}

function writeFile(fs: MemFs, dir: Inode, rel: string, file: PayloadFile): void {
  const parts = rel.split('/').filter(Boolean);
  const name = parts.pop()!;
  let d = dir;
  for (const p of parts) d = d.children.get(p) ?? fs.create('dir', d, p);
  const n = d.children.get(name) ?? fs.create('file', d, name);
  n.truncate(0);
  n.write(0, file.data);
  n.mode = file.mode;
}

function samePayload(a: Payload, b: Payload): boolean {
  if (a.size !== b.size) return false;
  for (const [k, f] of a) {
    const g = b.get(k);
    if (!g || g.mode !== f.mode || g.data.length !== f.data.length || g.data.some((x, i) => x !== f.data[i])) return false;
  }
  return true;
}

/**
 * kubelet's AtomicWriter: the payload lives in a hidden timestamped directory `..<stamp>`, `..data` is a
 * symlink to it, and each top-level name of the payload is a symlink `name -> ..data/name`. A new payload
 * is written to a new directory, then `..data` is swapped and the old directory and stale links removed,
 * so a reader following `..data` never sees a half-written set. Returns false (nothing written) when the
 * payload is unchanged. `stamp` is e.g. `2026_01_01_00_00_00.123456789`.
 */
export function writeAtomically(fs: MemFs, dirPath: string, payload: Payload, last: Payload | undefined, stamp: string): boolean {
  const dir = mkdirp(fs, dirPath);
  if (last && samePayload(last, payload) && dir.children.has('..data')) return false;
  const tsName = `..${stamp}`;
  removeEntry(fs, dir, tsName);
  const ts = fs.create('dir', dir, tsName);
  for (const [rel, file] of payload) writeFile(fs, ts, rel, file);
  const old = dir.children.get('..data');
  const oldTarget = old?.kind === 'symlink' ? old.target : undefined;
  if (old) fs.unlink(dir, '..data', old);
  fs.create('symlink', dir, '..data').target = tsName;
  if (oldTarget && oldTarget !== tsName) removeEntry(fs, dir, oldTarget);
  const top = new Set([...payload.keys()].map((k) => k.split('/').filter(Boolean)[0]));
  for (const [name, node] of [...dir.children]) {
    if (name.startsWith('..')) continue;
    if (!top.has(name)) removeEntry(fs, dir, name);
    else if (node.kind !== 'symlink') removeEntry(fs, dir, name);
  }
  for (const name of top) if (!dir.children.has(name)) fs.create('symlink', dir, name).target = `..data/${name}`;
  return true;
}
