import { describe, expect, it } from 'vitest';
import { Pods, Services } from '../../api/resources';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { subscribeResourceList, type LiveObject } from './live-list';

const pod = (name: string, ns = 'default') => ({ metadata: { name, namespace: ns }, spec: { containers: [] } });
const names = (items: readonly LiveObject[]) => items.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const watchesOf = (api: FakeApiHandler, resource: string) => api.requests.filter((r) => r.query?.watch === 'true' && r.path.endsWith(`/${resource}`)).length;

describe('subscribeResourceList', () => {
  it('gives every view of a resource the same sorted list from one watch, coalescing a burst of events', async () => {
    const api = new FakeApiHandler();
    api.put('pods', pod('b'));
    api.put('pods', pod('a', 'kube-system'));
    const client = new ApiClient(api);
    const seenA: (readonly LiveObject[])[] = [];
    const seenB: (readonly LiveObject[])[] = [];
    const offA = subscribeResourceList(client, Pods, (items) => seenA.push(items));
    const offB = subscribeResourceList(client, Pods, (items) => seenB.push(items));
    await sleep(30);
    expect(names(seenA.at(-1)!)).toEqual(['default/b', 'kube-system/a']);
    expect(seenB.at(-1)).toBe(seenA.at(-1)); // one array for both views
    for (let i = 0; i < 20; i++) api.put('pods', pod(`p${String(i).padStart(2, '0')}`));
    await sleep(150);
    expect(names(seenA.at(-1)!)).toHaveLength(22);
    expect(names(seenA.at(-1)!).slice(0, 3)).toEqual(['default/b', 'default/p00', 'default/p01']);
    expect(seenA.length).toBeLessThanOrEqual(4); // the list, then the burst in one or two publishes, not 20
    expect(watchesOf(api, 'pods')).toBe(1);
    // A view that arrives later gets the current list at once, still from the same watch.
    let late: readonly LiveObject[] = [];
    const offC = subscribeResourceList(client, Pods, (items) => (late = items));
    expect(late).toBe(seenA.at(-1));
    offA();
    offB();
    offC();
    expect(api.openWatches).toBe(1); // lingers for a remount
    await sleep(1100);
    expect(api.openWatches).toBe(0);
  });

  it('keeps unchanged objects identical across publishes and follows deletes', async () => {
    const api = new FakeApiHandler();
    api.put('pods', pod('a'));
    api.put('pods', pod('b'));
    const client = new ApiClient(api);
    let items: readonly LiveObject[] = [];
    const off = subscribeResourceList(client, Pods, (next) => (items = next));
    await sleep(30);
    const [a] = items;
    api.put('pods', { ...pod('b'), spec: { containers: [{ name: 'x' }] } } as never);
    api.remove('pods', 'default', 'a');
    api.put('pods', pod('c'));
    await sleep(150);
    expect(names(items)).toEqual(['default/b', 'default/c']);
    expect(items).not.toContain(a);
    const svcs: string[][] = [];
    const offSvc = subscribeResourceList(client, Services, (next) => svcs.push(names(next)));
    await sleep(30);
    expect(svcs.at(-1)).toEqual([]);
    expect(watchesOf(api, 'services')).toBe(1);
    off();
    offSvc();
  });
});
