import { describe, expect, it } from 'vitest';
import { FakeClock, Pods, seededIds, type ApiRequest, type WatchEvent } from '../../../api';
import { ApiClient } from '../../../client/api-client';
import { createMemoryStore } from '../../../storage';
import { createApiServer, type ApiServer } from '../index';

const NS = '/api/v1/namespaces/default';

const stores = new WeakMap<ApiServer, ReturnType<typeof createMemoryStore>>();
async function server(shareWatchObjects: boolean): Promise<ApiServer> {
  const store = createMemoryStore();
  const api = await createApiServer({ store, clock: new FakeClock(), ids: seededIds(5), shareWatchObjects });
  stores.set(api, store);
  return api;
}

/** Opens a pods watch and collects its raw chunks until `stop`. */
async function rawWatch(api: ApiServer, req: Partial<ApiRequest> & { query?: Record<string, string> }) {
  const open = await api.stream({ method: 'GET', path: `${NS}/pods`, ...req, query: { watch: 'true', ...req.query } });
  expect(open.status).toBe(200);
  const chunks: unknown[] = [];
  void (async () => {
    for (let b = await api.read(open.streamId!); b; b = await api.read(open.streamId!)) chunks.push(...b);
  })();
  return { chunks, stop: () => api.cancel(open.streamId!) };
}

/** Creates, binds (node n1), relabels (stops matching app=a), and deletes pod p. */
async function lifecycle(api: ApiServer): Promise<void> {
  const ok = async (req: ApiRequest) => expect((await api.request(req)).status).toBeLessThan(300);
  await ok({ method: 'POST', path: `${NS}/pods`, body: { metadata: { name: 'p', labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
  await ok({ method: 'POST', path: `${NS}/pods/p/binding`, body: { metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } } });
  await ok({ method: 'PATCH', path: `${NS}/pods/p`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { app: 'b' } } } });
  await ok({ method: 'DELETE', path: `${NS}/pods/p`, body: { gracePeriodSeconds: 0 } });
  await new Promise((r) => setTimeout(r, 10));
}

describe('watch events as JSON text (watchEventsAsJson)', () => {
  it('a server whose answers are cloned sends each event as its JSON text, equal to the object event', async () => {
    const api = await server(true);
    const plain = await rawWatch(api, {});
    const json = await rawWatch(api, { watchEventsAsJson: true });
    const selected = await rawWatch(api, { watchEventsAsJson: true, query: { labelSelector: 'app=a' } });
    const selectedPlain = await rawWatch(api, { query: { labelSelector: 'app=a' } });
    const onNode = await rawWatch(api, { watchEventsAsJson: true, query: { fieldSelector: 'spec.nodeName=n1' } });
    await lifecycle(api);
    expect(plain.chunks.map((c) => typeof c)).toEqual(['object', 'object', 'object', 'object']);
    expect(json.chunks.every((c) => typeof c === 'string')).toBe(true);
    expect(json.chunks.map((c) => JSON.parse(c as string))).toEqual(plain.chunks);
    // selectors: ADDED, MODIFIED (bound), DELETED when the label stops matching, with the object's new state
    const sel = selected.chunks.map((c) => JSON.parse(c as string) as WatchEvent<any>);
    expect(sel.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(sel[2].object.metadata.labels).toEqual({ app: 'b' });
    expect(sel).toEqual(selectedPlain.chunks);
    const node = onNode.chunks.map((c) => JSON.parse(c as string) as WatchEvent<any>);
    expect(node.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
    expect(node[0].object).toMatchObject({ kind: 'Pod', apiVersion: 'v1', spec: { nodeName: 'n1' } });
    expect(Number(node[2].object.metadata.resourceVersion)).toBeGreaterThan(Number(node[1].object.metadata.resourceVersion));
    for (const w of [plain, json, selected, selectedPlain, onNode]) await w.stop();
    api.dispose();
  });

  it('objects stay objects for Tables, ERROR events and in-process servers', async () => {
    const shared = await server(true);
    const table = await rawWatch(shared, { watchEventsAsJson: true, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    await lifecycle(shared);
    expect(table.chunks.length).toBeGreaterThan(0);
    expect(table.chunks.every((c) => typeof c === 'object' && (c as WatchEvent<any>).object.kind === 'Table')).toBe(true);
    await table.stop();
    const store = stores.get(shared)!;
    await store.compact(store.currentRevision());
    const expired = await rawWatch(shared, { watchEventsAsJson: true, query: { resourceVersion: '2' } });
    await new Promise((r) => setTimeout(r, 10));
    expect(expired.chunks).toEqual([expect.objectContaining({ type: 'ERROR', object: expect.objectContaining({ code: 410, reason: 'Expired' }) })]);
    shared.dispose();

    const local = await server(false);
    const inProcess = await rawWatch(local, { watchEventsAsJson: true });
    await lifecycle(local);
    expect(inProcess.chunks.map((c) => typeof c)).toEqual(['object', 'object', 'object', 'object']);
    await inProcess.stop();
    local.dispose();
  });

  it('ApiClient.watch asks for JSON text and hands its handlers parsed events', async () => {
    const api = await server(true);
    const client = new ApiClient(api, 'test');
    const seen: WatchEvent<any>[] = [];
    const sub = client.watch(Pods, 'default', {}, { onEvent: (e) => void seen.push(e) });
    await new Promise((r) => setTimeout(r, 5));
    await lifecycle(api);
    expect(seen.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'MODIFIED', 'DELETED']);
    expect(seen[1].object).toMatchObject({ kind: 'Pod', metadata: { name: 'p' }, spec: { nodeName: 'n1' } });
    sub.dispose();
    api.dispose();
  });

  it('a shared server (shared decodes as answers) answers every write and read as an in-process one does', async () => {
    const answers = async (shared: boolean) => {
      const api = await server(shared);
      const watch = await rawWatch(api, { watchEventsAsJson: true, query: { labelSelector: 'app=a' } });
      const out: unknown[] = [];
      const send = async (req: ApiRequest) => out.push(structuredClone(await api.request(req)));
      await send({ method: 'POST', path: `${NS}/pods`, body: { metadata: { name: 'p', labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
      await send({ method: 'GET', path: `${NS}/pods/p` });
      await send({ method: 'POST', path: `${NS}/pods/p/binding`, body: { metadata: { name: 'p' }, target: { kind: 'Node', name: 'n1' } } });
      await send({ method: 'PUT', path: `${NS}/pods/p/status`, body: { metadata: { name: 'p' }, status: { phase: 'Running', podIP: '10.244.1.2' } } });
      await send({ method: 'PUT', path: `${NS}/pods/p/status`, body: { metadata: { name: 'p' }, status: { phase: 'Running', podIP: '10.244.1.2' } } }); // unchanged: same resourceVersion
      await send({ method: 'GET', path: `${NS}/pods/p/status` });
      await send({ method: 'PATCH', path: `${NS}/pods/p`, contentType: 'application/strategic-merge-patch+json', body: { metadata: { annotations: { x: 'y' } } } });
      await send({ method: 'GET', path: `${NS}/pods/p` });
      await watch.stop();
      api.dispose();
      return out;
    };
    const shared = await answers(true);
    expect(shared).toEqual(await answers(false));
    expect((shared[4] as { body: any }).body.metadata.resourceVersion).toBe((shared[3] as { body: any }).body.metadata.resourceVersion);
    expect((shared[7] as { body: any }).body).toMatchObject({ metadata: { annotations: { x: 'y' } }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } });
  });
});
