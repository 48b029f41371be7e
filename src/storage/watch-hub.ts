import type { Clock } from '../api/clock';
import { toDisposable, type Disposable } from '../api/disposable';
import { StoreError, type StoreEvent, type WatchCallbacks } from './store';
import { eventOf, type MemRecord } from './log-record';

/** What the hub reads: committed records only ever reach a watcher. */
export interface WatchSource {
  committedRevision(): number;
  compactedRevision(): number;
  eventsBetween(from: number, to: number): MemRecord[];
}

/** One pumpAll's reads: the log from a start revision up to the committed one, and each record's event. */
interface SharedRead {
  ranges: Map<number, MemRecord[]>;
  events: Map<MemRecord, StoreEvent>;
}

interface Watcher {
  prefix: string;
  /** The next revision this watcher has not yet been offered. */
  next: number;
  cb: WatchCallbacks;
  ended: boolean;
  /** Had events since the last progress tick. */
  active: boolean;
}

/**
 * Watch fan-out. Each watcher keeps a cursor into the retained event log, so catch-up from history and
 * live delivery are the same code path: every committed event with modRevision >= start under the prefix
 * is delivered exactly once, in revision order, in batches. Nothing is buffered per watcher, so a slow
 * consumer cannot lose events; the store pumps every watcher before it compacts, so only a start below
 * the compacted revision fails (onError Compacted, asynchronously, after which nothing more arrives).
 * Delivery never happens inside watch() itself: the first batch comes in a microtask.
 */
export class WatchHub {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly source: WatchSource) {}

  /** startRevision 0 means "from the next write" (etcd's default). */
  add(prefix: string, startRevision: number, cb: WatchCallbacks): Disposable {
    const next = startRevision > 0 ? startRevision : this.source.committedRevision() + 1;
    const w: Watcher = { prefix, next, cb, ended: false, active: false };
    this.watchers.add(w);
    queueMicrotask(() => this.pump(w));
    return toDisposable(() => {
      w.ended = true;
      this.watchers.delete(w);
    });
  }

  /**
   * Delivers every committed event each watcher has not seen yet. The watchers caught up to the same
   * revision share one read of the log and one StoreEvent per record (consumers must not mutate events).
   */
  pumpAll(): void {
    const shared: SharedRead = { ranges: new Map(), events: new Map() };
    for (const w of [...this.watchers]) this.pump(w, shared);
  }

  /**
   * Every intervalMs of cluster time, each watcher with onProgress that is caught up (has been offered every
   * committed revision) and received no events since the previous tick gets onProgress(committed revision).
   */
  startProgress(clock: Clock, intervalMs: number): Disposable {
    return clock.every(intervalMs, () => {
      const committed = this.source.committedRevision();
      for (const w of [...this.watchers]) {
        const idle = !w.active;
        w.active = false;
        if (w.ended || !w.cb.onProgress || !idle || w.next <= committed) continue;
        try {
          w.cb.onProgress(committed);
        } catch (err) {
          console.error('store watch onProgress threw', err);
        }
      }
    });
  }

  /** Ends every watcher with err (store closed). */
  endAll(err: StoreError): void {
    for (const w of [...this.watchers]) this.end(w, err);
  }

  get size(): number {
    return this.watchers.size;
  }

  private pump(w: Watcher, shared?: SharedRead): void {
    if (w.ended) return;
    const compacted = this.source.compactedRevision();
    if (w.next < compacted) {
      this.end(w, new StoreError('Compacted', 'mvcc: required revision has been compacted', compacted));
      return;
    }
    const committed = this.source.committedRevision();
    if (w.next > committed) return;
    let recs = shared?.ranges.get(w.next);
    if (!recs) {
      recs = this.source.eventsBetween(w.next, committed);
      shared?.ranges.set(w.next, recs);
    }
    const batch: StoreEvent[] = [];
    for (const rec of recs) {
      if (!rec.key.startsWith(w.prefix)) continue;
      let ev = shared?.events.get(rec);
      if (!ev) {
        ev = eventOf(rec);
        shared?.events.set(rec, ev);
      }
      batch.push(ev);
    }
    w.next = committed + 1;
    if (batch.length === 0) return;
    w.active = true;
    try {
      w.cb.onEvents(batch);
    } catch (err) {
      console.error('store watch callback threw', err);
    }
  }

  private end(w: Watcher, err: StoreError): void {
    if (w.ended) return;
    w.ended = true;
    this.watchers.delete(w);
    try {
      w.cb.onError?.(err);
    } catch (e) {
      console.error('store watch onError threw', e);
    }
  }
}
