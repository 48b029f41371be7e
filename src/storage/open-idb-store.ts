import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Clock } from '../api/clock';
import { StoreError } from './store';
import type { LogRecord } from './log-record';
import { MvccIndex } from './mvcc-index';
import { MvccStore, type CompactionOptions, type StoreBackend } from './mvcc-store';

/**
 * Database layout (version 1):
 * - `log`: LogRecord keyed by revision; the source of truth.
 * - `meta`: 'revision' (the newest committed revision) and 'compacted' (the compacted revision).
 */
interface EtcdSchema extends DBSchema {
  log: { key: number; value: LogRecord };
  meta: { key: 'revision' | 'compacted'; value: number };
}

export interface IdbStoreOptions {
  /** The IndexedDB database name (the apiserver uses "tabernetes-etcd"). */
  name: string;
  clock: Clock;
  /** Automatic compaction on the clock; default {} (kube-apiserver's: every 5 minutes, keep one interval). false disables it. */
  compaction?: CompactionOptions | false;
}

/** An MvccStore whose log is an IndexedDB database. */
export type IdbStore = MvccStore;

/**
 * Opens (creating if needed) the store in the global indexedDB and rebuilds the in-memory index from the log.
 * Rejects StoreError('Internal') when the database cannot be opened or the log is inconsistent.
 */
export async function openIdbStore(opts: IdbStoreOptions): Promise<IdbStore> {
  let db: IDBPDatabase<EtcdSchema>;
  try {
    db = await openDB<EtcdSchema>(opts.name, 1, {
      upgrade(database) {
        database.createObjectStore('log', { keyPath: 'revision' });
        database.createObjectStore('meta');
      },
    });
  } catch (err) {
    throw new StoreError('Internal', `cannot open store "${opts.name}": ${String(err)}`);
  }
  try {
    const tx = db.transaction(['log', 'meta'], 'readonly');
    const [records, compacted, revision] = await Promise.all([
      tx.objectStore('log').getAll(),
      tx.objectStore('meta').get('compacted'),
      tx.objectStore('meta').get('revision'),
    ]);
    await tx.done;
    const index = MvccIndex.load(records, compacted ?? 0);
    if (revision !== undefined && revision !== index.latest) {
      throw new StoreError('Internal', `log ends at revision ${index.latest} but meta says ${revision}`);
    }
    return new MvccStore({ index, backend: new IdbBackend(db), clock: opts.clock, compaction: opts.compaction === false ? undefined : (opts.compaction ?? {}) });
  } catch (err) {
    db.close();
    throw err instanceof StoreError ? err : new StoreError('Internal', `cannot load store "${opts.name}": ${String(err)}`);
  }
}

/**
 * Each call is one readwrite transaction with relaxed durability; the promise settles on the
 * transaction's complete (resolve) or abort/error (reject), so the caller only acknowledges durable data.
 * Records are added, never overwritten: if another connection (a second tab) already wrote a revision,
 * the transaction aborts with ConstraintError instead of corrupting the log.
 */
class IdbBackend implements StoreBackend {
  constructor(private readonly db: IDBPDatabase<EtcdSchema>) {}

  async commit(records: readonly LogRecord[], revision: number): Promise<void> {
    const tx = this.db.transaction(['log', 'meta'], 'readwrite', { durability: 'relaxed' });
    const log = tx.objectStore('log');
    let taken: number | undefined;
    // Request failures abort the transaction, so tx.done reports them; the catches only note which one.
    for (const r of records) {
      log.add(r).catch((err: unknown) => {
        if ((err as { name?: string } | null)?.name === 'ConstraintError') taken ??= r.revision;
      });
    }
    tx.objectStore('meta').put(revision, 'revision').catch(() => undefined);
    try {
      await tx.done;
    } catch (err) {
      if (taken === undefined) throw err;
      throw new Error(`revision ${taken} was already written by another connection (is the cluster open in another tab?)`);
    }
  }

  async compact(revision: number, dropped: readonly number[]): Promise<void> {
    const tx = this.db.transaction(['log', 'meta'], 'readwrite', { durability: 'relaxed' });
    const log = tx.objectStore('log');
    for (const rev of dropped) log.delete(rev).catch(() => undefined);
    tx.objectStore('meta').put(revision, 'compacted').catch(() => undefined);
    await tx.done;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
