import { afterEach, describe, expect, it } from 'vitest';
import { StoreError, type Store, type StoreEvent, type WatchCallbacks } from './store';
import { txnAndLeaseConformance } from './store-conformance-txn';

/**
 * The behaviour every Store implementation must show (etcd/kine semantics as the apiserver relies on them).
 * factory() returns a fresh, empty store; the suite closes it after each test.
 * Imported by *.test.ts files only (it imports vitest).
 */
export function describeStoreConformance(name: string, factory: () => Promise<Store> | Store): void {
  describe(`Store conformance: ${name}`, () => {
    const open: Store[] = [];
    const fresh = async () => {
      const s = await factory();
      open.push(s);
      return s;
    };
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });

    it('starts empty at revision 1; the first write makes revision 2', async () => {
      const s = await fresh();
      expect(s.currentRevision()).toBe(1);
      expect(s.compactedRevision()).toBe(0);
      expect(await s.get('/a')).toEqual({ revision: 1 });
      expect(await s.list('/')).toEqual({ revision: 1, kvs: [], more: false, count: 0 });
      const r = await s.create('/a', 'v1');
      expect(r).toEqual({ revision: 2, kv: { key: '/a', value: 'v1', createRevision: 2, modRevision: 2, version: 1, lease: 0 } });
      expect(s.currentRevision()).toBe(2);
      expect(await s.get('/a')).toEqual({ revision: 2, kv: r.kv });
    });

    it('create rejects KeyExists for an existing key without writing', async () => {
      const s = await fresh();
      const lease = await s.leaseGrant(60);
      await s.create('/a', 'v1', lease);
      const err = await s.create('/a', 'v2').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StoreError);
      expect((err as StoreError).code).toBe('KeyExists');
      expect(s.currentRevision()).toBe(2);
      expect((await s.get('/a')).kv).toMatchObject({ value: 'v1', lease });
    });

    it('update bumps version and modRevision, keeps createRevision, and honours the precondition', async () => {
      const s = await fresh();
      await s.create('/a', 'v1');
      await s.create('/b', 'x');
      const u = await s.update('/a', 'v2', 2);
      expect(u).toEqual({ ok: true, revision: 4, kv: { key: '/a', value: 'v2', createRevision: 2, modRevision: 4, version: 2, lease: 0 } });
      const stale = await s.update('/a', 'v3', 2);
      expect(stale).toEqual({ ok: false, revision: 4, kv: u.kv });
      expect(s.currentRevision()).toBe(4);
      const any = await s.update('/a', 'v4', 0);
      expect(any.kv).toMatchObject({ value: 'v4', version: 3, modRevision: 5 });
      expect(await s.update('/missing', 'x', 0)).toEqual({ ok: false, revision: 5 });
      expect(await s.update('/missing', 'x', 3)).toEqual({ ok: false, revision: 5 });
    });

    it('delete honours existence and precondition; a re-created key starts again at version 1', async () => {
      const s = await fresh();
      expect(await s.delete('/a')).toEqual({ ok: false, revision: 1 });
      const c = await s.create('/a', 'v1');
      await s.update('/a', 'v2', 2);
      const stale = await s.delete('/a', 2);
      expect(stale.ok).toBe(false);
      expect(stale.kv).toMatchObject({ value: 'v2', modRevision: 3 });
      const d = await s.delete('/a', 3);
      expect(d).toEqual({ ok: true, revision: 4, kv: { key: '/a', value: 'v2', createRevision: c.revision, modRevision: 3, version: 2, lease: 0 } });
      expect(await s.get('/a')).toEqual({ revision: 4 });
      const again = await s.create('/a', 'v3');
      expect(again.kv).toMatchObject({ createRevision: 5, modRevision: 5, version: 1 });
    });

    it('concurrent updates with the same expected revision: exactly one wins', async () => {
      const s = await fresh();
      await s.create('/a', '0');
      const results = await Promise.all([1, 2, 3, 4].map((i) => s.update('/a', String(i), 2)));
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const winner = results.find((r) => r.ok);
      for (const r of results.filter((x) => !x.ok)) expect(r.kv).toEqual(winner?.kv);
      expect(s.currentRevision()).toBe(3);
    });

    it('list: prefix, key order, limit/more/after paging at a fixed revision, count', async () => {
      const s = await fresh();
      for (const k of ['/p/c', '/p/a', '/pz', '/p/b', '/q/a', '/p/d']) await s.create(k, k);
      const all = await s.list('/p/');
      expect(all.kvs.map((kv) => kv.key)).toEqual(['/p/a', '/p/b', '/p/c', '/p/d']);
      expect(all).toMatchObject({ revision: 7, more: false, count: 4 });
      const page1 = await s.list('/p/', { limit: 3 });
      expect(page1.kvs.map((kv) => kv.key)).toEqual(['/p/a', '/p/b', '/p/c']);
      expect(page1).toMatchObject({ more: true, count: 4, revision: 7 });
      await s.delete('/p/d');
      await s.create('/p/e', 'new');
      const page2 = await s.list('/p/', { limit: 3, after: '/p/c', revision: page1.revision });
      expect(page2.kvs.map((kv) => kv.key)).toEqual(['/p/d']);
      expect(page2).toMatchObject({ more: false, count: 4, revision: 7 });
      const now = await s.list('/p/', { after: '/p/b' });
      expect(now.kvs.map((kv) => kv.key)).toEqual(['/p/c', '/p/e']);
      expect(now).toMatchObject({ count: 4, revision: 9 });
      expect((await s.list('/', { limit: 1 })).count).toBe(6);
    });

    it('get and list at a past revision; FutureRevision above the current one', async () => {
      const s = await fresh();
      await s.create('/a', 'v1'); // 2
      await s.update('/a', 'v2', 2); // 3
      await s.delete('/a'); // 4
      await s.create('/b', 'b'); // 5
      expect((await s.get('/a', 2)).kv?.value).toBe('v1');
      expect((await s.get('/a', 3)).kv).toMatchObject({ value: 'v2', version: 2, modRevision: 3 });
      expect(await s.get('/a', 4)).toEqual({ revision: 4 });
      expect((await s.list('/', { revision: 3 })).kvs.map((kv) => kv.value)).toEqual(['v2']);
      expect((await s.list('/', { revision: 4 })).count).toBe(0);
      expect((await s.list('/', { revision: 1 })).count).toBe(0);
      await expect(s.get('/a', 6)).rejects.toMatchObject({ code: 'FutureRevision' });
      await expect(s.list('/', { revision: 6 })).rejects.toMatchObject({ code: 'FutureRevision' });
    });

    it('watch from a past revision replays history then live events, each once, in order', async () => {
      const s = await fresh();
      await s.create('/w/a', '1'); // 2
      await s.create('/x', 'other'); // 3
      await s.update('/w/a', '2', 2); // 4
      const w = recorder();
      s.watch('/w/', 3, w.cb);
      const writes = [s.create('/w/b', '1'), s.update('/w/a', '3', 0), s.delete('/w/b'), s.create('/x2', 'x')];
      await Promise.all(writes);
      await s.create('/w/c', '1');
      await ticks();
      expect(w.events.map((e) => `${e.type} ${e.kv.key} ${e.kv.modRevision}`)).toEqual([
        'PUT /w/a 4',
        'PUT /w/b 5',
        'PUT /w/a 6',
        'DELETE /w/b 7',
        'PUT /w/c 9',
      ]);
      expect(w.events[0]).toEqual({
        type: 'PUT',
        kv: { key: '/w/a', value: '2', createRevision: 2, modRevision: 4, version: 2, lease: 0 },
        prevKv: { key: '/w/a', value: '1', createRevision: 2, modRevision: 2, version: 1, lease: 0 },
      });
      expect(w.events[1].prevKv).toBeUndefined();
      expect(w.events[3]).toEqual({
        type: 'DELETE',
        kv: { key: '/w/b', value: '1', createRevision: 5, modRevision: 7, version: 1, lease: 0 },
        prevKv: { key: '/w/b', value: '1', createRevision: 5, modRevision: 5, version: 1, lease: 0 },
      });
      expect(w.errors).toEqual([]);
    });

    it('watch from 0 sees only later writes; a future start waits for its revision', async () => {
      const s = await fresh();
      await s.create('/a', '1');
      const now = recorder();
      const future = recorder();
      s.watch('/', 0, now.cb);
      s.watch('/', 5, future.cb);
      await ticks();
      for (let i = 0; i < 4; i++) await s.update('/a', String(i + 2), 0);
      await ticks();
      expect(now.events.map((e) => e.kv.modRevision)).toEqual([3, 4, 5, 6]);
      expect(future.events.map((e) => e.kv.modRevision)).toEqual([5, 6]);
    });

    it('many concurrent writers: a watcher sees every revision exactly once, in order', async () => {
      const s = await fresh();
      const w = recorder();
      s.watch('/', 2, w.cb);
      await Promise.all(Array.from({ length: 7 }, (_, i) => s.create(`/k/${i}`, 'c')));
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => s.update(`/k/${i % 7}`, `u${i}`, 0)));
      expect(results.every((r) => r.ok)).toBe(true);
      await ticks();
      expect(s.currentRevision()).toBe(48);
      const revs = w.events.map((e) => e.kv.modRevision);
      expect(revs).toEqual(Array.from({ length: s.currentRevision() - 1 }, (_, i) => i + 2));
      // Group commit usually delivers several revisions per batch, but how many writes share a commit depends
      // on timing (a loaded machine can commit each alone); the contract is only "never more batches than revisions".
      expect(w.batches).toBeLessThanOrEqual(revs.length);
    });

    it('a watcher that writes from its callback still sees every event once, in order', async () => {
      const s = await fresh();
      const seen: string[] = [];
      const writes: Promise<unknown>[] = [];
      s.watch('/ping', 0, {
        onEvents(batch) {
          for (const e of batch) {
            seen.push(`${e.kv.value}@${e.kv.modRevision}`);
            const n = Number(e.kv.value);
            if (n < 5) writes.push(s.update('/ping', String(n + 1), e.kv.modRevision));
          }
        },
      });
      await ticks();
      await s.create('/ping', '1');
      while (seen.length < 5) {
        await Promise.all(writes.splice(0));
        await ticks();
      }
      expect(seen).toEqual(['1@2', '2@3', '3@4', '4@5', '5@6']);
    });

    it('a disposed watch receives nothing more', async () => {
      const s = await fresh();
      const w = recorder();
      const sub = s.watch('/', 0, w.cb);
      await s.create('/a', '1');
      sub.dispose();
      await s.create('/b', '1');
      await ticks();
      expect(w.events.map((e) => e.kv.key)).toEqual(['/a']);
    });

    it('compact drops history below the revision but keeps every live key', async () => {
      const s = await fresh();
      await s.create('/old', 'kept'); // 2
      await s.create('/gone', 'x'); // 3
      await s.update('/gone', 'y', 3); // 4
      await s.delete('/gone'); // 5
      await s.create('/a', '1'); // 6
      await s.update('/a', '2', 6); // 7
      const live = recorder();
      s.watch('/', 7, live.cb);
      await s.compact(6);
      expect(s.compactedRevision()).toBe(6);
      await expect(s.get('/a', 5)).rejects.toMatchObject({ code: 'Compacted', compactRevision: 6 });
      await expect(s.list('/', { revision: 5 })).rejects.toMatchObject({ code: 'Compacted', compactRevision: 6 });
      expect((await s.list('/', { revision: 6 })).kvs.map((kv) => `${kv.key}=${kv.value}`)).toEqual(['/a=1', '/old=kept']);
      expect((await s.get('/old')).kv).toMatchObject({ value: 'kept', createRevision: 2, modRevision: 2, version: 1 });
      await expect(s.compact(6)).rejects.toMatchObject({ code: 'Compacted' });
      await expect(s.compact(99)).rejects.toMatchObject({ code: 'FutureRevision' });
      const errors: StoreError[] = [];
      const gone = recorder();
      s.watch('/', 5, { onEvents: gone.cb.onEvents, onError: (e) => errors.push(e) });
      const atC = recorder();
      s.watch('/', 6, atC.cb);
      await s.update('/old', 'new', 2);
      await ticks();
      expect(errors.map((e) => [e.code, e.compactRevision])).toEqual([['Compacted', 6]]);
      expect(gone.events).toEqual([]);
      expect(atC.events.map((e) => e.kv.modRevision)).toEqual([6, 7, 8]);
      expect(live.events.map((e) => e.kv.modRevision)).toEqual([7, 8]);
      expect(atC.events[2].prevKv).toMatchObject({ value: 'kept', modRevision: 2 });
    });

    txnAndLeaseConformance(fresh);

    it('close flushes pending writes; afterwards every call rejects Closed and watches end', async () => {
      const s = await fresh();
      const w = recorder();
      s.watch('/', 0, w.cb);
      const pending = s.create('/a', '1');
      await s.close();
      await expect(pending).resolves.toMatchObject({ revision: 2 });
      expect(w.errors.map((e) => e.code)).toEqual(['Closed']);
      await expect(s.get('/a')).rejects.toMatchObject({ code: 'Closed' });
      await expect(s.list('/')).rejects.toMatchObject({ code: 'Closed' });
      await expect(s.create('/b', '1')).rejects.toMatchObject({ code: 'Closed' });
      await expect(s.update('/a', '2', 0)).rejects.toMatchObject({ code: 'Closed' });
      await expect(s.delete('/a')).rejects.toMatchObject({ code: 'Closed' });
      await expect(s.compact(2)).rejects.toMatchObject({ code: 'Closed' });
    });
  });
}

/** Collects a watch's batches. */
export function recorder(): { events: StoreEvent[]; errors: StoreError[]; batches: number; cb: WatchCallbacks } {
  const r = {
    events: [] as StoreEvent[],
    errors: [] as StoreError[],
    batches: 0,
    cb: {
      onEvents(batch: StoreEvent[]) {
        r.batches++;
        r.events.push(...batch);
      },
      onError(err: StoreError) {
        r.errors.push(err);
      },
    },
  };
  return r;
}

/** Lets queued microtasks (watch catch-up, promise chains) run. */
export async function ticks(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}
