import type { Clock } from '../api/clock';
import type { LogRecord } from './log-record';
import { MvccIndex } from './mvcc-index';
import { MvccStore, type CompactionOptions, type StoreBackend } from './mvcc-store';

export interface MemoryStoreOptions {
  /** Required with compaction; without it leases never expire and no progress notifications are sent. */
  clock?: Clock;
  compaction?: CompactionOptions;
  /** Test hook: called for each commit; throwing (or rejecting) fails that commit like an aborted transaction. */
  onCommit?(records: readonly LogRecord[]): void | Promise<void>;
}

/**
 * The same MVCC store with no persistence: everything is lost when it is dropped. Commits still settle
 * asynchronously, in batches, exactly as with IndexedDB, so components tested against it behave the same.
 */
export function createMemoryStore(opts: MemoryStoreOptions = {}): MvccStore {
  const backend: StoreBackend = {
    async commit(c) {
      await opts.onCommit?.(c.records);
    },
    async compact() {},
    async close() {},
  };
  return new MvccStore({ index: MvccIndex.load([], 0), backend, clock: opts.clock, compaction: opts.compaction });
}
