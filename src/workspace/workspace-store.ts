import { openDB, type IDBPDatabase } from 'idb';
import { parentOf } from './workspace-paths';

/** A file's content: text, or bytes for what is not UTF-8 (kubectl cp of a binary). */
export type WorkspaceData = string | Uint8Array;

export interface WorkspaceEntry {
  name: string;
  /** Full workspace path. */
  path: string;
  dir: boolean;
  /** Bytes (UTF-8 length for text); 0 for folders. */
  size: number;
}

/** Error codes as the shell reports them (ENOENT: No such file or directory, …). */
export class WorkspaceError extends Error {
  constructor(
    readonly code: 'ENOENT' | 'EISDIR' | 'ENOTDIR' | 'EEXIST' | 'ENOTEMPTY',
    readonly path: string,
  ) {
    super(`${path}: ${WORKSPACE_ERROR_TEXT[code]}`);
  }
}

export const WORKSPACE_ERROR_TEXT = {
  ENOENT: 'No such file or directory',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  ENOTEMPTY: 'Directory not empty',
} as const;

interface Row {
  path: string;
  dir: boolean;
  data?: WorkspaceData;
}

/**
 * The workspace: every entry is held in memory (reads are synchronous) and each change is written to
 * IndexedDB before its promise resolves. Paths must be normalised (resolveWorkspacePath). Mutations throw
 * WorkspaceError; listeners run after the in-memory change, in registration order.
 */
export interface Workspace {
  read(path: string): WorkspaceData | undefined;
  /** The text of a file (bytes decoded as UTF-8); undefined for a missing file or a folder. */
  readText(path: string): string | undefined;
  isDir(path: string): boolean;
  exists(path: string): boolean;
  /** Entries directly in dir, sorted by name; undefined when dir is not a folder. */
  list(dir: string): WorkspaceEntry[] | undefined;
  /** Every file path, sorted. */
  files(): string[];
  /** Creates or replaces a file; missing parent folders are implied. */
  write(path: string, data: WorkspaceData): Promise<void>;
  /** Creates a folder (and its parents with `parents`, which also tolerates an existing folder). */
  mkdir(path: string, opts?: { parents?: boolean }): Promise<void>;
  /** Removes a file, or a folder (its content too with `recursive`; otherwise it must be empty). */
  remove(path: string, opts?: { recursive?: boolean }): Promise<void>;
  /** Moves a file or a folder (with its content); the target must not exist. */
  rename(from: string, to: string): Promise<void>;
  onChange(cb: () => void): { dispose(): void };
  close(): void;
}

const encoder = new TextEncoder();

export async function openWorkspace(opts: { name?: string; seed?: Record<string, string> } = {}): Promise<Workspace> {
  const db: IDBPDatabase = await openDB(opts.name ?? 'tabernetes-workspace', 1, {
    upgrade(d) {
      d.createObjectStore('entries', { keyPath: 'path' });
      d.createObjectStore('meta');
    },
  });
  const rows = new Map<string, Row>();
  for (const r of (await db.getAll('entries')) as Row[]) rows.set(r.path, r);
  if (opts.seed && !(await db.get('meta', 'seeded'))) {
    const tx = db.transaction(['entries', 'meta'], 'readwrite');
    for (const [path, data] of Object.entries(opts.seed)) {
      const row = { path, dir: false, data };
      rows.set(path, row);
      void tx.objectStore('entries').put(row);
    }
    void tx.objectStore('meta').put(true, 'seeded');
    await tx.done;
  }
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());

  const isDir = (path: string): boolean => {
    if (path === '') return true;
    if (rows.get(path)?.dir) return true;
    const prefix = path + '/';
    for (const p of rows.keys()) if (p.startsWith(prefix)) return true;
    return false;
  };
  const under = (path: string) => [...rows.keys()].filter((p) => p.startsWith(path + '/'));
  const checkParents = (path: string) => {
    for (let p = parentOf(path); p; p = parentOf(p)) if (rows.get(p) && !rows.get(p)!.dir) throw new WorkspaceError('ENOTDIR', path);
  };
  const commit = async (puts: Row[], deletes: string[]) => {
    for (const d of deletes) rows.delete(d);
    for (const r of puts) rows.set(r.path, r);
    changed();
    const tx = db.transaction('entries', 'readwrite');
    for (const d of deletes) void tx.store.delete(d);
    for (const r of puts) void tx.store.put(r);
    await tx.done;
  };

  return {
    read: (path) => rows.get(path)?.data,
    readText(path) {
      const d = rows.get(path)?.data;
      return d === undefined ? undefined : typeof d === 'string' ? d : new TextDecoder().decode(d);
    },
    isDir,
    exists: (path) => rows.has(path) || isDir(path),
    list(dir) {
      if (!isDir(dir)) return undefined;
      const prefix = dir ? dir + '/' : '';
      const seen = new Map<string, WorkspaceEntry>();
      for (const [p, r] of rows) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length);
        const slash = rest.indexOf('/');
        const name = slash < 0 ? rest : rest.slice(0, slash);
        const isFolder = slash >= 0 || r.dir;
        const size = isFolder || r.data === undefined ? 0 : typeof r.data === 'string' ? encoder.encode(r.data).length : r.data.length;
        if (!seen.has(name) || isFolder) seen.set(name, { name, path: prefix + name, dir: isFolder, size });
      }
      return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    files: () => [...rows.values()].filter((r) => !r.dir).map((r) => r.path).sort(),
    async write(path, data) {
      if (path === '' || isDir(path)) throw new WorkspaceError('EISDIR', path);
      checkParents(path);
      const dirs = [...rows.values()].filter((r) => r.dir && path.startsWith(r.path + '/')).map((r) => r.path);
      await commit([{ path, dir: false, data }], dirs);
    },
    async mkdir(path, o = {}) {
      if (rows.has(path) && !rows.get(path)!.dir) throw new WorkspaceError('EEXIST', path);
      if (isDir(path)) {
        if (o.parents) return;
        throw new WorkspaceError('EEXIST', path);
      }
      checkParents(path);
      if (!o.parents && parentOf(path) && !isDir(parentOf(path))) throw new WorkspaceError('ENOENT', path);
      await commit([{ path, dir: true }], []);
    },
    async remove(path, o = {}) {
      if (path === '') throw new WorkspaceError('EISDIR', path);
      const row = rows.get(path);
      if (row && !row.dir) return commit([], [path]);
      if (!isDir(path)) throw new WorkspaceError('ENOENT', path);
      const inside = under(path);
      if (inside.length && !o.recursive) throw new WorkspaceError('ENOTEMPTY', path);
      await commit([], [...inside, path].filter((p) => rows.has(p)));
    },
    async rename(from, to) {
      if (from === to) return;
      if (!rows.has(from) && !isDir(from)) throw new WorkspaceError('ENOENT', from);
      if (rows.has(to) || isDir(to)) throw new WorkspaceError('EEXIST', to);
      checkParents(to);
      const moved = rows.has(from) ? [from, ...under(from)] : under(from);
      const puts = moved.map((p) => ({ ...rows.get(p)!, path: to + p.slice(from.length) }));
      await commit(puts, moved);
    },
    onChange(cb) {
      listeners.add(cb);
      return { dispose: () => void listeners.delete(cb) };
    },
    close: () => db.close(),
  };
}
