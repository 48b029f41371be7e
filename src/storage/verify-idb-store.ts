import { openDB } from 'idb';
import type { LogRecord } from './log-record';
import { MvccIndex } from './mvcc-index';
import type { MvccStore } from './mvcc-store';

export interface StoreVerification {
  /** The store's committed revision. */
  revision: number;
  /** The persisted meta revision. */
  persistedRevision: number | undefined;
  /** Records in the persisted log. */
  records: number;
  /** The persisted log loads: every revision from the compacted one to the newest is present, subs 0..n-1. */
  contiguous: boolean;
  /** The in-memory index holds exactly the committed records of the log (same fields, same order). */
  indexMatchesLog: boolean;
  /** Why a check failed ('' when all hold). */
  problem: string;
}

/**
 * Debug check of a running IndexedDB store against its database (a second, read-only connection): the log
 * loads (contiguous, matching meta) and, up to the newest revision both have, the index equals the log.
 */
export async function verifyIdbStore(store: MvccStore, name: string): Promise<StoreVerification> {
  const db = await openDB(name);
  let log: LogRecord[];
  let persistedRevision: number | undefined;
  let compacted: number | undefined;
  try {
    const tx = db.transaction(['log', 'meta'], 'readonly');
    [log, persistedRevision, compacted] = (await Promise.all([
      tx.objectStore('log').getAll().then((chunks: Array<{ records: LogRecord[] }>) => chunks.flatMap((c) => c.records)),
      tx.objectStore('meta').get('revision'),
      tx.objectStore('meta').get('compacted'),
    ])) as [LogRecord[], number | undefined, number | undefined];
    await tx.done;
  } finally {
    db.close();
  }
  let problem = '';
  let contiguous = true;
  try {
    const loaded = MvccIndex.load(log, compacted ?? 0);
    if (loaded.latest !== (persistedRevision ?? 1)) throw new Error(`log ends at ${loaded.latest}, meta says ${String(persistedRevision)}`);
  } catch (err) {
    contiguous = false;
    problem = String(err);
  }
  // A batch may be durable in the log but not yet acknowledged by the store (or the reverse while we read):
  // compare the common prefix.
  const upTo = Math.min(store.currentRevision(), log.length ? log[log.length - 1].revision : 1);
  const mem = store.committedRecords().filter((r) => r.revision <= upTo);
  log = log.filter((r) => r.revision <= upTo);
  const canon = (r: LogRecord) => JSON.stringify([r.revision, r.sub, r.key, r.value, r.createRevision, r.version, r.lease, r.type, r.prevRevision]);
  const indexMatchesLog = mem.length === log.length && mem.every((r, i) => canon(r) === canon(log[i]));
  if (!indexMatchesLog && !problem) problem = `index holds ${mem.length} records, log ${log.length}`;
  return { revision: store.currentRevision(), persistedRevision, records: log.length, contiguous, indexMatchesLog, problem };
}
