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

/** Deep equality of two saved trees (mtimes ignored). */
export function sameTree(a: FsNode | undefined, b: FsNode | undefined): boolean {
  if (!a || !b || a.kind !== b.kind) return a === b;
  if (a.kind === 'symlink') return a.target === (b as typeof a).target;
  if (a.kind === 'file') {
    const bd = (b as typeof a).data;
    return a.mode === (b as typeof a).mode && a.data.length === bd.length && a.data.every((x, i) => x === bd[i]);
  }
  const be = (b as typeof a).entries;
  const keys = Object.keys(a.entries);
  return keys.length === Object.keys(be).length && keys.every((k) => sameTree(a.entries[k], be[k]));
}
