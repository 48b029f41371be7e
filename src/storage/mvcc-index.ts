import { StoreError } from './store';
import type { LogRecord, MemRecord } from './log-record';

/**
 * The in-memory MVCC state rebuilt from the log: per-key revision history, the keys in sorted order and
 * the run of records (events) from max(compacted, 2) to `latest`, in (revision, sub) order, every revision
 * present (one write, possibly of several keys, per revision). It includes records not yet
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
  private latestRev = 1;
  private compactedRev = 0;

  /**
   * Rebuilds from persisted records (any order) and the persisted compacted revision.
   * Throws StoreError('Internal') if a record is malformed or the records from the compacted revision on
   * are not contiguous.
   */
  static load(records: readonly LogRecord[], compacted: number): MvccIndex {
    for (const r of records) checkRecord(r);
    const index = new MvccIndex();
    index.compactedRev = compacted;
    index.firstEventRev = Math.max(compacted, 2);
    index.latestRev = index.firstEventRev - 1;
    const sorted = [...records].sort((a, b) => a.revision - b.revision || (a.sub ?? 0) - (b.sub ?? 0));
    for (const r of sorted) {
      const rec: MemRecord = { ...r, sub: r.sub ?? 0 };
      let hist = index.history.get(r.key);
      if (!hist) index.history.set(r.key, (hist = []));
      const last = hist[hist.length - 1];
      if (last && last.type === 'PUT' && r.prevRevision === last.revision) rec.prev = last;
      hist.push(rec);
      if (r.revision < index.firstEventRev) continue;
      const tail = index.events[index.events.length - 1];
      const sameWrite = tail !== undefined && rec.revision === tail.revision && rec.sub === tail.sub + 1;
      if (!sameWrite && (rec.revision !== index.latestRev + 1 || rec.sub !== 0)) {
        throw new StoreError('Internal', `log is not contiguous: expected revision ${index.latestRev + 1}, found ${rec.revision}.${rec.sub}`);
      }
      index.events.push(rec);
      index.latestRev = rec.revision;
    }
    index.keys.push(...index.history.keys());
    index.keys.sort(compareKeys);
    return index;
  }

  /** The newest revision in memory (committed or not); 1 for an empty store. */
  get latest(): number {
    return this.latestRev;
  }

  /** The revision the next write takes; put/del with it share that revision (a txn). */
  nextRevision(): number {
    return this.latestRev + 1;
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

  /**
   * Appends a PUT (create when the key has no live value) at `revision`, which is latest+1 for a new write
   * or latest to add to the write in progress (the caller never writes one key twice in a revision).
   */
  put(key: string, value: string, lease: number, revision = this.latestRev + 1): MemRecord {
    const prev = this.current(key);
    const rec: MemRecord = {
      revision,
      sub: this.subFor(revision),
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

  /** Appends a DELETE of the live key at `revision` (as for put). */
  del(prev: MemRecord, revision = this.latestRev + 1): MemRecord {
    const rec: MemRecord = { ...prev, revision, sub: this.subFor(revision), type: 'DELETE', prevRevision: prev.revision, prev };
    this.append(rec);
    return rec;
  }

  /** Forgets every record above rev (uncommitted writes whose transaction failed). */
  rollback(rev: number): void {
    while (this.events.length > 0 && this.events[this.events.length - 1].revision > rev) {
      const rec = this.events.pop() as MemRecord;
      const hist = this.history.get(rec.key) as MemRecord[];
      hist.pop();
      if (hist.length === 0) this.removeKey(rec.key);
    }
    this.latestRev = Math.min(this.latestRev, rev);
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
    const start = this.eventIndex(from);
    const end = this.eventIndex(to + 1);
    return start < end ? this.events.slice(start, end) : [];
  }

  /** Drops history below rev (caller checks compacted < rev <= committed). Returns the dropped [revision, sub] keys. */
  compact(rev: number): Array<[number, number]> {
    const dropped: Array<[number, number]> = [];
    for (const [key, hist] of this.history) {
      let below = 0;
      while (below < hist.length && hist[below].revision < rev) below++;
      if (below === 0) continue;
      const base = hist[below - 1];
      const keepBase = base.type === 'PUT';
      const cut = keepBase ? below - 1 : below;
      for (let i = 0; i < cut; i++) dropped.push([hist[i].revision, hist[i].sub]);
      if (keepBase) base.prev = undefined;
      hist.splice(0, cut);
      if (hist.length === 0) this.removeKey(key);
    }
    const first = Math.max(rev, 2);
    this.events = this.events.slice(this.eventIndex(first));
    this.firstEventRev = first;
    this.compactedRev = rev;
    return dropped.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }

  /** Number of records held (for tests and stats). */
  get size(): number {
    let n = 0;
    for (const hist of this.history.values()) n += hist.length;
    return n;
  }

  /** Every retained record (history and compacted bases), in (revision, sub) order; for snapshots. */
  allRecords(): MemRecord[] {
    const all: MemRecord[] = [];
    for (const hist of this.history.values()) all.push(...hist);
    return all.sort((a, b) => a.revision - b.revision || a.sub - b.sub);
  }

  /** Keys live at the latest revision that are attached to lease (a scan; leases are revoked rarely). */
  keysWithLease(lease: number): string[] {
    const keys: string[] = [];
    for (const key of this.keys) if (this.current(key)?.lease === lease) keys.push(key);
    return keys;
  }

  /** First index in events whose revision is >= rev. */
  private eventIndex(rev: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid].revision < rev) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private subFor(revision: number): number {
    const last = this.events[this.events.length - 1];
    return last !== undefined && last.revision === revision ? last.sub + 1 : 0;
  }

  private append(rec: MemRecord): void {
    this.latestRev = rec.revision;
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

function checkRecord(r: LogRecord): void {
  const ok =
    r !== null &&
    typeof r === 'object' &&
    Number.isInteger(r.revision) &&
    (r.sub === undefined || Number.isInteger(r.sub)) &&
    typeof r.key === 'string' &&
    typeof r.value === 'string' &&
    Number.isInteger(r.createRevision) &&
    Number.isInteger(r.version) &&
    typeof r.lease === 'number' &&
    (r.type === 'PUT' || r.type === 'DELETE') &&
    Number.isInteger(r.prevRevision);
  if (!ok) throw new StoreError('Internal', `corrupt log record: ${JSON.stringify(r)?.slice(0, 200)}`);
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
