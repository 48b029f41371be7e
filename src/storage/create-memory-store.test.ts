import { describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock';
import { createMemoryStore } from './create-memory-store';
import { describeStoreConformance, recorder, ticks } from './store-conformance';

describeStoreConformance('memory', () => createMemoryStore());

describe('createMemoryStore', () => {
  it('a full storage quota rejects the write NoSpace with etcd\'s words and keeps nothing of it', async () => {
    let full = false;
    const s = createMemoryStore({
      onCommit: () => {
        if (full) throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError' });
      },
    });
    await s.create('/a', '1');
    full = true;
    const err = await s.create('/b', 'x'.repeat(1000)).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StoreError', code: 'NoSpace' });
    expect((err as Error).message).toMatch(/^etcdserver: mvcc: database space exceeded \(this site's browser storage quota is full/);
    expect((await s.get('/b')).kv).toBeUndefined();
    full = false;
    expect((await s.create('/b', 'small')).revision).toBe(3);
    await s.close();
  });

  it('a failed commit rolls back its batch and the batch behind it, rejecting them Internal; the store stays usable', async () => {
    let fail = false;
    const s = createMemoryStore({
      onCommit: () => {
        if (fail) throw new Error('quota exceeded');
      },
    });
    const w = recorder();
    s.watch('/', 0, w.cb);
    await s.create('/a', '1'); // 2
    fail = true;
    const doomed = [s.update('/a', '2', 2), s.create('/b', '1')];
    // Observed the pending update: must not report a state that never became durable.
    const refused = s.update('/a', 'x', 2);
    const results = await Promise.allSettled([...doomed, refused]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'Internal', name: 'StoreError' });
    }
    expect(s.currentRevision()).toBe(2);
    expect((await s.get('/a')).kv).toMatchObject({ value: '1', modRevision: 2 });
    expect((await s.get('/b')).kv).toBeUndefined();
    expect((await s.list('/')).count).toBe(1);
    fail = false;
    const again = await s.create('/b', 'ok');
    expect(again.revision).toBe(3);
    expect(await s.update('/a', '3', 2)).toMatchObject({ ok: true, revision: 4 });
    await ticks();
    expect(w.events.map((e) => `${e.kv.key}@${e.kv.modRevision}=${e.kv.value}`)).toEqual(['/a@2=1', '/b@3=ok', '/a@4=3']);
    await s.close();
  });

  it('watchers see nothing until the commit completes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const s = createMemoryStore({ onCommit: () => gate });
    const w = recorder();
    s.watch('/', 0, w.cb);
    const p = s.create('/a', '1');
    await ticks();
    expect(w.events).toEqual([]);
    expect(s.currentRevision()).toBe(1);
    expect(await s.get('/a')).toEqual({ revision: 1 });
    release();
    await p;
    expect(w.events).toHaveLength(1);
    expect(s.currentRevision()).toBe(2);
  });

  it('groups writes issued while a commit is in flight into the next transaction', async () => {
    const sizes: number[] = [];
    const s = createMemoryStore({ onCommit: (records) => void sizes.push(records.length) });
    await Promise.all(Array.from({ length: 25 }, (_, i) => s.create(`/k/${i}`, 'v')));
    expect(sizes).toEqual([25]);
    expect(s.stats).toMatchObject({ transactions: 1, writes: 25 });
  });

  it('automatic compaction keeps the last keepRevisions revisions, on the injected clock', async () => {
    const clock = new FakeClock();
    const s = createMemoryStore({ clock, compaction: { keepRevisions: 10, intervalMs: 60_000 } });
    await s.create('/a', '0');
    for (let i = 1; i < 30; i++) await s.update('/a', String(i), 0);
    expect(s.currentRevision()).toBe(31);
    expect(s.compactedRevision()).toBe(0);
    await clock.advance(59_999);
    expect(s.compactedRevision()).toBe(0);
    await clock.advance(1);
    expect(s.compactedRevision()).toBe(21);
    expect(s.retainedRecords).toBe(12); // 21..31, plus 20: the newest PUT below the compacted revision (prevKv of 21)
    expect((await s.get('/a')).kv).toMatchObject({ value: '29', version: 30, createRevision: 2 });
    await s.close();
    await clock.advance(600_000);
    expect(s.stats.compactions).toBe(1);
  });

  it('compaction never keeps a deleted key and frees its history', async () => {
    const s = createMemoryStore();
    await s.create('/a', '1');
    await s.delete('/a');
    await s.create('/b', '1');
    await s.compact(4);
    expect(s.retainedRecords).toBe(1);
    expect((await s.list('/', { revision: 4 })).kvs.map((kv) => kv.key)).toEqual(['/b']);
  });
});
