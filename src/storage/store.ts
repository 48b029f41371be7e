import type { Disposable } from '../api/disposable';

/**
 * The cluster's etcd, kine-shaped: one method per verb, every answer carrying a revision.
 *
 * - One global revision counts every successful write (create, update, delete). It starts at 1 for an
 *   empty store (etcd's initial revision) and the first write makes it 2.
 * - Each key has createRevision, modRevision and version (1 on create, +1 each update; a deleted key
 *   starts again at version 1 when re-created).
 * - Values are opaque strings (the apiserver stores JSON).
 * - Reads (get, list) are served from memory and never wait on IndexedDB.
 * - A write resolves only after its IndexedDB transaction has completed (group-committed with others).
 * - Errors are StoreError with a code; nothing is half-applied.
 */
export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  /** Lease id, 0 when none. */
  lease: number;
}

export interface StoreEvent {
  type: 'PUT' | 'DELETE';
  /** For PUT the new value. For DELETE the key with modRevision = the deletion's revision and the last value. */
  kv: KeyValue;
  /** The value before this event (absent for a create). */
  prevKv?: KeyValue;
}

export interface RangeOptions {
  /** Read as of this revision (0/undefined = current). Fails with Compacted below the compacted revision, FutureRevision above current. */
  revision?: number;
  /** At most this many keys (0/undefined = no limit). */
  limit?: number;
  /** Start strictly after this key (the continuation of a previous page). */
  after?: string;
}

export interface RangeResult {
  /** The revision the read was served at (pass it back with `after` for the next page). */
  revision: number;
  kvs: KeyValue[];
  /** More keys match beyond this page. */
  more: boolean;
  /** Number of keys matching the prefix at that revision (ignoring limit/after). */
  count: number;
}

export interface WriteResult {
  /** True when the precondition held and the write happened. */
  ok: boolean;
  /** The store revision after this call (the write's revision when ok). */
  revision: number;
  /** ok: the written/deleted kv. !ok: the current kv (undefined if the key does not exist). */
  kv?: KeyValue;
}

export type StoreErrorCode = 'KeyExists' | 'Compacted' | 'FutureRevision' | 'Closed' | 'Internal';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** For Compacted: the compacted revision. */
    readonly compactRevision?: number,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface WatchCallbacks {
  /** Batches in revision order; every event with modRevision >= startRevision under the prefix exactly once. */
  onEvents(events: StoreEvent[]): void;
  /** The watch ended (e.g. Compacted when startRevision is no longer retained). No more onEvents after this. */
  onError?(err: StoreError): void;
}

export interface Store {
  /** The current global revision. */
  currentRevision(): number;
  get(key: string, revision?: number): Promise<{ revision: number; kv?: KeyValue }>;
  /** All keys starting with prefix, in key order. */
  list(prefix: string, opts?: RangeOptions): Promise<RangeResult>;
  /** Creates key if absent; rejects StoreError('KeyExists') otherwise. Resolves with the new revision. */
  create(key: string, value: string, lease?: number): Promise<{ revision: number; kv: KeyValue }>;
  /** Writes key if its modRevision equals expectedModRevision (0 = key must exist, any revision). */
  update(key: string, value: string, expectedModRevision: number, lease?: number): Promise<WriteResult>;
  /** Deletes key if it exists and (when expectedModRevision > 0) its modRevision matches. When ok, kv is the key as it was before the deletion (its last modRevision) and revision is the deletion's. */
  delete(key: string, expectedModRevision?: number): Promise<WriteResult>;
  /** Watches prefix from startRevision (etcd semantics: events with modRevision >= startRevision; 0 = from the next write). Delivery starts asynchronously, never inside watch(). */
  watch(prefix: string, startRevision: number, cb: WatchCallbacks): Disposable;
  /** Drops history below revision (etcd: rejects Compacted if revision <= compactedRevision(), FutureRevision above currentRevision()). */
  compact(revision: number): Promise<void>;
  compactedRevision(): number;
  /** Flushes pending writes and closes the database; later calls reject StoreError('Closed'). */
  close(): Promise<void>;
}
