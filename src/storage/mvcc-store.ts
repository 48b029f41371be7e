import type { Clock } from '../api/clock';
import type { Disposable } from '../api/disposable';
import {
  StoreError,
  type KeyValue,
  type RangeOptions,
  type RangeResult,
  type Store,
  type WatchCallbacks,
  type WriteResult,
} from './store';
import { kvOf, toLogRecord, type LogRecord, type MemRecord } from './log-record';
import type { MvccIndex } from './mvcc-index';
import { WatchHub } from './watch-hub';

/** Where the log lives. Each call is one atomic transaction; a rejection means nothing of it was applied. */
export interface StoreBackend {
  /** Appends records (consecutive revisions) and records `revision` as the current one. */
  commit(records: readonly LogRecord[], revision: number): Promise<void>;
  /** Deletes the given revisions and records `revision` as the compacted one. */
  compact(revision: number, dropped: readonly number[]): Promise<void>;
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
  /** Required with compaction. */
  clock?: Clock;
  /** Automatic compaction; none when undefined. */
  compaction?: CompactionOptions;
}

export interface StoreStats {
  /** Backend commit transactions started (group commit makes this smaller than `writes`). */
  transactions: number;
  /** Successful writes. */
  writes: number;
  compactions: number;
}

interface Batch {
  records: MemRecord[];
  /** Settled after the batch commits (run) or fails (fail), in call order. */
  waiters: Array<{ run(): void; fail(err: StoreError): void }>;
}

/**
 * The Store over an MvccIndex and a StoreBackend.
 * - Writes validate against the newest in-memory state synchronously, take the next revision and join the
 *   queued batch; one backend transaction commits each batch (all writes issued while the previous
 *   transaction was in flight, or in the same tick). A write, and a failed precondition that observed a
 *   pending write, settles only after its batch commits.
 * - Reads and watches see committed revisions only (reads are served at currentRevision()).
 * - A failed transaction rolls memory back to the last committed revision and rejects every write of that
 *   batch and of the batch queued behind it with StoreError('Internal'); the store stays usable.
 */
export class MvccStore implements Store {
  readonly stats: StoreStats = { transactions: 0, writes: 0, compactions: 0 };
  private committed: number;
  private queued: Batch | undefined;
  private committing: Promise<void> | undefined;
  private compacting: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private readonly hub: WatchHub;
  private readonly index: MvccIndex;
  private readonly backend: StoreBackend;
  private readonly autoCompaction: Disposable | undefined;

  constructor(opts: MvccStoreOptions) {
    this.index = opts.index;
    this.backend = opts.backend;
    this.committed = opts.index.latest;
    this.hub = new WatchHub({
      committedRevision: () => this.committed,
      compactedRevision: () => this.index.compacted,
      eventsBetween: (from, to) => this.index.eventsBetween(from, to),
    });
    const compaction = opts.compaction;
    if (compaction) {
      if (!opts.clock) throw new Error('automatic compaction needs a clock');
      let previous = this.committed;
      this.autoCompaction = opts.clock.every(compaction.intervalMs ?? 5 * 60_000, () => {
        const keep = compaction.keepRevisions;
        const target = keep === undefined ? previous : this.committed - keep;
        previous = this.committed;
        if (target > Math.max(this.index.compacted, 1) && !this.closing) this.compact(target).catch(() => undefined);
      });
    }
  }

  currentRevision(): number {
    return this.committed;
  }

  compactedRevision(): number {
    return this.index.compacted;
  }

  async get(key: string, revision?: number): Promise<{ revision: number; kv?: KeyValue }> {
    const rev = this.readRevision(revision);
    const rec = this.index.at(key, rev);
    return rec ? { revision: rev, kv: kvOf(rec) } : { revision: rev };
  }

  async list(prefix: string, opts: RangeOptions = {}): Promise<RangeResult> {
    const rev = this.readRevision(opts.revision);
    const { recs, more, count } = this.index.range(prefix, rev, opts.limit ?? 0, opts.after);
    return { revision: rev, kvs: recs.map(kvOf), more, count };
  }

  create(key: string, value: string, lease = 0): Promise<{ revision: number; kv: KeyValue }> {
    if (this.closing) return Promise.reject(closedError());
    if (this.index.current(key)) {
      return this.settle(undefined, () => {
        throw new StoreError('KeyExists', `key already exists: ${key}`);
      });
    }
    const rec = this.index.put(key, value, lease);
    return this.settle(rec, () => ({ revision: rec.revision, kv: kvOf(rec) }));
  }

  update(key: string, value: string, expectedModRevision: number, lease = 0): Promise<WriteResult> {
    if (this.closing) return Promise.reject(closedError());
    const cur = this.index.current(key);
    if (!cur || (expectedModRevision > 0 && cur.revision !== expectedModRevision)) return this.refuse(cur);
    const rec = this.index.put(key, value, lease);
    return this.settle(rec, () => ({ ok: true, revision: rec.revision, kv: kvOf(rec) }));
  }

  /** ok: kv is the key as it was just before the deletion (its last modRevision); revision is the deletion's. */
  delete(key: string, expectedModRevision = 0): Promise<WriteResult> {
    if (this.closing) return Promise.reject(closedError());
    const cur = this.index.current(key);
    if (!cur || (expectedModRevision > 0 && cur.revision !== expectedModRevision)) return this.refuse(cur);
    const rec = this.index.del(cur);
    return this.settle(rec, () => ({ ok: true, revision: rec.revision, kv: kvOf(cur) }));
  }

  watch(prefix: string, startRevision: number, cb: WatchCallbacks): Disposable {
    if (this.closing) {
      queueMicrotask(() => cb.onError?.(closedError()));
      return { dispose() {} };
    }
    return this.hub.add(prefix, startRevision, cb);
  }

  /**
   * etcd semantics: rejects Compacted when revision <= the compacted revision, FutureRevision when it is
   * above currentRevision(). Watchers are brought up to date first, so none loses events to compaction.
   * Memory is compacted at once; the log deletion follows in its own transaction (Internal if it fails,
   * in which case the next open simply sees the longer history).
   */
  compact(revision: number): Promise<void> {
    try {
      this.checkOpen();
      if (revision <= this.index.compacted) throw compactedError(this.index.compacted);
      if (revision > this.committed) throw futureError();
    } catch (err) {
      return Promise.reject(err);
    }
    this.hub.pumpAll();
    const dropped = this.index.compact(revision);
    this.stats.compactions++;
    const done = this.compacting.then(() =>
      this.backend.compact(revision, dropped).catch((err: unknown) => {
        throw new StoreError('Internal', `compaction failed: ${message(err)}`);
      }),
    );
    this.compacting = done.catch(() => undefined);
    return done;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.autoCompaction?.dispose();
      await this.committing;
      await this.compacting;
      this.hub.endAll(closedError());
      await this.backend.close();
    })();
    return this.closing;
  }

  /** Records held in memory (retained history); for tests. */
  get retainedRecords(): number {
    return this.index.size;
  }

  private readRevision(revision: number | undefined): number {
    this.checkOpen();
    if (!revision) return this.committed;
    if (revision < this.index.compacted) throw compactedError(this.index.compacted);
    if (revision > this.committed) throw futureError();
    return revision;
  }

  private checkOpen(): void {
    if (this.closing) throw closedError();
  }

  private refuse(cur: MemRecord | undefined): Promise<WriteResult> {
    const revision = this.index.latest;
    return this.settle(undefined, () => (cur ? { ok: false, revision, kv: kvOf(cur) } : { ok: false, revision }));
  }

  /**
   * Resolves with result() once rec (and every pending write before it) is durable. Without rec (a refusal)
   * it waits only when it observed pending writes. Rejects Internal if that commit fails.
   */
  private settle<T>(rec: MemRecord | undefined, result: () => T): Promise<T> {
    if (!rec && this.index.latest === this.committed) {
      try {
        return Promise.resolve(result());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return new Promise<T>((resolve, reject) => {
      const batch = (this.queued ??= { records: [], waiters: [] });
      if (rec) batch.records.push(rec);
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
      this.committing ??= this.commitLoop();
    });
  }

  private async commitLoop(): Promise<void> {
    await Promise.resolve(); // let the rest of this tick's writes join the batch
    for (;;) {
      const batch = this.queued;
      if (!batch) {
        this.committing = undefined;
        return;
      }
      this.queued = undefined;
      const records = batch.records;
      if (records.length > 0) {
        const last = records[records.length - 1].revision;
        try {
          this.stats.transactions++;
          await this.backend.commit(records.map(toLogRecord), last);
        } catch (err) {
          this.abort(batch, err);
          continue;
        }
        this.committed = last;
        this.stats.writes += records.length;
      }
      for (const w of batch.waiters) w.run();
      this.hub.pumpAll();
    }
  }

  private abort(batch: Batch, cause: unknown): void {
    this.index.rollback(this.committed);
    const err = new StoreError('Internal', `commit failed: ${message(cause)}`);
    const behind = this.queued;
    this.queued = undefined;
    for (const w of batch.waiters) w.fail(err);
    for (const w of behind?.waiters ?? []) w.fail(err);
  }
}

function compactedError(compacted: number): StoreError {
  return new StoreError('Compacted', 'mvcc: required revision has been compacted', compacted);
}

function futureError(): StoreError {
  return new StoreError('FutureRevision', 'mvcc: required revision is a future revision');
}

function closedError(): StoreError {
  return new StoreError('Closed', 'store is closed');
}

function message(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
