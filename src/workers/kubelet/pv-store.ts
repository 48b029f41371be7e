import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FsNode, Inode, MemFs } from '../runtime/wasi/mem-fs';

/**
 * Where PersistentVolume data outlives pods, nodes and page reloads: IndexedDB database
 * `tabernetes-volumes` (one per cluster; every kubelet opens the same one), object store `pvs`, one record
 * per PV name { files: FsNode tree }. A kubelet restores a PV into its host filesystem when a pod first
 * mounts it there, saves it while it is in use (when its contents changed) and when the last pod using it
 * on the node is gone, then drops its copy so another node (or a reload) reads the saved one.
 */
export const PV_DB_NAME = 'tabernetes-volumes';

interface PvSchema extends DBSchema {
  pvs: { key: string; value: { files: FsNode } };
}

export interface PvStore {
  load(pv: string): Promise<FsNode | undefined>;
  save(pv: string, files: FsNode): Promise<void>;
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
    close: () => db.close(),
  };
}

/** Writes a saved tree into an (empty) host directory. */
export function restoreTree(fs: MemFs, dir: Inode, tree: FsNode): void {
  if (tree.kind !== 'dir') return;
  for (const [name, child] of Object.entries(tree.entries)) {
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
