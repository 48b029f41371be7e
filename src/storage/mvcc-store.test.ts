import { describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock';
import { createMemoryStore } from './create-memory-store';
import { recorder, ticks } from './store-conformance';

describe('MvccStore leases on the clock', () => {
  it('a lease expires after its TTL of cluster time unless kept alive; its keys go in one revision', async () => {
    const clock = new FakeClock();
    const s = createMemoryStore({ clock });
    const kept = await s.leaseGrant(10);
    const dropped = await s.leaseGrant(10);
    await s.create('/k/kept', '1', kept);
    await s.create('/k/a', '1', dropped);
    await s.create('/k/b', '1', dropped);
    const w = recorder();
    s.watch('/k/', 0, w.cb);
    await clock.advance(6_000);
    expect(await s.leaseKeepAlive(kept)).toBe(10);
    expect((await s.leaseTimeToLive(dropped)).ttl).toBe(4);
    await clock.advance(5_000);
    expect(w.events.map((e) => `${e.type} ${e.kv.key} ${e.kv.modRevision}`)).toEqual(['DELETE /k/a 5', 'DELETE /k/b 5']);
    expect((await s.leaseTimeToLive(dropped)).ttl).toBe(-1);
    expect((await s.leaseTimeToLive(kept)).ttl).toBe(5);
    await clock.advance(5_000);
    expect((await s.list('/k/')).count).toBe(0);
    expect(s.currentRevision()).toBe(6);
    await s.close();
  });

  it('a failed commit undoes a grant and a revoke', async () => {
    let fail = false;
    const s = createMemoryStore({
      onCommit: () => {
        if (fail) throw new Error('quota exceeded');
      },
    });
    const id = await s.leaseGrant(60);
    await s.create('/a', '1', id);
    fail = true;
    await expect(s.leaseGrant(60)).rejects.toMatchObject({ code: 'Internal' });
    await expect(s.leaseRevoke(id)).rejects.toMatchObject({ code: 'Internal' });
    fail = false;
    expect((await s.leaseTimeToLive(id)).keys).toEqual(['/a']);
    expect((await s.get('/a')).kv?.value).toBe('1');
    expect(await s.leaseRevoke(id)).toEqual({ revision: 3 });
  });
});

describe('MvccStore watch progress notifications', () => {
  it('an idle, caught-up watcher gets onProgress(revision) each interval; a busy one does not', async () => {
    const clock = new FakeClock();
    const s = createMemoryStore({ clock });
    const idle: number[] = [];
    const busy: number[] = [];
    const plain = recorder();
    s.watch('/idle/', 0, { onEvents: () => undefined, onProgress: (r) => idle.push(r) });
    s.watch('/busy/', 0, { onEvents: () => undefined, onProgress: (r) => busy.push(r) });
    s.watch('/', 0, plain.cb);
    await ticks();
    await s.create('/busy/a', '1'); // 2
    await clock.advance(10_000);
    expect(idle).toEqual([2]);
    expect(busy).toEqual([]);
    await clock.advance(10_000);
    expect(idle).toEqual([2, 2]);
    expect(busy).toEqual([2]);
    await s.create('/other', '1'); // 3
    await clock.advance(10_000);
    expect(idle).toEqual([2, 2, 3]);
    await s.close();
  });

  it('a watcher still catching up from history gets no progress until it has been offered every revision', async () => {
    const clock = new FakeClock();
    const s = createMemoryStore({ clock });
    for (let i = 0; i < 3; i++) await s.create(`/a${i}`, '1');
    const seen: string[] = [];
    s.watch('/', 2, { onEvents: (b) => seen.push(`events ${b.map((e) => e.kv.modRevision).join(',')}`), onProgress: (r) => seen.push(`progress ${r}`) });
    await clock.advance(10_000);
    await clock.advance(10_000);
    expect(seen).toEqual(['events 2,3,4', 'progress 4']);
    await s.close();
  });
});
