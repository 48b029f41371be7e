import { StoreError, type Compare, type KeyValue, type TxnOp, type TxnOpResult, type TxnRequest } from './store';
import { kvOf, type MemRecord } from './log-record';
import type { MvccIndex } from './mvcc-index';

export interface AppliedTxn {
  succeeded: boolean;
  results: TxnOpResult[];
  /** The records written (all at one revision), in op order; empty for a read-only txn. */
  records: MemRecord[];
}

/**
 * Evaluates and applies a txn to the newest in-memory state, synchronously. Validation (duplicate keys,
 * unknown leases) happens before anything is written, so a rejection leaves the index untouched.
 * Reads in the branch see the branch's earlier writes (etcd's TxnWrite.Range).
 */
export function applyTxn(index: MvccIndex, req: TxnRequest, leaseExists: (id: number) => boolean): AppliedTxn {
  const succeeded = (req.compare ?? []).every((c) => holds(c, index.current(c.key)));
  const ops = (succeeded ? req.success : req.failure) ?? [];
  validate(ops, leaseExists);
  const revision = index.nextRevision();
  const records: MemRecord[] = [];
  const results: TxnOpResult[] = [];
  for (const op of ops) {
    if (op.type === 'put') {
      const prev = index.current(op.key);
      const rec = index.put(op.key, op.value, op.lease ?? 0, revision);
      records.push(rec);
      results.push(prev ? { type: 'put', kv: kvOf(rec), prevKv: kvOf(prev) } : { type: 'put', kv: kvOf(rec) });
    } else if (op.type === 'delete') {
      const targets = op.prefix ? index.range(op.key, index.latest, 0, undefined).recs : [index.current(op.key)].filter((r) => r !== undefined);
      const prevKvs: KeyValue[] = [];
      for (const cur of targets) {
        records.push(index.del(cur, revision));
        prevKvs.push(kvOf(cur));
      }
      results.push({ type: 'delete', deleted: prevKvs.length, prevKvs });
    } else {
      results.push(rangeOp(index, op));
    }
  }
  return { succeeded, results, records };
}

function rangeOp(index: MvccIndex, op: Extract<TxnOp, { type: 'range' }>): TxnOpResult {
  let recs: MemRecord[];
  let more = false;
  let count: number;
  if (op.prefix) {
    ({ recs, more, count } = index.range(op.key, index.latest, op.countOnly ? 0 : (op.limit ?? 0), undefined));
  } else {
    const cur = index.current(op.key);
    recs = cur ? [cur] : [];
    count = recs.length;
  }
  if (op.countOnly) return { type: 'range', kvs: [], more: false, count };
  const kvs = recs.map((r) => (op.keysOnly ? { ...kvOf(r), value: '' } : kvOf(r)));
  return { type: 'range', kvs, more, count };
}

function holds(c: Compare, cur: MemRecord | undefined): boolean {
  if (c.target === 'value') {
    if (!cur) return false;
    return compare(cur.value, String(c.value), c.result);
  }
  const actual = !cur ? 0 : c.target === 'version' ? cur.version : c.target === 'createRevision' ? cur.createRevision : c.target === 'modRevision' ? cur.revision : cur.lease;
  return compare(actual, Number(c.value), c.result);
}

function compare<T extends number | string>(a: T, b: T, op: Compare['result']): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
  }
}

/** etcd rejects a branch that writes one key twice (put/put, put/delete, or a put under a deleted prefix). */
function validate(ops: readonly TxnOp[], leaseExists: (id: number) => boolean): void {
  const written = new Set<string>();
  const prefixes: string[] = [];
  const dup = () => new StoreError('InvalidArgument', 'etcdserver: duplicate key given in txn request');
  for (const op of ops) {
    if (op.type === 'range') continue;
    if (op.type === 'put' && op.lease && !leaseExists(op.lease)) throw new StoreError('LeaseNotFound', 'etcdserver: requested lease not found');
    if (op.type === 'delete' && op.prefix) {
      if ([...written].some((k) => k.startsWith(op.key))) throw dup();
      prefixes.push(op.key);
      continue;
    }
    if (written.has(op.key) || prefixes.some((p) => op.key.startsWith(p))) throw dup();
    written.add(op.key);
  }
}
