import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type ApiResponse } from '../../../api';
import { createMemoryStore, type Store } from '../../../storage';
import { createApiServer } from '../index';

/** A store whose next `lose` compare-and-swaps on a ConfigMap fail, as when controllers write in a burst. */
function racyStore(clock: FakeClock): { store: Store; lose: (n: number) => void } {
  const store = createMemoryStore({ clock });
  let losing = 0;
  const racy = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== 'update') return Reflect.get(target, prop, receiver);
      return (key: string, value: string, rev: number, lease?: number) =>
        key.includes('configmaps') && losing-- > 0 ? target.update(key, value, rev - 1, lease) : target.update(key, value, rev, lease);
    },
  });
  return { store: racy, lose: (n) => (losing = n) };
}

describe('writes that pin no resourceVersion are re-run on the latest object after a lost store race', () => {
  it('apply, merge patch, scale-free PUT survive a burst of races; a PUT with resourceVersion is 409', async () => {
    const clock = new FakeClock();
    const { store, lose } = racyStore(clock);
    const api = await createApiServer({ store, clock, ids: seededIds(5) });
    const call = (req: Partial<ApiRequest> & { path: string }): Promise<ApiResponse> => api.request({ method: 'GET', ...req });
    const path = '/api/v1/namespaces/default/configmaps/c';
    const cm = (v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: v } });
    expect((await call({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: cm('0') })).status).toBe(201);

    lose(12);
    const applied = await call({ method: 'PATCH', path, query: { fieldManager: 'm', force: 'true' }, contentType: 'application/apply-patch+yaml', body: JSON.stringify(cm('1')) });
    expect(applied.body).toMatchObject({ data: { k: '1' } });
    expect(applied.status).toBe(200);
    lose(12);
    expect((await call({ method: 'PATCH', path, contentType: 'application/merge-patch+json', body: { data: { k: '2' } } })).status).toBe(200);
    lose(12);
    expect((await call({ method: 'PUT', path, body: cm('3') })).status).toBe(200);
    expect(((await call({ path })).body as { data: { k: string } }).data.k).toBe('3');

    const live = (await call({ path })).body as { metadata: { resourceVersion: string } };
    lose(1);
    const pinned = await call({ method: 'PUT', path, body: { ...cm('4'), metadata: { name: 'c', resourceVersion: live.metadata.resourceVersion } } });
    expect(pinned.status).toBe(409);
    expect((pinned.body as { reason: string }).reason).toBe('Conflict');
    api.dispose();
    await store.close();
  });
});
