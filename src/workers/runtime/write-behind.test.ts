import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openNodeDisk } from './node-disk';
import { WriteBehind, type BatchTransaction } from './write-behind';

/** Counts readwrite transactions created on IndexedDB databases (restored after each test). */
const g = globalThis as unknown as { IDBDatabase: { prototype: { transaction(s: string | string[], mode?: string): unknown } } };
const realTransaction = g.IDBDatabase.prototype.transaction;
let writeTxs = 0;
g.IDBDatabase.prototype.transaction = function (this: unknown, s: string | string[], mode?: string) {
  if (mode === 'readwrite') writeTxs++;
  return realTransaction.call(this, s, mode);
};
afterEach(() => void (writeTxs = 0));

let n = 0;
const diskName = () => `write-behind-${n++}`;

describe('node disk write-behind', () => {
  it('commits the writes of one turn in one transaction, and those made while it is in flight in the next', async () => {
    const disk = await openNodeDisk(diskName());
    writeTxs = 0;
    const first = Array.from({ length: 20 }, (_, i) => disk.putState(`container/${i}`, { i }));
    first.push(disk.appendLog('/var/log/pods/a/c/0.log', ['one']));
    await Promise.resolve(); // the first batch's transaction is created in a microtask
    const second = Array.from({ length: 20 }, (_, i) => disk.putState(`sandbox/${i}`, { i }));
    second.push(disk.deleteState('container/0'));
    await Promise.all([...first, ...second]);
    expect(writeTxs).toBe(2);
    expect((await disk.listState('container/')).map((r) => r.key)).not.toContain('container/0');
    expect(await disk.listState('sandbox/')).toHaveLength(20);
    await disk.close();
  });

  it('keeps call order: the last write of a key wins, across batches too, and log lines stay in order', async () => {
    const disk = await openNodeDisk(diskName());
    const writes = [disk.putState('k', 1), disk.deleteState('k'), disk.putState('k', 2), disk.appendLog('/l', ['a']), disk.appendLog('/l', ['b'])];
    await Promise.resolve();
    writes.push(disk.putState('k', 3), disk.appendLog('/l', ['c']), disk.deleteState('gone'));
    await Promise.all(writes);
    expect(await disk.getState('k')).toBe(3);
    expect(await disk.readLog('/l')).toEqual(['a', 'b', 'c']);
    const removed = [disk.putState('k', 4), disk.deleteState('k')];
    await Promise.all(removed);
    expect(await disk.getState('k')).toBeUndefined();
    await disk.close();
  });

  it('lets reads, listings and renames see writes not yet committed', async () => {
    const disk = await openNodeDisk(diskName());
    await disk.putState('a/1', 'old');
    void disk.putState('a/1', 'new');
    void disk.putState('a/2', 'two');
    void disk.deleteState('a/3');
    expect(await disk.getState('a/1')).toBe('new');
    expect(await disk.listState('a/')).toEqual([{ key: 'a/1', value: 'new' }, { key: 'a/2', value: 'two' }]);
    void disk.deleteState('a/2');
    expect(await disk.getState('a/2')).toBeUndefined();
    void disk.appendLog('/p/0.log', ['x', 'y']);
    expect(await disk.readLog('/p/0.log')).toEqual(['x', 'y']);
    expect(await disk.listLogs('/p/')).toEqual([{ path: '/p/0.log', bytes: 4 }]);
    void disk.appendLog('/p/0.log', ['z']);
    await disk.renameLog('/p/0.log', '/p/0.log.1');
    expect(await disk.readLog('/p/0.log.1')).toEqual(['x', 'y', 'z']);
    expect(await disk.listLogs('/p/')).toEqual([{ path: '/p/0.log.1', bytes: 6 }]);
    await disk.close();
  });

  it('writes everything queued before close()', async () => {
    const name = diskName();
    const disk = await openNodeDisk(name);
    const w = disk.putState('sandbox/1', { state: 'SANDBOX_READY' });
    void disk.appendLog('/q/0.log', ['last']);
    await disk.close();
    await w;
    const again = await openNodeDisk(name);
    expect(await again.getState('sandbox/1')).toEqual({ state: 'SANDBOX_READY' });
    expect(await again.readLog('/q/0.log')).toEqual(['last']);
    await again.close();
  });

  it('rejects only the writers of a value that cannot be stored; the rest of the batch commits', async () => {
    const disk = await openNodeDisk(diskName());
    const ok = disk.putState('ok', 1);
    const bad1 = disk.putState('bad', 1);
    const bad2 = disk.putState('bad', () => 1);
    await expect(bad1).rejects.toThrow();
    await expect(bad2).rejects.toThrow();
    await expect(ok).resolves.toBeUndefined();
    expect(await disk.getState('ok')).toBe(1);
    expect(await disk.getState('bad')).toBeUndefined();
    await disk.close();
  });

  it('rejects every writer of a batch whose transaction aborts, and later batches still commit', async () => {
    const committed: string[] = [];
    let failNext = true;
    const begin = (): BatchTransaction => {
      const fail = failNext;
      failNext = false;
      const keys: string[] = [];
      const store = { put: (_v: unknown, k?: string) => keys.push(k!), add: () => keys.push('log'), delete: (k: string) => keys.push(k) };
      const done = Promise.resolve().then(() => {
        if (fail) throw new Error('QuotaExceededError');
        committed.push(...keys);
      });
      return { objectStore: () => store, done, abort: () => undefined };
    };
    const wb = new WriteBehind(begin);
    const batch1 = [wb.put('a', 1), wb.delete('b'), wb.append({ path: '/x', lines: ['l'] }), wb.put('a', 2)];
    await Promise.resolve();
    const batch2 = wb.put('c', 3);
    const results = await Promise.allSettled(batch1);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason.message).toBe('QuotaExceededError');
    await batch2;
    expect(committed).toEqual(['c']);
  });

  it('rejects every writer when the transaction cannot be created (closed database)', async () => {
    const wb = new WriteBehind(() => {
      throw new Error('InvalidStateError: the database connection is closing');
    });
    const all = await Promise.allSettled([wb.put('a', 1), wb.append({ path: '/x', lines: [] })]);
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
