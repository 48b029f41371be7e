import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { openIdbStore } from '../../storage';
import { createApiServer } from './index';

describe('apiserver on the IndexedDB store', () => {
  it('keeps objects and resourceVersions across a restart and does not re-bootstrap', async () => {
    const clock = new FakeClock();
    let store = await openIdbStore({ name: 'apiserver-restart-test', clock });
    let api = await createApiServer({ store, clock, ids: seededIds(1) });
    const created = (await api.request({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } } })).body as any;
    const nsBefore = (await api.request({ method: 'GET', path: '/api/v1/namespaces/default' })).body as any;
    api.dispose();
    await store.close();

    store = await openIdbStore({ name: 'apiserver-restart-test', clock });
    api = await createApiServer({ store, clock, ids: seededIds(2) });
    const got = (await api.request({ method: 'GET', path: '/api/v1/namespaces/default/pods/p' })).body as any;
    expect(got.metadata.uid).toBe(created.metadata.uid);
    expect(got.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const nsAfter = (await api.request({ method: 'GET', path: '/api/v1/namespaces/default' })).body as any;
    expect(nsAfter.metadata.uid).toBe(nsBefore.metadata.uid);
    api.dispose();
    await store.close();
  });
});
