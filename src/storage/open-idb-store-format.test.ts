import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../api/clock';
import { openIdbStore, restoreSnapshot } from './open-idb-store';
import { STORE_FORMAT_VERSION, crc32, decodeSnapshot } from './snapshot-format';
import { recorder, ticks } from './store-conformance';

let dbs = 0;
const uniqueName = () => `etcd-format-test-${++dbs}`;

describe('openIdbStore leases across reopen', () => {
  it('a lease survives reopen with its deadline; one that passed while closed expires at open', async () => {
    const clock = new FakeClock();
    const name = uniqueName();
    const s = await openIdbStore({ name, clock });
    const short = await s.leaseGrant(30);
    const long = await s.leaseGrant(3600);
    await s.create('/e/short', 's', short);
    await s.create('/e/long', 'l', long);
    await s.close();
    await clock.advance(60_000); // "the tab was closed" for a minute
    const r = await openIdbStore({ name, clock });
    await vi.waitFor(async () => expect((await r.list('/e/')).kvs.map((kv) => kv.key)).toEqual(['/e/long']));
    expect(r.currentRevision()).toBe(4);
    expect((await r.leaseTimeToLive(long)).ttl).toBe(3540);
    expect((await r.leaseTimeToLive(short)).ttl).toBe(-1);
    const next = await r.leaseGrant(10);
    expect(next).toBeGreaterThan(long);
    await r.close();
  });
});

describe('openIdbStore format versions', () => {
  it(`upgrades a format-1 database (log keyed by revision) to format ${STORE_FORMAT_VERSION} keeping every record`, async () => {
    const name = uniqueName();
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('log', { keyPath: 'revision' });
        db.createObjectStore('meta');
      },
    });
    const rec = (revision: number, key: string, value: string, type: 'PUT' | 'DELETE', prevRevision: number, createRevision: number, version: number) => ({
      revision, key, value, createRevision, version, lease: 0, type, prevRevision,
    });
    for (const r of [rec(2, '/a', '1', 'PUT', 0, 2, 1), rec(3, '/a', '2', 'PUT', 2, 2, 2), rec(4, '/b', 'b', 'PUT', 0, 4, 1), rec(5, '/b', 'b', 'DELETE', 4, 4, 1)]) await v1.put('log', r);
    await v1.put('meta', 5, 'revision');
    v1.close();
    const s = await openIdbStore({ name, clock: new FakeClock() });
    expect(s.currentRevision()).toBe(5);
    expect((await s.get('/a')).kv).toMatchObject({ value: '2', version: 2, modRevision: 3 });
    const w = recorder();
    s.watch('/', 2, w.cb);
    await ticks();
    expect(w.events.map((e) => `${e.type} ${e.kv.key} ${e.kv.modRevision}`)).toEqual(['PUT /a 2', 'PUT /a 3', 'PUT /b 4', 'DELETE /b 5']);
    expect((await s.create('/c', 'c')).revision).toBe(6);
    await s.close();
    const db = await openDB(name);
    expect(db.version).toBe(STORE_FORMAT_VERSION);
    expect(await db.getAllKeys('log')).toEqual([2, 6]);
    expect((await db.get('log', 2)).records.map((r: { revision: number; sub: number }) => `${r.revision}.${r.sub}`)).toEqual(['2.0', '3.0', '4.0', '5.0']);
    db.close();
  });

  it('an upgrade blocked by another connection holding the old version rejects with a clear error instead of hanging', async () => {
    const name = uniqueName();
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('log', { keyPath: 'revision' });
        db.createObjectStore('meta');
      },
    });
    const err = await openIdbStore({ name, clock: new FakeClock() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StoreError', code: 'Internal' });
    expect((err as Error).message).toContain(`upgrade to format ${STORE_FORMAT_VERSION} is blocked: close the other tabs`);
    v1.close();
  });

  it('a database written by a newer format is refused with Unsupported and left untouched', async () => {
    const name = uniqueName();
    const newer = await openDB(name, STORE_FORMAT_VERSION + 1, { upgrade: (db) => void db.createObjectStore('future') });
    newer.close();
    const err = await openIdbStore({ name, clock: new FakeClock() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'StoreError', code: 'Unsupported' });
    expect((err as Error).message).toContain('was written by a newer Tabernetes');
    const db = await openDB(name);
    expect(db.version).toBe(STORE_FORMAT_VERSION + 1);
    expect([...db.objectStoreNames]).toEqual(['future']);
    db.close();
  });
});

describe('snapshots', () => {
  it('snapshot → restoreSnapshot gives an identical store (history, compaction, leases) in a fresh database', async () => {
    const clock = new FakeClock();
    const s = await openIdbStore({ name: uniqueName(), clock });
    const lease = await s.leaseGrant(600);
    await s.create('/a', '1'); // 2
    await s.update('/a', '2', 2); // 3
    await s.txn({ success: [{ type: 'put', key: '/b', value: 'b', lease }, { type: 'put', key: '/c', value: 'c' }] }); // 4
    await s.compact(3);
    await s.delete('/c'); // 5
    const bytes = await s.snapshot();
    const before = await s.list('/');
    await s.close();
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\n')[0]).toBe(`{"format":"tabernetes-etcd-snapshot","version":${STORE_FORMAT_VERSION},"revision":5,"compacted":3,"leaseSeq":1,"leases":1,"records":5}`);
    const target = uniqueName();
    const pre = await openIdbStore({ name: target, clock });
    await pre.create('/stale', 'x');
    await pre.close();
    const r = await restoreSnapshot(target, bytes, clock);
    expect(r.currentRevision()).toBe(5);
    expect(r.compactedRevision()).toBe(3);
    expect(await r.list('/')).toEqual(before);
    expect((await r.get('/a', 3)).kv?.value).toBe('2');
    expect((await r.leaseTimeToLive(lease)).keys).toEqual(['/b']);
    expect(new TextDecoder().decode(await r.snapshot())).toBe(text);
    await r.close();
  });

  it('a corrupted or truncated snapshot is rejected before anything is replaced', async () => {
    const clock = new FakeClock();
    const name = uniqueName();
    const s = await openIdbStore({ name, clock });
    await s.create('/a', '1');
    const bytes = await s.snapshot();
    await s.close();
    const flipped = bytes.slice();
    flipped[60] ^= 1;
    expect(() => decodeSnapshot(flipped)).toThrow('snapshot is corrupt: checksum mismatch');
    await expect(restoreSnapshot(name, flipped, clock)).rejects.toMatchObject({ code: 'Internal' });
    await expect(restoreSnapshot(name, bytes.slice(0, bytes.length - 5), clock)).rejects.toMatchObject({ code: 'Internal' });
    const r = await openIdbStore({ name, clock });
    expect((await r.get('/a')).kv?.value).toBe('1');
    await r.close();
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
