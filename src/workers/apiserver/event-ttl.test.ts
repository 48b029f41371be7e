import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type ApiResponse } from '../../api';
import { createMemoryStore } from '../../storage';
import { createApiServer } from './index';

const event = (name: string, message: string) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name, namespace: 'default' },
  involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
  reason: 'Test',
  message,
  type: 'Normal',
});

describe('Events expire after 1 h (kube-apiserver --event-ttl)', () => {
  it('a created Event is gone after 1 h of cluster time; an updated one lives 1 h from its update; other objects stay', async () => {
    const clock = new FakeClock();
    const store = createMemoryStore({ clock });
    const api = await createApiServer({ store, clock, ids: seededIds(3) });
    const call = (req: Partial<ApiRequest> & { path: string }): Promise<ApiResponse> => api.request({ method: 'GET', ...req });
    const events = '/api/v1/namespaces/default/events';
    expect((await call({ method: 'POST', path: events, body: event('early', 'one') })).status).toBe(201);
    expect((await call({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stays' } } })).status).toBe(201);
    await clock.advance(30 * 60_000);
    expect((await call({ method: 'POST', path: events, body: event('late', 'two') })).status).toBe(201);
    const late = (await call({ path: `${events}/late` })).body as Record<string, unknown>;
    expect((await call({ method: 'PUT', path: `${events}/late`, body: { ...late, message: 'updated' } })).status).toBe(200);
    await clock.advance(31 * 60_000 + 60_000); // past early's 1 h (+ up to 60 s of lease reuse)
    expect((await call({ path: `${events}/early` })).status).toBe(404);
    expect((await call({ path: `${events}/late` })).status).toBe(200);
    await clock.advance(30 * 60_000);
    const list = (await call({ path: events })).body as { items: unknown[] };
    expect(list.items).toEqual([]);
    expect((await call({ path: '/api/v1/namespaces/default/configmaps/stays' })).status).toBe(200);
    api.dispose();
    await store.close();
  });
});
