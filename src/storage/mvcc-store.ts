import type { Disposable } from '../api/disposable';
import {
  StoreError,
  type KeyValue,
  type LeaseStatus,
  type RangeOptions,
  type RangeResult,
  type Store,
  type TxnRequest,
  type TxnResponse,
  type WatchCallbacks,
  type WriteResult,
} from './store';
import { kvOf, toLogRecord, type LogRecord } from './log-record';
import type { MvccIndex } from './mvcc-index';
import type { MvccStoreOptions, StoreBackend, StoreStats } from './store-backend';
export type { Commit, StoreBackend, CompactionOptions, MvccStoreOptions, StoreStats } from './store-backend';
import { WatchHub } from './watch-hub';
import { LeaseTable } from './lease-table';
import { CommitQueue } from './commit-queue';
import { closedError, compactedError, futureError, message } from './store-errors';
import * as steps from './mvcc-writes';
import { encodeSnapshot } from './snapshot-format';

/** Lease expiry is checked this often (cluster ms). */
const LEASE_CHECK_MS = 1000;

/**
 * The Store over an MvccIndex and a StoreBackend.
 * - Writes validate against the newest in-memory state synchronously, take the next revision and join the
 *   queued batch (CommitQueue). A write, and a failed precondition that observed a pending write, settles
 *   only after its batch commits.
 * - Reads and watches see committed revisions only (reads are served at currentRevision()).
 * - A failed transaction rolls memory (index and leases) back to the last committed state and rejects every
 *   write of that batch and of the batch queued behind it with StoreError('Internal').
 */
export class MvccStore implements Store {
  readonly stats: StoreStats;
  private compacting: Promise<void> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private readonly hub: WatchHub;
  private readonly index: MvccIndex;
  private readonly backend: StoreBackend;
  private readonly leases: LeaseTable;
  private readonly queue: CommitQueue;
  private readonly timers: Disposable[] = [];
  private readonly revoking = new Set<number>();
  private readonly state: steps.WriteState;

  constructor(private readonly opts: MvccStoreOptions) {
    this.index = opts.index;
    this.backend = opts.backend;
    this.leases = new LeaseTable(opts.leases, opts.leaseSeq);
    this.state = { index: this.index, leases: this.leases, now: () => this.now() };
    this.hub = new WatchHub({
      committedRevision: () => this.queue.committed,
      compactedRevision: () => this.index.compacted,
      eventsBetween: (from, to) => this.index.eventsBetween(from, to),
    });
    this.queue = new CommitQueue({
      index: this.index,
      backend: opts.backend,
      leaseSeq: () => this.leases.seq,
      afterCommit: () => this.hub.pumpAll(),
    });
    this.stats = this.queue.stats;
    const clock = opts.clock;
    const compaction = opts.compaction;
    if (compaction && !clock) throw new Error('automatic compaction needs a clock');
    if (clock && compaction) {
      let previous = this.queue.committed;
      this.timers.push(
        clock.every(compaction.intervalMs ?? 5 * 60_000, () => {
          const keep = compaction.keepRevisions;
          const target = keep === undefined ? previous : this.queue.committed - keep;
          previous = this.queue.committed;
          if (target > Math.max(this.index.compacted, 1) && !this.closing) this.compact(target).catch(() => undefined);
        }),
      );
    }
    if (clock) {
      this.timers.push(clock.every(LEASE_CHECK_MS, () => this.expireLeases(clock.now())));
      this.timers.push(this.hub.startProgress(clock, opts.progressIntervalMs ?? 10_000));
      queueMicrotask(() => this.expireLeases(clock.now())); // leases that expired while the store was closed
    }
  }

  currentRevision(): number {
    return this.queue.committed;
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
    const { recs, more, count } = this.index.range(prefix, rev, opts.countOnly ? 0 : (opts.limit ?? 0), opts.after);
    if (opts.countOnly) return { revision: rev, kvs: [], more: false, count };
    const kvs = recs.map((r) => (opts.keysOnly ? { ...kvOf(r), value: '' } : kvOf(r)));
    return { revision: rev, kvs, more, count };
  }

  create(key: string, value: string, lease = 0): Promise<{ revision: number; kv: KeyValue }> {
    return this.write(() => steps.createStep(this.state, key, value, lease));
  }

  update(key: string, value: string, expectedModRevision: number, lease = 0): Promise<WriteResult> {
    return this.write(() => steps.updateStep(this.state, key, value, expectedModRevision, lease));
  }

  /** ok: kv is the key as it was just before the deletion (its last modRevision); revision is the deletion's. */
  delete(key: string, expectedModRevision = 0): Promise<WriteResult> {
    return this.write(() => steps.deleteStep(this.state, key, expectedModRevision));
  }

  txn(req: TxnRequest): Promise<TxnResponse> {
    return this.write(() => steps.txnStep(this.state, req));
  }

  leaseGrant(ttlSeconds: number): Promise<number> {
    return this.write(() => steps.leaseGrantStep(this.state, ttlSeconds));
  }

  leaseKeepAlive(id: number): Promise<number> {
    return this.write(() => steps.leaseKeepAliveStep(this.state, id));
  }

  /** Deletes the lease and its keys at one revision (none when it holds no keys). */
  leaseRevoke(id: number): Promise<{ revision: number }> {
    return this.write(() => steps.leaseRevokeStep(this.state, id));
  }

  async leaseTimeToLive(id: number): Promise<LeaseStatus> {
    this.checkOpen();
    const l = this.leases.get(id);
    if (!l) return { id, ttl: -1, grantedTtl: 0, keys: [] };
    const ttl = Math.max(0, Math.ceil((l.deadline - this.now()) / 1000));
    return { id, ttl, grantedTtl: l.ttl, keys: this.index.keysWithLease(id) };
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
      if (revision > this.queue.committed) throw futureError();
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

  /**
   * The committed state (every retained record, the compacted revision, leases) in the snapshot format
   * (snapshot-format.ts), taken after pending writes have committed.
   */
  async snapshot(): Promise<Uint8Array> {
    this.checkOpen();
    await this.queue.idle();
    return encodeSnapshot({
      revision: this.queue.committed,
      compacted: this.index.compacted,
      leaseSeq: this.leases.seq,
      leases: this.leases.all(),
      records: this.committedRecords(),
    });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const t of this.timers) t.dispose();
      await this.queue.idle();
      await this.compacting;
      this.hub.endAll(closedError());
      await this.backend.close();
    })();
    return this.closing;
  }

  /** Every committed record held in memory (retained history and compacted bases), in (revision, sub) order. */
  committedRecords(): LogRecord[] {
    const committed = this.queue.committed;
    return this.index.allRecords().filter((r) => r.revision <= committed).map(toLogRecord);
  }

  /** Records held in memory (retained history); for tests. */
  get retainedRecords(): number {
    return this.index.size;
  }

  private write<T>(apply: () => steps.WriteStep<T>): Promise<T> {
    if (this.closing) return Promise.reject(closedError());
    try {
      const { change, result } = apply();
      return this.queue.settle(change, result);
    } catch (err) {
      return this.queue.settle(undefined, () => {
        throw err;
      });
    }
  }

  private now(): number {
    return this.opts.clock?.now() ?? 0;
  }

  private expireLeases(now: number): void {
    if (this.closing) return;
    for (const l of this.leases.expired(now)) {
      if (this.revoking.has(l.id)) continue;
      this.revoking.add(l.id);
      this.leaseRevoke(l.id)
        .catch(() => undefined)
        .finally(() => this.revoking.delete(l.id));
    }
  }

  private readRevision(revision: number | undefined): number {
    this.checkOpen();
    if (!revision) return this.queue.committed;
    if (revision < this.index.compacted) throw compactedError(this.index.compacted);
    if (revision > this.queue.committed) throw futureError();
    return revision;
  }

  private checkOpen(): void {
    if (this.closing) throw closedError();
  }
}
