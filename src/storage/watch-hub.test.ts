import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './create-memory-store';
import type { StoreEvent } from './store';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('WatchHub fan-out', () => {
  it('watchers caught up to the same revision share each event object; each gets only its prefix, in order, once', async () => {
    const s = createMemoryStore();
    const got = new Map<string, StoreEvent[]>();
    const watch = (name: string, prefix: string, start = 0) => {
      got.set(name, []);
      return s.watch(prefix, start, { onEvents: (evs) => got.get(name)!.push(...evs) });
    };
    watch('all', '/');
    watch('pods', '/registry/pods/');
    watch('pods2', '/registry/pods/');
    watch('ns', '/registry/namespaces/');
    await tick();
    await s.create('/registry/pods/default/a', '1');
    await s.txn({ success: [{ type: 'put', key: '/registry/pods/default/b', value: '2' }, { type: 'put', key: '/registry/namespaces/x', value: '3' }] });
    const a = await s.update('/registry/pods/default/a', '4', 2);
    expect(a.ok).toBe(true);
    // a watcher that starts behind the others reads its own range
    watch('late', '/registry/pods/', 2);
    await tick();
    const keys = (n: string) => got.get(n)!.map((e) => `${e.kv.key}@${e.kv.modRevision}`);
    expect(keys('all')).toEqual(['/registry/pods/default/a@2', '/registry/pods/default/b@3', '/registry/namespaces/x@3', '/registry/pods/default/a@4']);
    expect(keys('pods')).toEqual(['/registry/pods/default/a@2', '/registry/pods/default/b@3', '/registry/pods/default/a@4']);
    expect(keys('ns')).toEqual(['/registry/namespaces/x@3']);
    expect(keys('late')).toEqual(keys('pods'));
    expect(got.get('pods')![2].prevKv).toMatchObject({ value: '1', modRevision: 2 });
    // one StoreEvent per record for every watcher pumped together
    got.get('pods')!.forEach((e, i) => expect(got.get('pods2')![i]).toBe(e));
    expect(got.get('all')![3]).toBe(got.get('pods')![2]);
    await s.close();
  });
});
