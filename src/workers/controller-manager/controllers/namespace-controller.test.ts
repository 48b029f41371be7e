import { describe, expect, it } from 'vitest';
import type { Namespace } from 'kubernetes-types/core/v1';
import { Events, FakeClock, Pods, seededIds } from '../../../api';
import { ApiClient } from '../../../client/api-client';
import { FakeApiHandler } from '../../../client/testing/fake-api-handler';
import { startControllerManager } from '../controller-manager';
import { namespaceController } from './namespace-controller';

describe('namespace-controller', () => {
  it('empties a terminating namespace, then removes the kubernetes finalizer via /finalize', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    api.put('namespaces', { metadata: { name: 'keep' }, spec: { finalizers: ['kubernetes'] } });
    api.put('namespaces', { metadata: { name: 'demo', deletionTimestamp: '2026-01-01T00:00:00Z' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Terminating' } });
    api.put('pods', { metadata: { name: 'a', namespace: 'demo' }, spec: {} });
    api.put('pods', { metadata: { name: 'b', namespace: 'keep' }, spec: {} });
    api.put('events', { metadata: { name: 'a.1', namespace: 'demo' } });
    const cm = startControllerManager({ client: new ApiClient(api), clock, ids: seededIds(), controllers: [namespaceController(async () => [Pods, Events])] });
    await cm.ready;
    await clock.advance(10);
    expect(api.list('pods').map((p) => p.metadata.name)).toEqual(['b']);
    expect(api.list('events')).toHaveLength(0);
    expect((api.get('namespaces', undefined, 'demo') as unknown as Namespace).spec?.finalizers).toEqual(['kubernetes']);
    await clock.advance(2_000);
    const fin = api.requests.find((r) => r.path === '/api/v1/namespaces/demo/finalize')!;
    expect(fin.method).toBe('PUT');
    expect((api.get('namespaces', undefined, 'demo') as unknown as Namespace).spec?.finalizers).toEqual([]);
    expect((api.get('namespaces', undefined, 'keep') as unknown as Namespace).spec?.finalizers).toEqual(['kubernetes']);
    cm.dispose();
  });
});
