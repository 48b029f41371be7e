import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../../api';
import { createMemoryStore } from '../../../storage';
import { createApiServer } from '../api-server';

describe('decoding request bodies', () => {
  it('refuses a label or annotation that is not a string, as kube-apiserver’s decoder does', async () => {
    const clock = new FakeClock();
    const api = await createApiServer({ store: createMemoryStore({ clock }), clock, ids: seededIds(3) });
    const res = await api.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { x: true } } },
    });
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal bool into Go struct field ObjectMeta.metadata.annotations of type string',
    );
    const ok = await api.request({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'y', labels: { app: 'web' } } } });
    expect(ok.status).toBe(201);
    api.dispose();
  });
});
