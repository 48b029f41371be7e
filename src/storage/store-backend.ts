import type { LogRecord } from './log-record';
import type { MvccIndex } from './mvcc-index';
import type { Clock } from '../api/clock';
import type { LeaseRecord } from './lease-table';

/** One atomic backend transaction: log records (consecutive revisions) and lease changes. */
export interface Commit {
  records: readonly LogRecord[];
  /** The committed revision this commit builds on (a backend may refuse if its log is elsewhere). */
  base: number;
  /** The newest revision after this commit (unchanged by lease-only commits). */
  revision: number;
  /** Lease upserts (a record) and deletions (null), by id. */
  leases: ReadonlyMap<number, LeaseRecord | null>;
  /** The lease id counter after this commit. */
  leaseSeq: number;
}

/** Where the log lives. Each call is one atomic transaction; a rejection means nothing of it was applied. */
export interface StoreBackend {
  commit(c: Commit): Promise<void>;
  /** Deletes the given [revision, sub] records and records `revision` as the compacted one. */
  compact(revision: number, dropped: ReadonlyArray<readonly [number, number]>): Promise<void>;
  close(): Promise<void>;
}

/**
 * Automatic compaction, run every intervalMs of cluster time (default 5 minutes, kube-apiserver's
 * --etcd-compaction-interval). With keepRevisions it compacts to currentRevision() - keepRevisions; without,
 * like kube-apiserver, to the revision that was current at the previous run (at least one interval of history).
 */
export interface CompactionOptions {
  keepRevisions?: number;
  intervalMs?: number;
}

export interface MvccStoreOptions {
  index: MvccIndex;
  backend: StoreBackend;
  /** Needed for compaction, lease expiry and progress notifications; without it leases never expire. */
  clock?: Clock;
  /** Automatic compaction; none when undefined. */
  compaction?: CompactionOptions;
  leases?: readonly LeaseRecord[];
  leaseSeq?: number;
  /** Watch progress notification interval in cluster ms (default 10 s). */
  progressIntervalMs?: number;
}

export interface StoreStats {
  /** Backend commit transactions started (group commit makes this smaller than `writes`). */
  transactions: number;
  /** Successful writes (revisions). */
  writes: number;
  compactions: number;
}
