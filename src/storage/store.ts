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
  /** Values come back as '' (etcd keys-only). */
  keysOnly?: boolean;
  /** kvs comes back empty; only count (and more = false) (etcd count-only). */
  countOnly?: boolean;
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

/**
 * - InvalidArgument: a malformed txn (etcd's "duplicate key given in txn request").
 * - LeaseNotFound: a put with, or a keepAlive/revoke of, a lease that does not exist (or expired).
 * - Unsupported: a database or snapshot written by a newer store format.
 * - NoSpace: the backing storage is full (IndexedDB QuotaExceededError); nothing of the failed write is kept.
 */
export type StoreErrorCode = 'KeyExists' | 'Compacted' | 'FutureRevision' | 'Closed' | 'Internal' | 'InvalidArgument' | 'LeaseNotFound' | 'Unsupported' | 'NoSpace';

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
  /**
   * Batches in revision order; every event with modRevision >= startRevision under the prefix exactly once.
   * The events (and their kvs) may be the same objects other watchers of the store get: read-only.
   */
  onEvents(events: StoreEvent[]): void;
  /** The watch ended (e.g. Compacted when startRevision is no longer retained). No more onEvents after this. */
  onError?(err: StoreError): void;
  /**
   * Progress notification (etcd's): the watcher has seen every matching event up to revision and had no
   * events for one progress interval of cluster time. Sent only while the watcher is caught up.
   */
  onProgress?(revision: number): void;
}

/** etcd's Compare. A missing key has version, createRevision, modRevision and lease 0; a value compare on it is false. */
export interface Compare {
  key: string;
  target: 'version' | 'createRevision' | 'modRevision' | 'value' | 'lease';
  result: '=' | '!=' | '<' | '>';
  value: number | string;
}

/** One txn operation. Ops run in order and later ops see earlier ones' writes (etcd). */
export type TxnOp =
  | { type: 'put'; key: string; value: string; lease?: number }
  | { type: 'delete'; key: string; prefix?: boolean }
  | { type: 'range'; key: string; prefix?: boolean; limit?: number; keysOnly?: boolean; countOnly?: boolean };

export type TxnOpResult =
  | { type: 'put'; kv: KeyValue; prevKv?: KeyValue }
  | { type: 'delete'; deleted: number; prevKvs: KeyValue[] }
  | { type: 'range'; kvs: KeyValue[]; more: boolean; count: number };

export interface TxnRequest {
  compare?: Compare[];
  success?: TxnOp[];
  failure?: TxnOp[];
}

export interface TxnResponse {
  /** Every compare held (the success branch ran). */
  succeeded: boolean;
  /** The txn's revision when it wrote; otherwise the revision its reads saw. */
  revision: number;
  results: TxnOpResult[];
}

export interface LeaseStatus {
  id: number;
  /** Seconds left (rounded up), -1 when the lease does not exist. */
  ttl: number;
  grantedTtl: number;
  keys: string[];
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
  /**
   * etcd Txn: if every compare holds, runs success, else failure, atomically. All writes of the txn take one
   * new revision (none when it writes nothing); ops with a lease reject LeaseNotFound; a key put or deleted
   * twice in one branch rejects InvalidArgument. Resolves once durable, like every write.
   */
  txn(req: TxnRequest): Promise<TxnResponse>;
  /** Grants a lease of ttlSeconds of cluster time; resolves with its id once durable. */
  leaseGrant(ttlSeconds: number): Promise<number>;
  /** Restarts the lease's full TTL; rejects LeaseNotFound. Resolves with the TTL. */
  leaseKeepAlive(id: number): Promise<number>;
  /** Deletes the lease and, in one revision, every key attached to it; rejects LeaseNotFound. */
  leaseRevoke(id: number): Promise<{ revision: number }>;
  leaseTimeToLive(id: number): Promise<LeaseStatus>;
  /** Flushes pending writes and closes the database; later calls reject StoreError('Closed'). */
  close(): Promise<void>;
}
