import type { KeyValue, StoreEvent } from './store';

/**
 * One entry of the MVCC log, as persisted (inside a LogChunk of the IndexedDB `log` store).
 * Every revision >= 2 is one write (a single create/update/delete, or a txn): one or more records with
 * sub = 0, 1, 2, … in the order the txn applied them; each is a PUT (create or update) or a DELETE of one
 * key, and no key appears twice in one revision.
 * - PUT: value/createRevision/version/lease are the new key state; prevRevision is the revision of the
 *   PUT it replaced (0 for a create).
 * - DELETE: value/createRevision/version/lease are copied from the deleted PUT, whose revision is prevRevision.
 */
export interface LogRecord {
  revision: number;
  /** Position within the revision's write (0 for single-key writes). Absent in format-1 logs (= 0). */
  sub: number;
  key: string;
  value: string;
  createRevision: number;
  version: number;
  lease: number;
  type: 'PUT' | 'DELETE';
  prevRevision: number;
}

/** A log record held in memory; `prev` is the PUT it replaced or deleted (undefined once compacted away). */
export interface MemRecord extends LogRecord {
  prev?: MemRecord;
}

/** The plain persisted shape (drops the in-memory `prev` link so structured clone never follows a chain). */
export function toLogRecord(r: MemRecord): LogRecord {
  return {
    revision: r.revision,
    sub: r.sub,
    key: r.key,
    value: r.value,
    createRevision: r.createRevision,
    version: r.version,
    lease: r.lease,
    type: r.type,
    prevRevision: r.prevRevision,
  };
}

/** The key as this record leaves it; for a DELETE: the last value, with modRevision = the deletion's revision. */
export function kvOf(r: LogRecord): KeyValue {
  return {
    key: r.key,
    value: r.value,
    createRevision: r.createRevision,
    modRevision: r.revision,
    version: r.version,
    lease: r.lease,
  };
}

export function eventOf(r: MemRecord): StoreEvent {
  const ev: StoreEvent = { type: r.type, kv: kvOf(r) };
  if (r.prev) ev.prevKv = kvOf(r.prev);
  return ev;
}
