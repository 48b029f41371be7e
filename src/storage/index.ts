/**
 * src/storage: the cluster's etcd on IndexedDB (idb). Only the apiserver opens the cluster's store.
 * - store: the kine-shaped Store interface (get/list/create/update/delete/txn/watch/compact/lease*) and StoreError.
 * - openIdbStore({ name, clock, compaction? }): the IndexedDB implementation (IdbStore = MvccStore);
 *   restoreSnapshot(name, bytes, clock) replaces a database with a snapshot (etcdctl snapshot restore).
 * - createMemoryStore(opts?): the same store without persistence, for fast tests of other components.
 * - MvccStore (both of the above): adds `stats`, snapshot() (etcdctl snapshot save) and committedRecords();
 *   its writes are steps in mvcc-writes.ts, its StoreErrors in store-errors.ts.
 * - LeaseManager / leaseManagerFor(store, clock): kube-apiserver's lease reuse for TTL'd keys (Events, 1 h).
 * - snapshot-format: the self-describing snapshot file (JSON lines + CRC-32); STORE_FORMAT_VERSION.
 * - verifyIdbStore (debug: log contiguous, index = log) and runStoreBench (the bench:store workload).
 * - store-conformance.ts / store-conformance-txn.ts (describeStoreConformance) are imported by tests
 *   directly; not re-exported here because they import vitest.
 *
 * Design (kine/etcd-like MVCC): an append-only log of records (revision, sub) is the source of truth; each
 * revision is one write (a single-key write, a txn, or a lease revoke). A group commit's records are one
 * IndexedDB value (a chunk keyed by its first revision) written in one transaction, with meta 'revision'
 * checked against the batch's base so a second writer can never interleave. Memory holds a per-key revision history and the recent events, rebuilt from the
 * log at open. Reads and watches are served from memory at the committed revision. Writes are
 * group-committed: every write issued in the same tick (or while the previous transaction is in flight)
 * goes into one readwrite transaction.
 *
 * Guarantees after a tab crash (or the Worker being killed):
 * - Every acknowledged write (its promise resolved) survives, with the same revision; so does everything
 *   before it. Writes not yet acknowledged may be lost, as a whole batch, never partially (a txn is never
 *   half-applied): on reopen the log is a contiguous prefix of the revisions that were handed out.
 * - Transactions use { durability: 'relaxed' }: complete means the data was handed to the OS, not
 *   fsynced. A tab or browser crash cannot lose it; an OS crash or power loss may lose the most recent
 *   acknowledged batches (again as a prefix-preserving truncation).
 * - Watchers only ever see committed events. A failed transaction (quota, a second writer) rolls memory
 *   back and rejects its writes with StoreError('Internal'); the store stays usable.
 * - Leases (grant/keepAlive/revoke/timeToLive) live on the injected Clock, are persisted with their
 *   deadlines, and a lease whose deadline passed while the store was closed is revoked right after open.
 *   Revoke deletes every attached key at one revision.
 * - Compaction (openIdbStore default: every 5 minutes of cluster time, to the revision current at the
 *   previous run, as kube-apiserver does) keeps every live key; reads and watches below the compacted
 *   revision fail with StoreError('Compacted'). close() ends open watches with StoreError('Closed').
 * - Format: the IndexedDB version is the store format (2). Older databases are upgraded atomically in the
 *   versionchange transaction; a newer one is refused with StoreError('Unsupported'), untouched.
 * - One connection writes: a second tab opening the same database gets its writes rejected (Internal,
 *   "already written by another connection") instead of overwriting the log.
 */
export * from './store';
export type { LogRecord } from './log-record';
export { MvccStore, type StoreBackend, type StoreStats, type CompactionOptions, type Commit } from './mvcc-store';
export type { LeaseRecord } from './lease-table';
export { openIdbStore, restoreSnapshot, type IdbStore, type IdbStoreOptions } from './open-idb-store';
export { LeaseManager, leaseManagerFor } from './lease-manager';
export { verifyIdbStore, type StoreVerification } from './verify-idb-store';
export { runStoreBench, DEFAULT_BENCH_SPEC, type StoreBenchSpec, type StoreBenchResult } from './run-store-bench';
export { STORE_FORMAT_VERSION, encodeSnapshot, decodeSnapshot, type SnapshotData } from './snapshot-format';
export { createMemoryStore, type MemoryStoreOptions } from './create-memory-store';
