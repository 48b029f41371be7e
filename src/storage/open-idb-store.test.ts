import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock';
import type { LogRecord } from './log-record';
import { openIdbStore } from './open-idb-store';
import { describeStoreConformance, recorder, ticks } from './store-conformance';

let dbs = 0;
const uniqueName = () => `etcd-test-${++dbs}`;
const clock = new FakeClock();

describeStoreConformance('IndexedDB', () => openIdbStore({ name: uniqueName(), clock }));

/** Reads the persisted log and meta through a second connection. */
async function readLog(name: string): Promise<{ log: LogRecord[]; revision?: number; compacted?: number }> {
  const db = await openDB(name);
  const log = ((await db.getAll('log')) as Array<{ records: LogRecord[] }>).flatMap((c) => c.records);
  const revision = (await db.get('meta', 'revision')) as number | undefined;
  const compacted = (await db.get('meta', 'compacted')) as number | undefined;
  db.close();
  return { log, revision, compacted };
}

describe('openIdbStore durability', () => {
  it('reopening with the same name gives the same data and revision', async () => {
    const name = uniqueName();
    const s = await openIdbStore({ name, clock });
    const lease = await s.leaseGrant(3600);
    await s.create('/a', 'v1', lease);
    await s.update('/a', 'v2', 2);
    await s.create('/b', 'b');
    await s.delete('/b');
    const unawaited = s.create('/c', 'c');
    await s.close();
    await unawaited;

    const r = await openIdbStore({ name, clock });
    expect(r.currentRevision()).toBe(6);
    expect((await r.get('/a')).kv).toEqual({ key: '/a', value: 'v2', createRevision: 2, modRevision: 3, version: 2, lease: 0 });
    expect((await r.get('/a', 2)).kv).toMatchObject({ value: 'v1', lease });
    expect((await r.get('/b', 4)).kv?.value).toBe('b');
    expect((await r.list('/')).kvs.map((kv) => kv.key)).toEqual(['/a', '/c']);
    const w = recorder();
    r.watch('/', 2, w.cb);
    await ticks();
    expect(w.events.map((e) => `${e.type} ${e.kv.key} ${e.kv.modRevision}`)).toEqual(['PUT /a 2', 'PUT /a 3', 'PUT /b 4', 'DELETE /b 5', 'PUT /c 6']);
    expect(w.events[1].prevKv).toMatchObject({ value: 'v1', modRevision: 2 });
    expect(w.events[3].prevKv).toMatchObject({ value: 'b', modRevision: 4 });
    expect((await r.create('/d', 'd')).revision).toBe(7);
    await r.close();
  });

  it('after many writes the log is contiguous and the rebuilt index matches it', async () => {
    const name = uniqueName();
    const s = await openIdbStore({ name, clock });
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 30 }, (_, i) => s.create(`/r${round}/k${i}`, `${round}-${i}`)));
      await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? s.delete(`/r${round}/k${i}`) : s.update(`/r${round}/k${i}`, 'u', 0))));
    }
    expect(s.currentRevision()).toBe(301);
    const before = await s.list('/');
    await s.close();

    const { log, revision } = await readLog(name);
    expect(log.map((r) => r.revision)).toEqual(Array.from({ length: 300 }, (_, i) => i + 2));
    expect(revision).toBe(301);
    const live = new Map<string, LogRecord>();
    for (const r of log) r.type === 'PUT' ? live.set(r.key, r) : live.delete(r.key);

    const r = await openIdbStore({ name, clock });
    const after = await r.list('/');
    expect(after).toEqual(before);
    expect(after.count).toBe(live.size);
    for (const kv of after.kvs) expect(live.get(kv.key)).toMatchObject({ revision: kv.modRevision, value: kv.value, version: kv.version });
    await r.close();
  });

  it('group commit: N concurrent writes use fewer transactions than N', async () => {
    const s = await openIdbStore({ name: uniqueName(), clock });
    const n = 50;
    const results = await Promise.all(Array.from({ length: n }, (_, i) => s.create(`/k/${i}`, 'v')));
    expect(results.map((r) => r.revision).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i + 2));
    expect(s.stats.writes).toBe(n);
    expect(s.stats.transactions).toBeLessThan(n);
    expect(s.stats.transactions).toBeLessThanOrEqual(2);
    await s.close();
  });

  it('compaction is persisted: dropped records leave the log, live keys and the compacted revision survive reopen', async () => {
    const name = uniqueName();
    const s = await openIdbStore({ name, clock });
    await s.create('/keep', 'k'); // 2
    await s.create('/gone', '1'); // 3
    await s.update('/gone', '2', 3); // 4
    await s.delete('/gone'); // 5
    await s.create('/x', '1'); // 6
    await s.update('/x', '2', 6); // 7
    await s.update('/x', '3', 7); // 8
    await s.compact(8);
    await s.close();

    const { log, compacted } = await readLog(name);
    expect(compacted).toBe(8);
    expect(log.map((r) => r.revision)).toEqual([2, 7, 8]);

    const r = await openIdbStore({ name, clock });
    expect(r.compactedRevision()).toBe(8);
    expect(r.currentRevision()).toBe(8);
    await expect(r.get('/x', 7)).rejects.toMatchObject({ code: 'Compacted', compactRevision: 8 });
    expect((await r.list('/')).kvs.map((kv) => `${kv.key}=${kv.value}@${kv.modRevision}`)).toEqual(['/keep=k@2', '/x=3@8']);
    const w = recorder();
    r.watch('/', 8, w.cb);
    await r.update('/keep', 'k2', 2);
    await ticks();
    expect(w.events.map((e) => e.kv.modRevision)).toEqual([8, 9]);
    expect(w.events[0].prevKv).toMatchObject({ value: '2', modRevision: 7 });
    expect(w.events[1].prevKv).toMatchObject({ value: 'k', modRevision: 2 });
    await r.close();
  });

  it('a second connection writing the same revisions fails instead of overwriting, and rolls back', async () => {
    const name = uniqueName();
    const first = await openIdbStore({ name, clock });
    const second = await openIdbStore({ name, clock });
    await first.create('/a', 'first');
    const err = await second.create('/b', 'second').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StoreError', code: 'Internal' });
    expect((err as Error).message).toContain('another connection');
    expect(second.currentRevision()).toBe(1);
    expect(await second.get('/b')).toEqual({ revision: 1 });
    await first.close();
    await second.close();
    const { log } = await readLog(name);
    expect(log.map((r) => `${r.revision} ${r.key}=${r.value}`)).toEqual(['2 /a=first']);
    expect(second.stats.transactions).toBe(1);
  });

  it('compacts automatically like kube-apiserver: every 5 minutes, to the revision current one interval ago', async () => {
    const fake = new FakeClock();
    const name = uniqueName();
    const s = await openIdbStore({ name, clock: fake });
    await s.create('/a', '0'); // 2
    await fake.advance(5 * 60_000); // compacts to 1: nothing to do
    expect(s.compactedRevision()).toBe(0);
    for (let i = 1; i <= 3; i++) await s.update('/a', String(i), 0); // 3..5
    await fake.advance(5 * 60_000); // to 2, the revision at the previous run
    expect(s.compactedRevision()).toBe(2);
    await s.update('/a', '4', 0); // 6
    await fake.advance(5 * 60_000); // to 5
    expect(s.compactedRevision()).toBe(5);
    await s.close();
    const { log, compacted } = await readLog(name);
    expect(compacted).toBe(5);
    expect(log.map((r) => r.revision)).toEqual([4, 5, 6]);
    const off = await openIdbStore({ name, clock: fake, compaction: false });
    await fake.advance(60 * 60_000);
    expect(off.compactedRevision()).toBe(5);
    await off.close();
  });

  it('rejects Internal when the log on disk has a gap', async () => {
    const name = uniqueName();
    const s = await openIdbStore({ name, clock });
    for (let i = 0; i < 4; i++) await s.create(`/k${i}`, 'v');
    await s.close();
    const db = await openDB(name);
    await db.delete('log', 3);
    db.close();
    await expect(openIdbStore({ name, clock })).rejects.toMatchObject({ code: 'Internal', name: 'StoreError' });
  });

  it('rejects Internal naming the record when a log record is corrupted', async () => {
    const name = uniqueName();
    const s = await openIdbStore({ name, clock });
    await s.create('/a', 'v');
    await s.close();
    const db = await openDB(name);
    await db.put('log', { first: 2, records: [{ revision: 2, sub: 0, key: '/a', value: 42, type: 'PUT' }] });
    db.close();
    const err = await openIdbStore({ name, clock }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StoreError', code: 'Internal' });
    expect((err as Error).message).toContain('corrupt log record: {"revision":2');
  });
});
