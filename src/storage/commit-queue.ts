import { StoreError } from './store';
import { toLogRecord, type MemRecord } from './log-record';
import type { MvccIndex } from './mvcc-index';
import type { LeaseRecord } from './lease-table';
import type { StoreBackend, StoreStats } from './store-backend';

/** What one write adds to the batch: its records (already in the index), lease upserts/deletions, and how to undo the latter. */
export interface Change {
  records?: readonly MemRecord[];
  leases?: ReadonlyArray<readonly [number, LeaseRecord | null]>;
  /** Restores in-memory lease state if the batch fails (index records are rolled back by revision). */
  undo?: () => void;
}

interface Batch {
  records: MemRecord[];
  leases: Map<number, LeaseRecord | null>;
  undo: Array<() => void>;
  /** Settled after the batch commits (run) or fails (fail), in call order. */
  waiters: Array<{ run(): void; fail(err: StoreError): void }>;
}

export interface CommitQueueOptions {
  index: MvccIndex;
  backend: StoreBackend;
  leaseSeq(): number;
  /** Called after each successful commit, once its waiters have run (watch delivery). */
  afterCommit(): void;
}

/**
 * Group commit. Every write issued in the same tick, or while the previous backend transaction is in
 * flight, joins one batch, committed as one backend transaction; waiters settle in call order. A change
 * that writes nothing and observed no pending state settles at once. On failure the index rolls back to
 * the last committed revision, undo hooks run newest first, and the failed batch and the one queued
 * behind it (which may depend on it) reject StoreError('Internal').
 */
export class CommitQueue {
  readonly stats: StoreStats = { transactions: 0, writes: 0, compactions: 0 };
  committed: number;
  private queued: Batch | undefined;
  private committing: Promise<void> | undefined;

  constructor(private readonly opts: CommitQueueOptions) {
    this.committed = opts.index.latest;
  }

  /** Resolves with result() once change (and everything queued before it) is durable. */
  settle<T>(change: Change | undefined, result: () => T): Promise<T> {
    const empty = !change || ((change.records?.length ?? 0) === 0 && (change.leases?.length ?? 0) === 0);
    if (empty && this.opts.index.latest === this.committed && !this.queued && !this.committing) {
      try {
        return Promise.resolve(result());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return new Promise<T>((resolve, reject) => {
      const batch: Batch = (this.queued ??= { records: [], leases: new Map<number, LeaseRecord | null>(), undo: [], waiters: [] });
      if (change?.records) batch.records.push(...change.records);
      for (const [id, rec] of change?.leases ?? []) batch.leases.set(id, rec);
      if (change?.undo) batch.undo.push(change.undo);
      batch.waiters.push({
        run: () => {
          try {
            resolve(result());
          } catch (err) {
            reject(err);
          }
        },
        fail: reject,
      });
      this.committing ??= this.loop();
    });
  }

  /** Resolves when nothing is queued or committing. */
  async idle(): Promise<void> {
    while (this.committing) await this.committing;
  }

  private async loop(): Promise<void> {
    await Promise.resolve(); // let the rest of this tick's writes join the batch
    for (;;) {
      const batch = this.queued;
      if (!batch) {
        this.committing = undefined;
        return;
      }
      this.queued = undefined;
      const { records } = batch;
      if (records.length > 0 || batch.leases.size > 0) {
        const last = records.length > 0 ? records[records.length - 1].revision : this.committed;
        try {
          this.stats.transactions++;
          await this.opts.backend.commit({ records: records.map(toLogRecord), base: this.committed, revision: last, leases: batch.leases, leaseSeq: this.opts.leaseSeq() });
        } catch (err) {
          this.abort(batch, err);
          continue;
        }
        if (records.length > 0) this.stats.writes += last - this.committed;
        this.committed = last;
      }
      for (const w of batch.waiters) w.run();
      this.opts.afterCommit();
    }
  }

  private abort(batch: Batch, cause: unknown): void {
    this.opts.index.rollback(this.committed);
    const behind = this.queued;
    this.queued = undefined;
    for (const b of [behind, batch]) for (const u of [...(b?.undo ?? [])].reverse()) u();
    const err = commitError(cause);
    for (const w of batch.waiters) w.fail(err);
    for (const w of behind?.waiters ?? []) w.fail(err);
  }
}

/**
 * The error every waiter of a failed batch gets. A full browser storage quota is etcd's NOSPACE alarm
 * (code NoSpace, etcd's words plus what to do about it in a tab); anything else is Internal.
 */
export function commitError(cause: unknown): StoreError {
  const name = cause instanceof Error || (typeof cause === 'object' && cause !== null && 'name' in cause) ? String((cause as { name: unknown }).name) : '';
  if (name === 'QuotaExceededError') {
    return new StoreError('NoSpace', "etcdserver: mvcc: database space exceeded (this site's browser storage quota is full: export a snapshot, then delete objects or start a fresh cluster)");
  }
  return new StoreError('Internal', `commit failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`);
}
