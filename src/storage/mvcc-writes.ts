import { StoreError, type KeyValue, type TxnRequest, type TxnResponse, type WriteResult } from './store';
import { kvOf, type MemRecord } from './log-record';
import type { MvccIndex } from './mvcc-index';
import type { LeaseTable } from './lease-table';
import type { Change } from './commit-queue';
import { applyTxn } from './apply-txn';
import { leaseNotFoundError } from './store-errors';

/**
 * The store's writes as steps over the in-memory state: each validates against the newest state, applies
 * itself to index and leases at once and returns the Change to commit with the result to resolve once it
 * has committed (MvccStore.write). A thrown StoreError applies nothing; a refusal (failed precondition)
 * has no change.
 */
export interface WriteStep<T> {
  change?: Change;
  result: () => T;
}

export interface WriteState {
  index: MvccIndex;
  leases: LeaseTable;
  /** Cluster ms for lease deadlines. */
  now: () => number;
}

export function createStep(s: WriteState, key: string, value: string, lease: number): WriteStep<{ revision: number; kv: KeyValue }> {
  if (s.index.current(key)) throw new StoreError('KeyExists', `key already exists: ${key}`);
  checkLease(s, lease);
  const rec = s.index.put(key, value, lease);
  return { change: { records: [rec] }, result: () => ({ revision: rec.revision, kv: kvOf(rec) }) };
}

export function updateStep(s: WriteState, key: string, value: string, expectedModRevision: number, lease: number): WriteStep<WriteResult> {
  const cur = s.index.current(key);
  if (!cur || (expectedModRevision > 0 && cur.revision !== expectedModRevision)) return refusal(s, cur);
  checkLease(s, lease);
  const rec = s.index.put(key, value, lease);
  return { change: { records: [rec] }, result: () => ({ ok: true, revision: rec.revision, kv: kvOf(rec) }) };
}

/** ok: kv is the key as it was just before the deletion (its last modRevision); revision is the deletion's. */
export function deleteStep(s: WriteState, key: string, expectedModRevision: number): WriteStep<WriteResult> {
  const cur = s.index.current(key);
  if (!cur || (expectedModRevision > 0 && cur.revision !== expectedModRevision)) return refusal(s, cur);
  const rec = s.index.del(cur);
  return { change: { records: [rec] }, result: () => ({ ok: true, revision: rec.revision, kv: kvOf(cur) }) };
}

export function txnStep(s: WriteState, req: TxnRequest): WriteStep<TxnResponse> {
  const applied = applyTxn(s.index, req, (id) => s.leases.has(id));
  const response: TxnResponse = { succeeded: applied.succeeded, revision: s.index.latest, results: applied.results };
  return { change: { records: applied.records }, result: () => response };
}

export function leaseGrantStep(s: WriteState, ttlSeconds: number): WriteStep<number> {
  const rec = s.leases.grant(ttlSeconds, s.now());
  return { change: { leases: [[rec.id, rec]], undo: () => s.leases.remove(rec.id) }, result: () => rec.id };
}

export function leaseKeepAliveStep(s: WriteState, id: number): WriteStep<number> {
  const old = s.leases.get(id);
  if (!old) throw leaseNotFoundError();
  const rec = { ...old, deadline: s.now() + old.ttl * 1000 };
  s.leases.set(rec);
  return { change: { leases: [[id, rec]], undo: () => s.leases.set(old) }, result: () => rec.ttl };
}

/** Deletes the lease and its keys at one revision (none when it holds no keys). */
export function leaseRevokeStep(s: WriteState, id: number): WriteStep<{ revision: number }> {
  const old = s.leases.get(id);
  if (!old) throw leaseNotFoundError();
  const revision = s.index.nextRevision();
  const records = s.index.keysWithLease(id).map((k) => s.index.del(s.index.current(k) as MemRecord, revision));
  s.leases.remove(id);
  const change: Change = { records, leases: [[id, null]], undo: () => s.leases.set(old) };
  return { change, result: () => ({ revision: s.index.latest }) };
}

function refusal(s: WriteState, cur: MemRecord | undefined): WriteStep<WriteResult> {
  const revision = s.index.latest;
  return { result: () => (cur ? { ok: false, revision, kv: kvOf(cur) } : { ok: false, revision }) };
}

function checkLease(s: WriteState, lease: number): void {
  if (lease !== 0 && !s.leases.has(lease)) throw leaseNotFoundError();
}
