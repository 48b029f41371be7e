import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiHandler, type WatchEvent } from '../../api';
import { ApiClient } from '../../client/api-client';
import { Pods } from '../../api/resources';
import { createMemoryStore } from '../../storage';
import { createApiServer } from './index';

/** What Comlink does to every argument and answer: a structured clone (throws on functions, classes lose prototypes). */
function overPostMessage(h: ApiHandler): ApiHandler {
  const hop = <T>(v: T): T => structuredClone(v);
  return {
    request: async (req) => hop(await h.request(hop(req))),
    stream: async (req) => hop(await h.stream(hop(req))),
    read: async (id) => hop(await h.read(hop(id))),
    cancel: async (id) => hop(await h.cancel(hop(id))),
  };
}

describe('the handler over a structured-clone transport', () => {
  it('serves create, get, list, errors and watch through ApiClient', async () => {
    const clock = new FakeClock();
    const api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(4) });
    const client = new ApiClient(overPostMessage(api));
    const pod = await client.create<any>(Pods, { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    expect(pod.metadata.uid).toBeTruthy();
    const events: WatchEvent<any>[] = [];
    const sub = client.watch<any>(Pods, 'default', { resourceVersion: pod.metadata.resourceVersion }, { onEvent: (e) => events.push(e) });
    await client.patch(Pods, 'p', 'default', 'merge', { metadata: { labels: { a: 'b' } } });
    const list = await client.list<any>(Pods, 'default');
    expect(list.items.map((i) => i.metadata.name)).toEqual(['p']);
    await expect(client.get(Pods, 'nope', 'default')).rejects.toMatchObject({ code: 404, reason: 'NotFound' });
    await clock.advance(0);
    expect(events.map((e) => e.type)).toEqual(['MODIFIED']);
    sub.dispose();
    api.dispose();
  });
});
