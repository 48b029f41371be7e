import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { NodeDisk } from './cri';

/**
 * Database `tabernetes-node-<name>` (version 1):
 * - `logs`: one record per appendLog call { path, lines }, auto-increment key, index `path`; so appending is
 *   one small put and reading a file is one ordered index scan (records of one path in key order).
 * - `state`: key → value (structured-cloneable) for runtime and kubelet records.
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

class IdbNodeDisk implements NodeDisk {
  constructor(private readonly db: IDBPDatabase<NodeDiskSchema>) {}

  async appendLog(path: string, lines: string[]): Promise<void> {
    if (lines.length === 0) return;
    await this.db.add('logs', { path, lines });
  }

  async readLog(path: string): Promise<string[] | undefined> {
    const records = await this.db.getAllFromIndex('logs', 'path', path);
    if (records.length === 0) return undefined;
    return records.flatMap((r) => r.lines);
  }

  async removeLogs(pathPrefix: string): Promise<void> {
    const [lo, hi] = prefixRange(pathPrefix);
    const tx = this.db.transaction('logs', 'readwrite');
    let cursor = await tx.store.index('path').openKeyCursor(keyRange(lo, hi));
    while (cursor) {
      await tx.store.delete(cursor.primaryKey);
      cursor = await cursor.continue();
    }
    await tx.done;
  }

  async getState<T>(key: string): Promise<T | undefined> {
    return (await this.db.get('state', key)) as T | undefined;
  }

  async putState<T>(key: string, value: T): Promise<void> {
    await this.db.put('state', value, key);
  }

  async deleteState(key: string): Promise<void> {
    await this.db.delete('state', key);
  }

  async listState<T>(prefix: string): Promise<Array<{ key: string; value: T }>> {
    const [lo, hi] = prefixRange(prefix);
    const tx = this.db.transaction('state', 'readonly');
    const range = keyRange(lo, hi);
    const [keys, values] = await Promise.all([tx.store.getAllKeys(range), tx.store.getAll(range)]);
    await tx.done;
    return keys.map((key, i) => ({ key, value: values[i] as T }));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** IDBKeyRange.bound from the global scope; typed `never` because core compiles without DOM types. */
function keyRange(lo: string, hi: string): never {
  const g = globalThis as unknown as { IDBKeyRange: { bound(lo: string, hi: string): never } };
  return g.IDBKeyRange.bound(lo, hi);
}
