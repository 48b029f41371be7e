import { StoreError } from './store';

/** The StoreErrors the MVCC store raises, with etcd's messages. */
export function compactedError(compacted: number): StoreError {
  return new StoreError('Compacted', 'mvcc: required revision has been compacted', compacted);
}

export function futureError(): StoreError {
  return new StoreError('FutureRevision', 'mvcc: required revision is a future revision');
}

export function closedError(): StoreError {
  return new StoreError('Closed', 'store is closed');
}

export function leaseNotFoundError(): StoreError {
  return new StoreError('LeaseNotFound', 'etcdserver: requested lease not found');
}

/** "Name: message" of an Error, else String(err); for wrapping backend failures. */
export function message(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
