import { openDB, unwrap, type DBSchema, type IDBPDatabase } from 'idb';
import type { NodeDisk } from './cri';
import { WriteBehind, type BatchTransaction } from './write-behind';

/**
 * Database `tabernetes-node-<name>` (version 1):
 * - `logs`: one record per appendLog call { path, lines }, auto-increment key, index `path`; so appending is
 *   one small put and reading a file is one ordered index scan (records of one path in key order).
 * - `state`: key → value (structured-cloneable) for runtime and kubelet records.
 * Writes (appendLog, putState, deleteState) are group-committed (write-behind.ts): each resolves when the
 * transaction holding it commits; a value is serialised when that transaction is created, so a caller that
 * changes a value after putState puts it again. Reads, renameLog, removeLogs and close() first start the queued
 * batch, so they see (and come after) every write made before them.
 */
interface NodeDiskSchema extends DBSchema {
  logs: { key: number; value: { path: string; lines: string[] }; indexes: { path: string } };
  state: { key: string; value: unknown };
}

export function nodeDiskDbName(name: string): string {
  return `tabernetes-node-${name}`;
}

/** Opens (creating if needed) the node's disk in the global indexedDB. Rejects if IndexedDB is unavailable. */
export async function openNodeDisk(name: string): Promise<NodeDisk> {
  const db = await openDB<NodeDiskSchema>(nodeDiskDbName(name), 1, {
    upgrade(database) {
      database.createObjectStore('logs', { autoIncrement: true }).createIndex('path', 'path');
      database.createObjectStore('state');
    },
  });
  return new IdbNodeDisk(db);
}

/** Upper bound for string prefix ranges. */
const prefixRange = (prefix: string) => [prefix, prefix + '\uffff'] as const;

/** Bytes of the lines as a file holds them: UTF-8, a newline after each. */
export function logBytes(lines: string[]): number {
  let n = 0;
  for (const l of lines) {
    n += l.length + 1;
    for (let i = 0; i < l.length; i++) {
      const c = l.charCodeAt(i);
      if (c >= 0x800) n += c >= 0xd800 && c < 0xdc00 ? 1 : 2; // a surrogate pair is 4 bytes for 2 units
      else if (c >= 0x80) n += 1;
    }
  }
  return n;
}

class IdbNodeDisk implements NodeDisk {
  /** path → bytes, for files this object has measured or written (listLogs measures the rest once). */
  private readonly sizes = new Map<string, number>();

  private readonly writes: WriteBehind;

  constructor(private readonly db: IDBPDatabase<NodeDiskSchema>) {
    const raw = unwrap(db) as unknown as { transaction(stores: string[], mode: 'readwrite'): RawTransaction };
    this.writes = new WriteBehind((stores) => batchTransaction(raw.transaction(stores, 'readwrite')));
  }

  async appendLog(path: string, lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    // The size cache changes when the append is queued: every operation that reads or moves sizes flushes first.
    const done = this.writes.append({ path, lines });
    const known = this.sizes.get(path);
    if (known !== undefined) this.sizes.set(path, known + logBytes(lines));
    await done;
  }

  async listLogs(pathPrefix: string): Promise<Array<{ path: string; bytes: number }>> {
    this.writes.flush();
    const [lo, hi] = prefixRange(pathPrefix);
    const paths: string[] = [];
    let cursor = await this.db.transaction('logs').store.index('path').openKeyCursor(keyRange(lo, hi), 'nextunique');
    while (cursor) {
      paths.push(cursor.key);
      cursor = await cursor.continue();
    }
    const out: Array<{ path: string; bytes: number }> = [];
    for (const path of paths) {
      let bytes = this.sizes.get(path);
      if (bytes === undefined) {
        bytes = logBytes((await this.readLog(path)) ?? []);
        this.sizes.set(path, bytes);
      }
      out.push({ path, bytes });
    }
    return out;
  }

  async renameLog(from: string, to: string): Promise<void> {
    if (from === to) return;
    this.writes.flush();
    const tx = this.db.transaction('logs', 'readwrite');
    const size = this.sizes.get(from);
    this.sizes.delete(from);
    if (size === undefined) this.sizes.delete(to);
    else this.sizes.set(to, size);
    const index = tx.store.index('path');
    for (const key of await index.getAllKeys(keyRange(to, to))) await tx.store.delete(key);
    for (const key of await index.getAllKeys(keyRange(from, from))) {
      const rec = await tx.store.get(key);
      if (rec) await tx.store.put({ ...rec, path: to }, key);
    }
    await tx.done;
  }

  async readLog(path: string): Promise<string[] | undefined> {
    this.writes.flush();
    const records = await this.db.getAllFromIndex('logs', 'path', path);
    if (records.length === 0) return undefined;
    return records.flatMap((r) => r.lines);
  }

  async removeLogs(pathPrefix: string): Promise<void> {
    const [lo, hi] = prefixRange(pathPrefix);
    this.writes.flush();
    const tx = this.db.transaction('logs', 'readwrite');
    let cursor = await tx.store.index('path').openKeyCursor(keyRange(lo, hi));
    while (cursor) {
      await tx.store.delete(cursor.primaryKey);
      cursor = await cursor.continue();
    }
    await tx.done;
    for (const path of [...this.sizes.keys()]) if (path.startsWith(pathPrefix)) this.sizes.delete(path);
  }

  async getState<T>(key: string): Promise<T | undefined> {
    this.writes.flush();
    return (await this.db.get('state', key)) as T | undefined;
  }

  putState<T>(key: string, value: T): Promise<void> {
    return this.writes.put(key, value);
  }

  deleteState(key: string): Promise<void> {
    return this.writes.delete(key);
  }

  async listState<T>(prefix: string): Promise<Array<{ key: string; value: T }>> {
    const [lo, hi] = prefixRange(prefix);
    this.writes.flush();
    const tx = this.db.transaction('state', 'readonly');
    const range = keyRange(lo, hi);
    const [keys, values] = await Promise.all([tx.store.getAllKeys(range), tx.store.getAll(range)]);
    await tx.done;
    return keys.map((key, i) => ({ key, value: values[i] as T }));
  }

  async close(): Promise<void> {
    await this.writes.settled();
    this.db.close();
  }
}

/** The parts of a plain IDBTransaction a batch uses (core code compiles without DOM types). */
interface RawTransaction {
  objectStore(name: string): ReturnType<BatchTransaction['objectStore']>;
  abort(): void;
  readonly error: unknown;
  oncomplete: (() => void) | null;
  onabort: (() => void) | null;
}

/** The transaction's outcome from its complete/abort events (a failed request aborts it, tx.error saying why). */
function batchTransaction(tx: RawTransaction): BatchTransaction {
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('AbortError: the node disk transaction was aborted'));
  });
  return { objectStore: (name) => tx.objectStore(name), done, abort: () => tx.abort() };
}

/** IDBKeyRange.bound from the global scope; typed `never` because core compiles without DOM types. */
export function keyRange(lo: string, hi: string): never {
  const g = globalThis as unknown as { IDBKeyRange: { bound(lo: string, hi: string): never } };
  return g.IDBKeyRange.bound(lo, hi);
}
