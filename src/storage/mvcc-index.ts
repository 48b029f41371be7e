import { StoreError } from './store';
import type { LogRecord, MemRecord } from './log-record';

/**
 * The in-memory MVCC state rebuilt from the log: per-key revision history, the keys in sorted order and
 * the contiguous run of records (events) from max(compacted, 2) to `latest`. It includes records not yet
 * durable; callers read at a revision they know is committed. Purely synchronous.
 *
 * Retention after compact(C): every record >= C, plus for each key the newest record < C when it is a PUT
 * (the key's value as of C). Keys compare as JS strings (UTF-16 code units; byte order for ASCII keys).
 */
export class MvccIndex {
  private readonly keys: string[] = [];
  private readonly history = new Map<string, MemRecord[]>();
  private events: MemRecord[] = [];
  private firstEventRev = 2;
  private compactedRev = 0;

  /**
   * Rebuilds from persisted records (any order) and the persisted compacted revision.
   * Throws StoreError('Internal') if the records from the compacted revision on are not contiguous.
   */
  static load(records: readonly LogRecord[], compacted: number): MvccIndex {
    const index = new MvccIndex();
    index.compactedRev = compacted;
    index.firstEventRev = Math.max(compacted, 2);
    const sorted = [...records].sort((a, b) => a.revision - b.revision);
    for (const r of sorted) {
      const rec: MemRecord = { ...r };
      let hist = index.history.get(r.key);
      if (!hist) index.history.set(r.key, (hist = []));
      const last = hist[hist.length - 1];
      if (last && last.type === 'PUT' && r.prevRevision === last.revision) rec.prev = last;
      hist.push(rec);
      if (r.revision < index.firstEventRev) continue;
      if (r.revision !== index.latest + 1) {
        throw new StoreError('Internal', `log is not contiguous: expected revision ${index.latest + 1}, found ${r.revision}`);
      }
      index.events.push(rec);
    }
    index.keys.push(...index.history.keys());
    index.keys.sort(compareKeys);
    return index;
  }

  /** The newest revision in memory (committed or not); 1 for an empty store. */
  get latest(): number {
    return this.firstEventRev + this.events.length - 1;
  }

  get compacted(): number {
    return this.compactedRev;
  }

  /** The live PUT for key at the latest revision, if any. */
  current(key: string): MemRecord | undefined {
    const hist = this.history.get(key);
    const last = hist?.[hist.length - 1];
    return last?.type === 'PUT' ? last : undefined;
  }

  /** The live PUT for key as of revision rev (rev must be >= compacted). */
  at(key: string, rev: number): MemRecord | undefined {
    const hist = this.history.get(key);
    if (!hist) return undefined;
    for (let i = hist.length - 1; i >= 0; i--) {
      if (hist[i].revision <= rev) return hist[i].type === 'PUT' ? hist[i] : undefined;
    }
    return undefined;
  }

  /** Appends a PUT at latest+1 (create when the key has no live value). */
  put(key: string, value: string, lease: number): MemRecord {
    const prev = this.current(key);
    const revision = this.latest + 1;
    const rec: MemRecord = {
      revision,
      key,
      value,
      createRevision: prev ? prev.createRevision : revision,
      version: prev ? prev.version + 1 : 1,
      lease,
      type: 'PUT',
      prevRevision: prev ? prev.revision : 0,
      prev,
    };
    this.append(rec);
    return rec;
  }

  /** Appends a DELETE of the live key at latest+1. */
  del(prev: MemRecord): MemRecord {
    const rec: MemRecord = { ...prev, revision: this.latest + 1, type: 'DELETE', prevRevision: prev.revision, prev };
    this.append(rec);
    return rec;
  }

  /** Forgets every record above rev (uncommitted writes whose transaction failed). */
  rollback(rev: number): void {
    while (this.latest > rev) {
      const rec = this.events.pop() as MemRecord;
      const hist = this.history.get(rec.key) as MemRecord[];
      hist.pop();
      if (hist.length === 0) this.removeKey(rec.key);
    }
  }

  /** Keys under prefix live at rev, in key order, skipping keys <= after; count ignores limit and after. */
  range(prefix: string, rev: number, limit: number, after: string | undefined): { recs: MemRecord[]; more: boolean; count: number } {
    const recs: MemRecord[] = [];
    let more = false;
    let count = 0;
    for (let i = lowerBound(this.keys, prefix); i < this.keys.length; i++) {
      const key = this.keys[i];
      if (!key.startsWith(prefix)) break;
      const rec = this.at(key, rev);
      if (!rec) continue;
      count++;
      if (after !== undefined && key <= after) continue;
      if (limit > 0 && recs.length >= limit) more = true;
      else recs.push(rec);
    }
    return { recs, more, count };
  }

  /** Records with from <= revision <= to that are still retained as events (from is clamped up). */
  eventsBetween(from: number, to: number): MemRecord[] {
    const start = Math.max(from, this.firstEventRev) - this.firstEventRev;
    const end = Math.min(to, this.latest) - this.firstEventRev + 1;
    return start < end ? this.events.slice(start, end) : [];
  }

  /** Drops history below rev (caller checks compacted < rev <= committed). Returns the dropped revisions. */
  compact(rev: number): number[] {
    const dropped: number[] = [];
    for (const [key, hist] of this.history) {
      let below = 0;
      while (below < hist.length && hist[below].revision < rev) below++;
      if (below === 0) continue;
      const base = hist[below - 1];
      const keepBase = base.type === 'PUT';
      const cut = keepBase ? below - 1 : below;
      for (let i = 0; i < cut; i++) dropped.push(hist[i].revision);
      if (keepBase) base.prev = undefined;
      hist.splice(0, cut);
      if (hist.length === 0) this.removeKey(key);
    }
    const first = Math.max(rev, 2);
    this.events = this.events.slice(Math.max(0, first - this.firstEventRev));
    this.firstEventRev = first;
    this.compactedRev = rev;
    return dropped.sort((a, b) => a - b);
  }

  /** Number of records held (for tests and stats). */
  get size(): number {
    let n = 0;
    for (const hist of this.history.values()) n += hist.length;
    return n;
  }

  private append(rec: MemRecord): void {
    let hist = this.history.get(rec.key);
    if (!hist) {
      this.history.set(rec.key, (hist = []));
      this.keys.splice(lowerBound(this.keys, rec.key), 0, rec.key);
    }
    hist.push(rec);
    this.events.push(rec);
  }

  private removeKey(key: string): void {
    this.history.delete(key);
    const i = lowerBound(this.keys, key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** First index whose key is >= k. */
function lowerBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
