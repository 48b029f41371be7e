import { deleteDB, openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Clock } from '../api/clock';
import { StoreError } from './store';
import type { LogRecord } from './log-record';
import type { LeaseRecord } from './lease-table';
import { MvccIndex } from './mvcc-index';
import { MvccStore, type Commit, type CompactionOptions, type StoreBackend } from './mvcc-store';
import { message } from './store-errors';
import { STORE_FORMAT_VERSION, decodeSnapshot, type SnapshotData } from './snapshot-format';

/**
 * Database layout; the IndexedDB version is the store format version (STORE_FORMAT_VERSION):
 * - `log`: LogChunk keyed by its first revision: the records of one group commit, in (revision, sub)
 *   order; the source of truth. One value per batch because every IndexedDB request is a round trip to
 *   the browser process (one put of 100 records is ~10x faster than 100 puts). Compaction rewrites or
 *   deletes the chunks it thins out.
 * - `meta`: 'revision' (the newest committed revision), 'compacted' (the compacted revision), 'leaseSeq'.
 * - `leases`: LeaseRecord keyed by id.
 * Upgrades run in the versionchange transaction, so they are atomic (an interrupted upgrade leaves the old
 * version): 0→2 creates the stores; 1→2 turns the format-1 log (one LogRecord per revision, keyed by
 * revision) into one chunk (sub = 0 each) and adds `leases`. A database of a newer version is never
 * touched: open rejects StoreError('Unsupported').
 */
export interface LogChunk {
  first: number;
  records: LogRecord[];
}

interface EtcdSchema extends DBSchema {
  log: { key: number; value: LogChunk };
  meta: { key: 'revision' | 'compacted' | 'leaseSeq'; value: number };
  leases: { key: number; value: LeaseRecord };
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
 * Opens (creating or upgrading if needed) the store in the global indexedDB and rebuilds the in-memory
 * index from the log. Rejects StoreError('Unsupported') for a database of a newer format, and
 * StoreError('Internal') when it cannot be opened (quota, blocked upgrade) or the log is inconsistent.
 */
export async function openIdbStore(opts: IdbStoreOptions): Promise<IdbStore> {
  const db = await openDatabase(opts.name);
  try {
    const tx = db.transaction(['log', 'meta', 'leases'], 'readonly');
    const [chunks, compacted, revision, leaseSeq, leases] = await Promise.all([
      tx.objectStore('log').getAll(),
      tx.objectStore('meta').get('compacted'),
      tx.objectStore('meta').get('revision'),
      tx.objectStore('meta').get('leaseSeq'),
      tx.objectStore('leases').getAll(),
    ]);
    await tx.done;
    const index = MvccIndex.load(chunks.flatMap((c) => c.records), compacted ?? 0);
    if (revision !== undefined && revision !== index.latest) {
      throw new StoreError('Internal', `log ends at revision ${index.latest} but meta says ${revision}`);
    }
    return new MvccStore({
      index,
      backend: new IdbBackend(db),
      clock: opts.clock,
      compaction: opts.compaction === false ? undefined : (opts.compaction ?? {}),
      leases,
      leaseSeq: leaseSeq ?? 0,
    });
  } catch (err) {
    db.close();
    throw err instanceof StoreError ? err : new StoreError('Internal', `cannot load store "${opts.name}": ${message(err)}`);
  }
}

/**
 * etcdctl snapshot restore: replaces database `name` with a fresh one holding the snapshot's state, then
 * opens it. Rejects (leaving any existing database untouched) when the snapshot is corrupt or newer; the
 * database must not be open elsewhere (Internal "blocked" otherwise).
 */
export async function restoreSnapshot(name: string, bytes: Uint8Array, clock: Clock, opts: Omit<IdbStoreOptions, 'name' | 'clock'> = {}): Promise<IdbStore> {
  const snap = decodeSnapshot(bytes);
  MvccIndex.load(snap.records, snap.compacted); // validates contiguity before anything is deleted
  let blocked = false;
  await deleteDB(name, { blocked: () => void (blocked = true) });
  if (blocked) throw new StoreError('Internal', `cannot restore "${name}": the database is open in another tab`);
  const db = await openDatabase(name);
  try {
    await writeSnapshot(db, snap);
  } finally {
    db.close();
  }
  return openIdbStore({ name, clock, ...opts });
}

async function writeSnapshot(db: IDBPDatabase<EtcdSchema>, snap: SnapshotData): Promise<void> {
  const tx = db.transaction(['log', 'meta', 'leases'], 'readwrite');
  for (let i = 0; i < snap.records.length; i += 1000) {
    const records = snap.records.slice(i, i + 1000);
    tx.objectStore('log').put({ first: records[0].revision, records }).catch(() => undefined);
  }
  for (const l of snap.leases) tx.objectStore('leases').put(l).catch(() => undefined);
  tx.objectStore('meta').put(snap.revision, 'revision').catch(() => undefined);
  tx.objectStore('meta').put(snap.compacted, 'compacted').catch(() => undefined);
  tx.objectStore('meta').put(snap.leaseSeq, 'leaseSeq').catch(() => undefined);
  await tx.done;
}

/**
 * Opens and upgrades. A blocked upgrade (another tab holds the old version open) rejects at once with
 * StoreError('Internal', '... upgrade blocked ...') instead of waiting; the late connection is closed.
 */
async function openDatabase(name: string): Promise<IDBPDatabase<EtcdSchema>> {
  let blocked = false;
  let onBlocked!: (err: Error) => void;
  const blockedErr = new Promise<never>((_, reject) => (onBlocked = reject));
  try {
    const opening = openDB<EtcdSchema>(name, STORE_FORMAT_VERSION, {
      async upgrade(database, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          database.createObjectStore('meta');
        }
        let old: LogRecord[] = [];
        if (oldVersion === 1) {
          const v1 = tx.objectStore('log' as never) as unknown as { getAll(): Promise<LogRecord[]> };
          old = await v1.getAll();
          database.deleteObjectStore('log');
        }
        const log = database.createObjectStore('log', { keyPath: 'first' });
        if (old.length > 0) log.put({ first: old[0].revision, records: old.map((r) => ({ ...r, sub: 0 })) }).catch(() => undefined);
        database.createObjectStore('leases', { keyPath: 'id' });
      },
      blocked() {
        blocked = true;
        onBlocked(new Error(`upgrade to format ${STORE_FORMAT_VERSION} is blocked: close the other tabs using this cluster, then reload`));
        opening.then((db) => db.close()).catch(() => undefined);
      },
    });
    return await Promise.race([opening, blockedErr]);
  } catch (err) {
    const name_ = (err as { name?: string } | null)?.name;
    if (name_ === 'VersionError') {
      throw new StoreError(
        'Unsupported',
        `store "${name}" was written by a newer Tabernetes (its format is newer than ${STORE_FORMAT_VERSION}); open it with that version, or import a snapshot into a fresh cluster`,
      );
    }
    if (blocked) console.error(`store "${name}": ${message(err)}`);
    throw new StoreError('Internal', `cannot open store "${name}": ${message(err)}`);
  }
}

/**
 * Each call is one readwrite transaction with relaxed durability; the promise settles on the
 * transaction's complete (resolve) or abort/error (reject), so the caller only acknowledges durable data.
 * A commit first reads meta 'revision' in the same transaction and aborts unless it equals the commit's
 * base: if another connection (a second tab) has written, nothing is overwritten or interleaved.
 */
class IdbBackend implements StoreBackend {
  constructor(private readonly db: IDBPDatabase<EtcdSchema>) {}

  async commit(c: Commit): Promise<void> {
    const tx = this.db.transaction(['log', 'meta', 'leases'], 'readwrite', { durability: 'relaxed' });
    const meta = tx.objectStore('meta');
    let foreign: number | undefined;
    // Request failures abort the transaction, so tx.done reports them.
    meta.get('revision').then(
      (onDisk) => {
        if ((onDisk ?? 1) !== c.base) {
          foreign = onDisk;
          tx.abort();
        }
      },
      () => undefined,
    );
    if (c.records.length > 0) {
      tx.objectStore('log').add({ first: c.records[0].revision, records: [...c.records] }).catch(() => undefined);
      meta.put(c.revision, 'revision').catch(() => undefined);
    }
    const leases = tx.objectStore('leases');
    for (const [id, rec] of c.leases) (rec ? leases.put(rec) : leases.delete(id)).catch(() => undefined);
    if (c.leases.size > 0) meta.put(c.leaseSeq, 'leaseSeq').catch(() => undefined);
    try {
      await tx.done;
    } catch (err) {
      if (foreign === undefined) throw err;
      throw new Error(`the log was already written up to revision ${foreign} by another connection (is the cluster open in another tab?)`);
    }
  }

  /** Thins every chunk that starts below revision (only those can hold dropped records). */
  async compact(revision: number, dropped: ReadonlyArray<readonly [number, number]>): Promise<void> {
    const gone = new Set(dropped.map(([rev, sub]) => `${rev}.${sub}`));
    const tx = this.db.transaction(['log', 'meta'], 'readwrite', { durability: 'relaxed' });
    const log = tx.objectStore('log');
    for (let cursor = await log.openCursor(); cursor && cursor.key < revision; cursor = await cursor.continue()) {
      const chunk = cursor.value;
      const kept = chunk.records.filter((r) => !gone.has(`${r.revision}.${r.sub}`));
      if (kept.length === 0) cursor.delete().catch(() => undefined);
      else if (kept.length < chunk.records.length) cursor.update({ first: chunk.first, records: kept }).catch(() => undefined);
    }
    tx.objectStore('meta').put(revision, 'compacted').catch(() => undefined);
    await tx.done;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
