import { describe, expect, it, beforeEach } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type ApiResponse, type WatchEvent } from '../../api';
import { createMemoryStore } from '../../storage';
import type { MvccStore } from '../../storage';
import { createApiServer, type ApiServer } from './index';

let clock: FakeClock;
let store: MvccStore;
let api: ApiServer;

beforeEach(async () => {
  clock = new FakeClock();
  store = createMemoryStore();
  api = await createApiServer({ store, clock, ids: seededIds(3) });
});

const call = (req: Partial<ApiRequest> & { path: string }): Promise<ApiResponse> => api.request({ method: 'GET', ...req });
async function createPod(name: string, labels: Record<string, string> = {}, ns = 'default') {
  const res = await call({ method: 'POST', path: `/api/v1/namespaces/${ns}/pods`, body: { metadata: { name, labels }, spec: { containers: [{ name: 'c', image: 'i' }] } } });
  expect(res.status).toBe(201);
  return res.body as any;
}
const names = (res: ApiResponse) => ((res.body as any).items as any[]).map((i) => i.metadata.name);

async function openWatch(path: string, query: Record<string, string>) {
  const open = await api.stream({ method: 'GET', path, query: { watch: 'true', ...query } });
  expect(open.status).toBe(200);
  const events: WatchEvent<any>[] = [];
  let ended = false;
  const pump = (async () => {
    for (;;) {
      const batch = await api.read(open.streamId!);
      if (batch === null) {
        ended = true;
        return;
      }
      events.push(...(batch as WatchEvent<any>[]));
    }
  })();
  return { id: open.streamId!, events, ended: () => ended, pump };
}
const settle = () => clock.advance(0);

describe('list', () => {
  it('filters by label selector operators', async () => {
    await createPod('a', { app: 'web', tier: 'fe' });
    await createPod('b', { app: 'db' });
    await createPod('c', {});
    const q = (labelSelector: string) => call({ path: '/api/v1/namespaces/default/pods', query: { labelSelector } });
    expect(names(await q('app=web'))).toEqual(['a']);
    expect(names(await q('app!=web'))).toEqual(['b', 'c']);
    expect(names(await q('app in (web,db)'))).toEqual(['a', 'b']);
    expect(names(await q('app notin (web)'))).toEqual(['b', 'c']);
    expect(names(await q('app'))).toEqual(['a', 'b']);
    expect(names(await q('!app'))).toEqual(['c']);
  });

  it('filters by field selector and rejects unsupported fields', async () => {
    await createPod('a');
    await createPod('b');
    await call({ method: 'POST', path: '/api/v1/namespaces/default/pods/b/binding', body: { metadata: { name: 'b' }, target: { name: 'n1' } } });
    expect(names(await call({ path: '/api/v1/pods', query: { fieldSelector: 'spec.nodeName=n1' } }))).toEqual(['b']);
    expect(names(await call({ path: '/api/v1/pods', query: { fieldSelector: 'spec.nodeName=' } }))).toEqual(['a']);
    expect(names(await call({ path: '/api/v1/pods', query: { fieldSelector: 'metadata.name!=a,status.phase=Pending' } }))).toEqual(['b']);
    const bad = await call({ path: '/api/v1/pods', query: { fieldSelector: 'spec.foo=x' } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ reason: 'BadRequest', message: 'field label not supported: spec.foo' });
    const nsBad = await call({ path: '/api/v1/namespaces', query: { fieldSelector: 'metadata.namespace=x' } });
    expect((nsBad.body as any).message).toBe('field label not supported: metadata.namespace');
  });

  it('lists across namespaces at /api/v1/pods with items lacking kind', async () => {
    await call({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'other' } } });
    await createPod('x', {}, 'other');
    await createPod('y');
    const res = await call({ path: '/api/v1/pods' });
    expect((res.body as any).kind).toBe('PodList');
    expect(((res.body as any).items as any[]).map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(['default/y', 'other/x']);
    expect((res.body as any).items[0].kind).toBeUndefined();
    expect((res.body as any).metadata.resourceVersion).toBe(String(store.currentRevision()));
  });

  it('pages with limit and continue at a consistent revision', async () => {
    for (const n of ['p1', 'p2', 'p3', 'p4', 'p5']) await createPod(n);
    const first = (await call({ path: '/api/v1/namespaces/default/pods', query: { limit: '2' } })).body as any;
    expect(first.items.map((i: any) => i.metadata.name)).toEqual(['p1', 'p2']);
    expect(first.metadata.remainingItemCount).toBe(3);
    const token = JSON.parse(Buffer.from(first.metadata.continue, 'base64url').toString());
    expect(token).toEqual({ v: 'meta.k8s.io/v1', rv: Number(first.metadata.resourceVersion), start: 'p2\u0000' });
    await createPod('p0');
    const second = (await call({ path: '/api/v1/namespaces/default/pods', query: { limit: '2', continue: first.metadata.continue } })).body as any;
    expect(second.items.map((i: any) => i.metadata.name)).toEqual(['p3', 'p4']);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    const third = (await call({ path: '/api/v1/namespaces/default/pods', query: { limit: '2', continue: second.metadata.continue } })).body as any;
    expect(third.items.map((i: any) => i.metadata.name)).toEqual(['p5']);
    expect(third.metadata.continue).toBeUndefined();
    const bad = await call({ path: '/api/v1/namespaces/default/pods', query: { continue: '!!' } });
    expect(bad.status).toBe(400);
  });
});

describe('watch', () => {
  it('from resourceVersion sees later events once, in order', async () => {
    const a = await createPod('a');
    const w = await openWatch('/api/v1/namespaces/default/pods', { resourceVersion: a.metadata.resourceVersion });
    await createPod('b');
    const upd = { ...a, metadata: { ...a.metadata, labels: { x: 'y' } } };
    await call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/a', body: upd });
    await call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/b' });
    await settle();
    expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED b', 'MODIFIED a', 'DELETED b']);
    const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
    expect(w.events[0].object.kind).toBe('Pod');
    await api.cancel(w.id);
    await w.pump;
    expect(w.ended()).toBe(true);
  });

  it('with resourceVersion "" or 0 starts with ADDED for existing objects', async () => {
    await createPod('a');
    await createPod('b');
    const w = await openWatch('/api/v1/namespaces/default/pods', {});
    await createPod('c');
    await settle();
    expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED a', 'ADDED b', 'ADDED c']);
    await api.cancel(w.id);
  });

  it('applies selectors: objects entering match are ADDED, leaving are DELETED', async () => {
    const p = await createPod('a', { app: 'x' });
    const w = await openWatch('/api/v1/namespaces/default/pods', { labelSelector: 'app=web', resourceVersion: p.metadata.resourceVersion });
    const put = async (labels: Record<string, string>) => {
      const cur = (await call({ path: '/api/v1/namespaces/default/pods/a' })).body as any;
      cur.metadata.labels = labels;
      expect((await call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/a', body: cur })).status).toBe(200);
    };
    await put({ app: 'web' });
    await put({ app: 'web', v: '2' });
    await put({ app: 'other' });
    await put({ app: 'nope' });
    await settle();
    expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    await api.cancel(w.id);
  });

  it('sends an ERROR 410 for a compacted resourceVersion', async () => {
    await createPod('a');
    await createPod('b');
    await store.compact(store.currentRevision());
    const w = await openWatch('/api/v1/namespaces/default/pods', { resourceVersion: '1' });
    await w.pump;
    expect(w.events).toHaveLength(1);
    expect(w.events[0].type).toBe('ERROR');
    expect(w.events[0].object).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
    expect(w.events[0].object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
  });

  it('sends periodic bookmarks when allowed and ends at timeoutSeconds', async () => {
    const w = await openWatch('/api/v1/nodes', { allowWatchBookmarks: 'true', timeoutSeconds: '150' });
    await call({ method: 'POST', path: '/api/v1/nodes', body: { metadata: { name: 'n1' } } });
    await clock.advance(60_000);
    const bm = w.events.find((e) => e.type === 'BOOKMARK');
    expect(bm?.object).toEqual({ kind: 'Node', apiVersion: 'v1', metadata: { resourceVersion: String(store.currentRevision()) } });
    await clock.advance(100_000);
    await w.pump;
    expect(w.ended()).toBe(true);
  });

  it('turns store progress notifications into bookmarks that move past writes the watch does not see', async () => {
    const progressStore = createMemoryStore({ clock });
    const progressApi = await createApiServer({ store: progressStore, clock, ids: seededIds(4) });
    const open = await progressApi.stream({ method: 'GET', path: '/api/v1/namespaces/kube-system/pods', query: { watch: 'true', allowWatchBookmarks: 'true' } });
    for (const name of ['a', 'b']) {
      const res = await progressApi.request({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { metadata: { name }, spec: { containers: [{ name: 'c', image: 'i' }] } } });
      expect(res.status).toBe(201);
    }
    await clock.advance(60_000);
    const batch = (await progressApi.read(open.streamId!)) as WatchEvent<any>[];
    expect(batch.map((e) => e.type)).toEqual(['BOOKMARK']);
    expect(batch[0].object.metadata.resourceVersion).toBe(String(progressStore.currentRevision()));
    await progressApi.cancel(open.streamId!);
    progressApi.dispose();
  });

  it('watches a single object by name', async () => {
    const a = await createPod('a');
    const w = await openWatch('/api/v1/namespaces/default/pods', { fieldSelector: 'metadata.name=a', resourceVersion: a.metadata.resourceVersion });
    await createPod('b');
    await call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/a' });
    await settle();
    expect(w.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['DELETED a']);
    await api.cancel(w.id);
  });
});
