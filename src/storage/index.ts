/**
 * src/storage: the cluster's etcd on IndexedDB (idb). Only the apiserver opens the cluster's store.
 * - store: the kine-shaped Store interface and StoreError (the contract).
 * - openIdbStore({ name, clock, compaction? }): the IndexedDB implementation (IdbStore = MvccStore).
 * - createMemoryStore(opts?): the same store without persistence, for fast tests of other components.
 * - MvccStore (both of the above): adds `stats` ({ transactions, writes, compactions }).
 * - store-conformance.ts (describeStoreConformance) is imported by tests directly; it is not re-exported
 *   here because it imports vitest.
 *
 * Design (kine/etcd-like MVCC): an append-only log keyed by revision is the source of truth; memory holds
 * a per-key revision history and the recent events, rebuilt from the log at open. Reads and watches are
 * served from memory at the committed revision. Writes are group-committed: every write issued in the
 * same tick (or while the previous transaction is in flight) goes into one readwrite transaction.
 *
 * Guarantees after a tab crash (or the Worker being killed):
 * - Every acknowledged write (its promise resolved) survives, with the same revision; so does everything
 *   before it. Writes not yet acknowledged may be lost, as a whole batch, never partially: on reopen the
 *   log is a contiguous prefix of the revisions that were handed out.
 * - Transactions use { durability: 'relaxed' }: complete means the data was handed to the OS, not
 *   fsynced. A tab or browser crash cannot lose it; an OS crash or power loss may lose the most recent
 *   acknowledged batches (again as a prefix-preserving truncation).
 * - Watchers only ever see committed events. A failed transaction rolls memory back and rejects its
 *   writes with StoreError('Internal'); the store stays usable.
 * - Compaction (openIdbStore default: every 5 minutes of cluster time, to the revision current at the
 *   previous run, as kube-apiserver does) keeps every live key; reads and watches below the compacted
 *   revision fail with StoreError('Compacted'). close() ends open watches with StoreError('Closed').
 * - No leases expire in v0 (the lease id is stored only). One connection writes: a second tab opening
 *   the same database gets its writes rejected (Internal, "already written by another connection")
 *   instead of overwriting the log.
 */
export * from './store';
export type { LogRecord } from './log-record';
export { MvccStore, type StoreBackend, type StoreStats, type CompactionOptions } from './mvcc-store';
export { openIdbStore, type IdbStore, type IdbStoreOptions } from './open-idb-store';
export { createMemoryStore, type MemoryStoreOptions } from './create-memory-store';
