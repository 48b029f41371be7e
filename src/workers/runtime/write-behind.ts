/** The node disk's object stores that take batched writes. */
export type BatchStore = 'logs' | 'state';

/**
 * What a batch needs of a readwrite transaction over the stores it touches. Requests are fire-and-forget (a
 * failed request aborts the transaction); `done` resolves on commit and rejects on abort. node-disk.ts gives
 * the plain IDBTransaction (no promise per request: at a few hundred writes per burst those cost more than
 * the writes).
 */
export interface BatchTransaction {
  objectStore(name: BatchStore): { put(value: unknown, key?: string): unknown; add(value: unknown): unknown; delete(key: string): unknown };
  readonly done: Promise<void>;
  abort(): void;
}

type Waiter = { resolve: () => void; reject: (err: unknown) => void };
type StateWrite = { value: unknown; remove: boolean; waiters: Waiter[] };
interface Batch {
  state: Map<string, StateWrite>;
  logs: Array<{ record: unknown; waiter: Waiter }>;
}

/**
 * Group commit of the node disk's writes: state puts/deletes and log appends made while an earlier batch's
 * transaction is in flight (or in the same microtask turn when none is) share one readwrite transaction, so a
 * burst of pods costs a few transactions rather than one per record.
 *
 * Contracts:
 * - Each write's promise resolves when the transaction holding it commits ("durable when resolved", as one
 *   transaction per write was); when that transaction aborts or cannot be created, every write of the batch
 *   rejects with its error. A put whose value cannot be stored (DataCloneError) rejects that key's writers only.
 * - Batches become transactions in call order, at most one in flight unless flush() forces the queued one out.
 *   IndexedDB runs transactions of overlapping scope in creation order, so a transaction the caller creates after
 *   flush() sees every write made before it (reads see pending writes this way).
 * - Within a batch the last write of a key wins; its earlier writers resolve with it. Log appends keep call order.
 * - Values are serialised when their batch's transaction is created, not at the call: a caller that mutates a
 *   value after putting it must put it again (the later put supersedes; both resolve once it commits).
 */
export class WriteBehind {
  private queued: Batch | undefined;
  private inFlight = new Set<Promise<void>>();
  private scheduled = false;

  constructor(private readonly begin: (stores: BatchStore[]) => BatchTransaction) {}

  put(key: string, value: unknown): Promise<void> {
    return this.stateWrite(key, value, false);
  }

  delete(key: string): Promise<void> {
    return this.stateWrite(key, undefined, true);
  }

  append(record: unknown): Promise<void> {
    return new Promise((resolve, reject) => this.batch().logs.push({ record, waiter: { resolve, reject } }));
  }

  /** Creates the queued batch's transaction now, so that a transaction created after this call runs after it. */
  flush(): void {
    const batch = this.queued;
    if (!batch) return;
    this.queued = undefined;
    const done = this.commit(batch);
    this.inFlight.add(done);
    void done.then(() => {
      this.inFlight.delete(done);
      if (this.inFlight.size === 0) this.flush();
    });
  }

  /** Resolves when every write made so far has committed or failed. */
  async settled(): Promise<void> {
    this.flush();
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private stateWrite(key: string, value: unknown, remove: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const state = this.batch().state;
      const prev = state.get(key);
      const waiters = prev?.waiters ?? [];
      waiters.push({ resolve, reject });
      if (prev) state.delete(key); // re-inserted: the map keeps the order of each key's last write
      state.set(key, { value, remove, waiters });
    });
  }

  private batch(): Batch {
    if (this.queued) return this.queued;
    this.queued = { state: new Map(), logs: [] };
    if (this.inFlight.size === 0 && !this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        if (this.inFlight.size === 0) this.flush();
      });
    }
    return this.queued;
  }

  /** One transaction for the batch; resolves (never rejects) once its waiters are settled. */
  private async commit(batch: Batch): Promise<void> {
    const stores: BatchStore[] = [];
    if (batch.logs.length) stores.push('logs');
    if (batch.state.size) stores.push('state');
    let tx: BatchTransaction;
    try {
      tx = this.begin(stores);
    } catch (err) {
      for (const x of batch.logs) x.waiter.reject(err);
      for (const w of batch.state.values()) for (const x of w.waiters) x.reject(err);
      return;
    }
    const pending: Waiter[] = [];
    if (batch.logs.length) {
      const logs = tx.objectStore('logs');
      for (const { record, waiter } of batch.logs) {
        logs.add(record);
        pending.push(waiter);
      }
    }
    if (batch.state.size) {
      const state = tx.objectStore('state');
      for (const [key, w] of batch.state) {
        try {
          if (w.remove) state.delete(key);
          else state.put(w.value, key);
        } catch (err) {
          for (const x of w.waiters) x.reject(err); // DataCloneError: nothing of this key is written
          continue;
        }
        pending.push(...w.waiters);
      }
    }
    if (pending.length === 0) {
      tx.done.catch(() => undefined);
      tx.abort();
      return;
    }
    try {
      await tx.done;
    } catch (err) {
      const why = err ?? new Error('node disk transaction aborted');
      for (const w of pending) w.reject(why);
      return;
    }
    for (const w of pending) w.resolve();
  }
}
