import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { keyRange } from '../runtime/node-disk';
import type { FsNode, Inode, MemFs } from '../runtime/wasi/mem-fs';

/**
 * Where PersistentVolume data outlives pods, nodes and page reloads: IndexedDB database
 * `tabernetes-volumes` (one per cluster; every kubelet opens the same one), object store `pvs`, one record
 * per PV name { files: FsNode tree }. A kubelet restores a PV into its host filesystem when a pod first
 * mounts it there, saves it while it is in use (when its contents changed) and when the last pod using it
 * on the node is gone, then drops its copy so another node (or a reload) reads the saved one.
 * The same store keeps node-local volume data across page reloads (local-volumes.ts), under keys PV names
 * cannot take (they contain ':'): `emptyDir:<node>:<pod uid>/<volume>` and `hostPath:<node>:<path>`.
 */
export const PV_DB_NAME = 'tabernetes-volumes';

interface PvSchema extends DBSchema {
  pvs: { key: string; value: { files: FsNode } };
}

export interface PvStore {
  load(pv: string): Promise<FsNode | undefined>;
  save(pv: string, files: FsNode): Promise<void>;
  /** Deletes a record (absent: nothing happens). */
  remove(key: string): Promise<void>;
  /** Every key starting with prefix. */
  keys(prefix: string): Promise<string[]>;
  close(): void;
}

export async function openPvStore(name = PV_DB_NAME): Promise<PvStore> {
  const db: IDBPDatabase<PvSchema> = await openDB<PvSchema>(name, 1, {
    upgrade(d) {
      d.createObjectStore('pvs');
    },
  });
  return {
    load: async (pv) => (await db.get('pvs', pv))?.files,
    save: async (pv, files) => void (await db.put('pvs', { files }, pv)),
    remove: async (key) => void (await db.delete('pvs', key)),
    keys: async (prefix) => (await db.getAllKeys('pvs', keyRange(prefix, `${prefix}\uffff`))).map(String),
    close: () => db.close(),
  };
}

/**
 * Writes a saved tree into a host directory. Entries already there are kept (a directory on both sides is
 * merged), so restoring never overwrites what the node wrote since.
 */
export function restoreTree(fs: MemFs, dir: Inode, tree: FsNode): void {
  if (tree.kind !== 'dir') return;
  for (const [name, child] of Object.entries(tree.entries)) {
    const here = dir.children.get(name);
    if (here) {
      if (here.kind === 'dir' && child.kind === 'dir') restoreTree(fs, here, child);
      continue;
    }
    const n = fs.create(child.kind, dir, name);
    if (child.kind === 'file') {
      n.write(0, child.data);
      n.mode = child.mode;
    } else if (child.kind === 'symlink') n.target = child.target;
    else {
      n.mode = child.mode;
      restoreTree(fs, n, child);
    }
    n.mtime = child.mtime;
  }
}

/**
 * Whether the live tree under `node` equals a saved snapshot of it, compared in place (no copy of file bytes),
 * so a periodic save of an unchanged volume allocates nothing: mtimes and directory modes ignored, file
 * modes and bytes compared, entries by name, symlink targets compared. No saved snapshot → false.
 */
export function unchangedSince(node: Inode, saved: FsNode | undefined): boolean {
  if (!saved || saved.kind !== node.kind) return false;
  if (saved.kind === 'symlink') return saved.target === node.target;
  if (saved.kind === 'file') {
    const live = node.bytes();
    const data = saved.data;
    if (node.mode !== saved.mode || live.length !== data.length) return false;
    for (let i = 0; i < live.length; i++) if (live[i] !== data[i]) return false;
    return true;
  }
  const entries = saved.entries;
  if (node.children.size !== Object.keys(entries).length) return false;
  for (const [name, child] of node.children) if (!unchangedSince(child, entries[name])) return false;
  return true;
}
