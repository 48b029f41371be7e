import { expect, it } from 'vitest';
import type { Store } from './store';
import { recorder, ticks } from './store-conformance';

/**
 * Txn, lease and range-option conformance (etcd v3 semantics); called inside describeStoreConformance.
 * fresh() returns an empty store that the caller closes after the test.
 */
export function txnAndLeaseConformance(fresh: () => Promise<Store>): void {
  it('txn: create-if-absent and update-if-modRevision-matches, else branch reads', async () => {
    const s = await fresh();
    const absent = { key: '/a', target: 'createRevision', result: '=', value: 0 } as const;
    const put = { type: 'put', key: '/a', value: 'v1' } as const;
    const first = await s.txn({ compare: [absent], success: [put], failure: [{ type: 'range', key: '/a' }] });
    expect(first).toEqual({ succeeded: true, revision: 2, results: [{ type: 'put', kv: { key: '/a', value: 'v1', createRevision: 2, modRevision: 2, version: 1, lease: 0 } }] });
    const again = await s.txn({ compare: [absent], success: [put], failure: [{ type: 'range', key: '/a' }] });
    expect(again.succeeded).toBe(false);
    expect(again.revision).toBe(2);
    expect(again.results).toEqual([{ type: 'range', kvs: [first.results[0].type === 'put' ? first.results[0].kv : undefined], more: false, count: 1 }]);
    const cas = (rev: number, value: string) => s.txn({ compare: [{ key: '/a', target: 'modRevision', result: '=', value: rev }], success: [{ type: 'put', key: '/a', value }] });
    expect((await cas(2, 'v2')).succeeded).toBe(true);
    expect((await cas(2, 'v3')).succeeded).toBe(false);
    expect((await s.get('/a')).kv).toMatchObject({ value: 'v2', version: 2, modRevision: 3 });
    expect(s.currentRevision()).toBe(3);
  });

  it('txn: compares on version, value and existence; a missing key compares as 0 and never equals a value', async () => {
    const s = await fresh();
    await s.create('/a', 'x');
    const ok = (c: Parameters<Store['txn']>[0]['compare']) => s.txn({ compare: c }).then((r) => r.succeeded);
    expect(await ok([{ key: '/a', target: 'version', result: '=', value: 1 }])).toBe(true);
    expect(await ok([{ key: '/a', target: 'version', result: '>', value: 1 }])).toBe(false);
    expect(await ok([{ key: '/a', target: 'value', result: '=', value: 'x' }])).toBe(true);
    expect(await ok([{ key: '/a', target: 'value', result: '!=', value: 'y' }])).toBe(true);
    expect(await ok([{ key: '/a', target: 'value', result: '<', value: 'y' }])).toBe(true);
    expect(await ok([{ key: '/nope', target: 'version', result: '=', value: 0 }])).toBe(true);
    expect(await ok([{ key: '/nope', target: 'value', result: '=', value: '' }])).toBe(false);
    expect(await ok([{ key: '/nope', target: 'value', result: '!=', value: 'x' }])).toBe(false);
    expect(await ok([{ key: '/a', target: 'createRevision', result: '=', value: 2 }, { key: '/nope', target: 'modRevision', result: '>', value: 0 }])).toBe(false);
    expect(s.currentRevision()).toBe(2);
  });

  it('txn: all writes share one revision, later ops see earlier ones, and a watcher gets them in one batch', async () => {
    const s = await fresh();
    await s.create('/t/old', 'o'); // 2
    await s.create('/t/gone1', 'g'); // 3
    await s.create('/t/gone2', 'g'); // 4
    const w = recorder();
    s.watch('/t/', 0, w.cb);
    await ticks();
    const r = await s.txn({
      success: [
        { type: 'put', key: '/t/new', value: 'n' },
        { type: 'put', key: '/t/old', value: 'o2' },
        { type: 'delete', key: '/t/gone', prefix: true },
        { type: 'range', key: '/t/', prefix: true, keysOnly: true },
        { type: 'range', key: '/t/', prefix: true, countOnly: true },
      ],
    });
    expect(r.revision).toBe(5);
    expect(r.results[1]).toMatchObject({ type: 'put', kv: { modRevision: 5, version: 2 }, prevKv: { value: 'o', modRevision: 2 } });
    expect(r.results[2]).toMatchObject({ type: 'delete', deleted: 2 });
    expect(r.results[3]).toEqual({
      type: 'range',
      more: false,
      count: 2,
      kvs: [
        { key: '/t/new', value: '', createRevision: 5, modRevision: 5, version: 1, lease: 0 },
        { key: '/t/old', value: '', createRevision: 2, modRevision: 5, version: 2, lease: 0 },
      ],
    });
    expect(r.results[4]).toEqual({ type: 'range', kvs: [], more: false, count: 2 });
    expect(s.currentRevision()).toBe(5);
    await ticks();
    expect(w.batches).toBe(1);
    expect(w.events.map((e) => `${e.type} ${e.kv.key} ${e.kv.modRevision}`)).toEqual(['PUT /t/new 5', 'PUT /t/old 5', 'DELETE /t/gone1 5', 'DELETE /t/gone2 5']);
    expect((await s.list('/t/', { revision: 4 })).kvs.map((kv) => kv.key)).toEqual(['/t/gone1', '/t/gone2', '/t/old']);
    expect((await s.create('/t/after', 'a')).revision).toBe(6);
  });

  it('txn: a duplicate key or an unknown lease rejects the whole txn without writing', async () => {
    const s = await fresh();
    await s.create('/a', '1');
    await expect(s.txn({ success: [{ type: 'put', key: '/b', value: '1' }, { type: 'put', key: '/b', value: '2' }] })).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: 'etcdserver: duplicate key given in txn request',
    });
    await expect(s.txn({ success: [{ type: 'delete', key: '/', prefix: true }, { type: 'put', key: '/a', value: '2' }] })).rejects.toMatchObject({ code: 'InvalidArgument' });
    await expect(s.txn({ success: [{ type: 'put', key: '/c', value: '1' }, { type: 'put', key: '/d', value: '1', lease: 999 }] })).rejects.toMatchObject({
      code: 'LeaseNotFound',
      message: 'etcdserver: requested lease not found',
    });
    await expect(s.create('/e', '1', 999)).rejects.toMatchObject({ code: 'LeaseNotFound' });
    expect(s.currentRevision()).toBe(2);
    expect((await s.list('/')).kvs.map((kv) => kv.key)).toEqual(['/a']);
    expect((await s.txn({ success: [] })).revision).toBe(2);
  });

  it('concurrent txns racing on one modRevision: exactly one wins, the rest see the winner', async () => {
    const s = await fresh();
    await s.create('/lock', 'free');
    const attempts = await Promise.all(
      [1, 2, 3, 4, 5].map((i) =>
        s.txn({
          compare: [{ key: '/lock', target: 'modRevision', result: '=', value: 2 }],
          success: [{ type: 'put', key: '/lock', value: `owner-${i}` }, { type: 'put', key: `/owner/${i}`, value: 'x' }],
          failure: [{ type: 'range', key: '/lock' }],
        }),
      ),
    );
    expect(attempts.filter((a) => a.succeeded)).toHaveLength(1);
    expect(s.currentRevision()).toBe(3);
    expect((await s.list('/owner/')).count).toBe(1);
  });

  it('leases: grant, keys attached via create/update, timeToLive, revoke deletes them in one revision', async () => {
    const s = await fresh();
    const id = await s.leaseGrant(60);
    const other = await s.leaseGrant(60);
    expect(other).not.toBe(id);
    await s.create('/l/a', 'a', id); // 2
    await s.create('/l/b', 'b'); // 3
    await s.update('/l/b', 'b2', 0, id); // 4
    await s.create('/l/c', 'c', other); // 5
    await s.create('/l/moved', 'm', id); // 6
    await s.update('/l/moved', 'm2', 0, other); // 7: moved to the other lease
    const ttl = await s.leaseTimeToLive(id);
    expect(ttl).toMatchObject({ id, grantedTtl: 60, keys: ['/l/a', '/l/b'] });
    expect(ttl.ttl).toBeGreaterThan(0);
    expect(await s.leaseKeepAlive(id)).toBe(60);
    const w = recorder();
    s.watch('/l/', 0, w.cb);
    await ticks();
    expect(await s.leaseRevoke(id)).toEqual({ revision: 8 });
    await ticks();
    expect(w.events.map((e) => `${e.type} ${e.kv.key} ${e.kv.modRevision}`)).toEqual(['DELETE /l/a 8', 'DELETE /l/b 8']);
    expect(w.batches).toBe(1);
    expect((await s.list('/l/')).kvs.map((kv) => kv.key)).toEqual(['/l/c', '/l/moved']);
    expect(await s.leaseTimeToLive(id)).toEqual({ id, ttl: -1, grantedTtl: 0, keys: [] });
    await expect(s.leaseRevoke(id)).rejects.toMatchObject({ code: 'LeaseNotFound' });
    await expect(s.leaseKeepAlive(id)).rejects.toMatchObject({ code: 'LeaseNotFound' });
    await expect(s.create('/l/late', 'x', id)).rejects.toMatchObject({ code: 'LeaseNotFound' });
    const empty = await s.leaseGrant(5);
    expect(await s.leaseRevoke(empty)).toEqual({ revision: 8 });
  });

  it('list: keysOnly and countOnly; paging at a fixed revision never mixes pages with later writes', async () => {
    const s = await fresh();
    for (let i = 0; i < 25; i++) await s.create(`/p/${String(i).padStart(2, '0')}`, `v${i}`);
    expect((await s.list('/p/', { keysOnly: true, limit: 2 })).kvs.map((kv) => kv.value)).toEqual(['', '']);
    expect(await s.list('/p/', { countOnly: true })).toEqual({ revision: 26, kvs: [], more: false, count: 25 });
    const first = await s.list('/p/', { limit: 10 });
    const pages = [first.kvs];
    let last = first;
    let writer = 0;
    while (last.more) {
      // Writers change the prefix between pages: deletes of unread and read keys, creates, updates.
      await s.delete(`/p/${String(24 - writer).padStart(2, '0')}`);
      await s.create(`/p/${String(writer).padStart(2, '0')}x`, 'new');
      await s.update('/p/00', `changed${writer++}`, 0);
      last = await s.list('/p/', { limit: 10, revision: first.revision, after: last.kvs[last.kvs.length - 1].key });
      expect(last.revision).toBe(first.revision);
      pages.push(last.kvs);
    }
    const all = pages.flat();
    expect(all.map((kv) => kv.key)).toEqual(Array.from({ length: 25 }, (_, i) => `/p/${String(i).padStart(2, '0')}`));
    expect(all.every((kv) => kv.modRevision <= first.revision && kv.value === `v${Number(kv.key.slice(3))}`)).toBe(true);
  });
}
