import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { FakeClock, Pods } from '../api';
import { ApiClient } from './api-client';
import { createSharedInformer, SharedInformerFactory } from './informer';
import { FakeApiHandler } from './testing/fake-api-handler';

const pod = (name: string, labels: Record<string, string> = {}, ns = 'default') => ({ metadata: { name, namespace: ns, labels }, spec: { containers: [] } });

function record() {
  const log: string[] = [];
  return {
    log,
    handler: {
      onAdd: (o: Pod, initial: boolean) => log.push(`add ${o.metadata!.name}${initial ? ' (initial)' : ''}`),
      onUpdate: (a: Pod, b: Pod) => log.push(`update ${b.metadata!.name} ${a.metadata!.resourceVersion}->${b.metadata!.resourceVersion}`),
      onDelete: (o: Pod) => log.push(`delete ${o.metadata!.name}`),
    },
  };
}

async function settle(clock: FakeClock) {
  await clock.advance(0);
}

describe('SharedInformer', () => {
  it('lists, syncs, then follows the watch', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    api.put('pods', pod('a'));
    const inf = createSharedInformer<Pod>(new ApiClient(api), clock, Pods);
    const r = record();
    inf.addEventHandler(r.handler);
    expect(inf.hasSynced()).toBe(false);
    inf.run();
    await inf.synced();
    expect(inf.hasSynced()).toBe(true);
    expect(r.log).toEqual(['add a (initial)']);
    const watchReq = api.requests.find((q) => q.query?.watch === 'true');
    expect(watchReq?.query).toMatchObject({ resourceVersion: '2', allowWatchBookmarks: 'true' });

    api.put('pods', pod('b', { app: 'web' }));
    api.put('pods', { ...pod('a'), spec: { containers: [], nodeName: 'n1' } });
    api.remove('pods', 'default', 'b');
    await settle(clock);
    expect(r.log).toEqual(['add a (initial)', 'add b', 'update a 2->4', 'delete b']);
    expect(inf.lister().list().map((p) => p.metadata!.name)).toEqual(['a']);
    expect(inf.lister().get('default/a')?.spec?.nodeName).toBe('n1');
    expect(inf.lastSyncResourceVersion()).toBe('5');
    inf.dispose();
    await settle(clock);
    expect(api.openWatches).toBe(0);
  });

  it('replays the cache to late handlers and stops calling disposed ones', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    api.put('pods', pod('a'));
    api.put('pods', pod('b'));
    const inf = createSharedInformer<Pod>(new ApiClient(api), clock, Pods);
    inf.run();
    await inf.synced();
    const r = record();
    const sub = inf.addEventHandler(r.handler);
    expect(r.log).toEqual(['add a (initial)', 'add b (initial)']);
    sub.dispose();
    api.put('pods', pod('c'));
    await settle(clock);
    expect(r.log).toHaveLength(2);
    expect(inf.lister().get('default/c')).toBeDefined();
    inf.dispose();
  });

  it('re-watches from the last seen resourceVersion when the watch closes', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    const inf = createSharedInformer<Pod>(new ApiClient(api), clock, Pods);
    const r = record();
    inf.addEventHandler(r.handler);
    inf.run();
    await inf.synced();
    api.put('pods', pod('a'));
    await settle(clock);
    api.bookmark();
    await settle(clock);
    api.closeWatches();
    api.put('pods', pod('b')); // happens while no watch is open
    await settle(clock);
    const watches = api.requests.filter((q) => q.query?.watch === 'true');
    expect(watches.map((w) => w.query?.resourceVersion)).toEqual(['1', '2']);
    expect(r.log).toEqual(['add a', 'add b']);
    expect(api.requests.filter((q) => q.method === 'GET' && !q.query?.watch)).toHaveLength(1);
    inf.dispose();
  });

  it('relists on 410 Gone and emits the diff, deletes carrying the last known object', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    api.put('pods', pod('keep'));
    api.put('pods', pod('change'));
    api.put('pods', pod('gone', { last: 'known' }));
    const inf2 = createSharedInformer<Pod>(new ApiClient(api), clock, Pods);
    const r2 = record();
    const deleted2: Pod[] = [];
    inf2.addEventHandler({ ...r2.handler, onDelete: (o) => deleted2.push(o) });
    inf2.run();
    await inf2.synced();
    // The watch expires while the world changes behind it.
    api.expireWatches();
    api.put('pods', { ...pod('change'), spec: { containers: [], nodeName: 'x' } });
    api.remove('pods', 'default', 'gone');
    api.put('pods', pod('new'));
    await settle(clock);
    expect(r2.log).toEqual(['add change (initial)', 'add gone (initial)', 'add keep (initial)', 'update change 3->5', 'add new']);
    expect(deleted2.map((p) => p.metadata!.labels)).toEqual([{ last: 'known' }]);
    expect(inf2.lister().list().map((p) => p.metadata!.name)).toEqual(['change', 'keep', 'new']);
    inf2.dispose();
  });

  it('retries a failed list with backoff on the clock', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    let fail = 2;
    const flaky = {
      request: (req: Parameters<FakeApiHandler['request']>[0]) => (fail-- > 0 ? Promise.resolve({ status: 503, body: { kind: 'Status', code: 503, message: 'down' } }) : api.request(req)),
      stream: api.stream.bind(api),
      read: api.read.bind(api),
      cancel: api.cancel.bind(api),
    };
    api.put('pods', pod('a'));
    const inf = createSharedInformer<Pod>(new ApiClient(flaky), clock, Pods);
    inf.run();
    await settle(clock);
    expect(inf.hasSynced()).toBe(false);
    await clock.advance(800);
    expect(inf.hasSynced()).toBe(false);
    await clock.advance(1600);
    expect(inf.hasSynced()).toBe(true);
    expect(inf.lister().list()).toHaveLength(1);
    inf.dispose();
  });

  it('lister filters by namespace and label selector; selectors pass through to the server', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    api.put('pods', pod('a', { app: 'web', tier: 'fe' }));
    api.put('pods', pod('b', { app: 'db' }));
    api.put('pods', pod('c', { app: 'web' }, 'other'));
    const factory = new SharedInformerFactory(new ApiClient(api), clock);
    const all = factory.informerFor<Pod>(Pods);
    expect(factory.informerFor<Pod>(Pods)).toBe(all);
    const web = factory.informerFor<Pod>(Pods, { labelSelector: 'app=web' });
    expect(web).not.toBe(all);
    factory.start();
    await factory.waitForCacheSync();
    const names = (ps: Pod[]) => ps.map((p) => p.metadata!.name);
    expect(names(all.lister().list('default'))).toEqual(['a', 'b']);
    expect(names(all.lister().list(undefined, 'app in (web),tier'))).toEqual(['a']);
    expect(names(all.lister().list(undefined, 'app!=web'))).toEqual(['b']);
    expect(names(web.lister().list())).toEqual(['a', 'c']);
    factory.dispose();
    await settle(clock);
    expect(api.openWatches).toBe(0);
  });
});
