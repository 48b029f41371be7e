import type { ConfigMap, Pod, Secret } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api';
import { ConfigMaps, Secrets } from '../../api/resources';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { PodObjectCache, podObjectKeys } from './pod-object-cache';

const settle = async (ms = 0) => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, ms));
};

const pod = (uid: string, spec: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name: uid, namespace: 'default', uid },
  spec: {
    containers: [{ name: 'c', image: 'busybox', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 's', key: 'p' } } }] }],
    volumes: [{ name: 'cfg', configMap: { name: 'cm' } }],
    ...spec,
  },
});

function fixture() {
  const api = new FakeApiHandler();
  const clock = new FakeClock();
  const changes: string[] = [];
  const cache = new PodObjectCache(new ApiClient(api), clock, (k) => changes.push(k));
  return { api, clock, cache, changes };
}

describe('podObjectKeys', () => {
  it('names the ConfigMaps and Secrets of volumes, projected sources, env and envFrom of every container', () => {
    const p = pod('u', {
      volumes: [{ name: 'a', configMap: { name: 'cm1' } }, { name: 'b', secret: { secretName: 's1' } }, { name: 'c', projected: { sources: [{ configMap: { name: 'cm2' } }, { secret: { name: 's2' } }, { serviceAccountToken: { path: 't' } }] } }, { name: 'd', emptyDir: {} }],
      initContainers: [{ name: 'i', envFrom: [{ configMapRef: { name: 'cm3' } }, { secretRef: { name: 's3' } }] }],
      ephemeralContainers: [{ name: 'e', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm4', key: 'k' } } }] }],
    });
    expect([...podObjectKeys(p)].sort()).toEqual(['configmaps/default/cm1', 'configmaps/default/cm2', 'configmaps/default/cm3', 'configmaps/default/cm4', 'secrets/default/s', 'secrets/default/s1', 'secrets/default/s2', 'secrets/default/s3']);
  });
});

describe('PodObjectCache', () => {
  it('watches each referenced object once while a registered pod references it; reads never GET', async () => {
    const { api, cache, changes } = fixture();
    api.put('configmaps', { metadata: { name: 'cm', namespace: 'default' }, data: { k: 'v1' } });
    api.put('configmaps', { metadata: { name: 'other', namespace: 'default' }, data: { k: 'x' } });
    cache.register(pod('u1'));
    cache.register(pod('u2'));
    expect(cache.watchCount()).toBe(2);
    expect((await cache.get<ConfigMap>(ConfigMaps, 'default', 'cm'))?.data).toEqual({ k: 'v1' });
    expect(await cache.get<Secret>(Secrets, 'default', 's')).toBeUndefined();
    const lists = api.requests.filter((r) => r.method === 'GET' && !r.query?.watch);
    expect(lists.map((r) => `${r.path}?${r.query?.fieldSelector}`).sort()).toEqual(['/api/v1/namespaces/default/configmaps?metadata.name=cm', '/api/v1/namespaces/default/secrets?metadata.name=s']);

    api.put('configmaps', { metadata: { name: 'cm', namespace: 'default' }, data: { k: 'v2' } });
    api.put('configmaps', { metadata: { name: 'other', namespace: 'default' }, data: { k: 'y' } });
    api.put('secrets', { metadata: { name: 's', namespace: 'default' }, data: { p: 'cA==' } });
    await settle();
    expect(changes.sort()).toEqual(['configmaps/default/cm', 'secrets/default/s']);
    for (let i = 0; i < 5; i++) expect((await cache.get<ConfigMap>(ConfigMaps, 'default', 'cm'))?.data).toEqual({ k: 'v2' });
    expect((await cache.get<Secret>(Secrets, 'default', 's'))?.data).toEqual({ p: 'cA==' });
    expect(api.requests.filter((r) => r.method === 'GET' && !r.query?.watch)).toHaveLength(2);

    cache.unregister('u1');
    expect(cache.watchCount()).toBe(2);
    cache.register({ ...pod('u2'), spec: { containers: [{ name: 'c' }], volumes: [{ name: 'cfg', configMap: { name: 'cm' } }] } });
    expect(cache.watchCount()).toBe(1);
    cache.unregister('u2');
    expect(cache.watchCount()).toBe(0);
    await settle();
    expect(api.openWatches).toBe(0);
    await expect(cache.get(Secrets, 'default', 's')).rejects.toThrow('object "default"/"s" not registered');
    cache.dispose();
  });

  it('stops watching an immutable object and keeps serving it', async () => {
    const { api, cache } = fixture();
    api.put('configmaps', { metadata: { name: 'cm', namespace: 'default' }, data: { k: 'v1' }, immutable: true });
    cache.register(pod('u1', { containers: [{ name: 'c' }] }));
    expect((await cache.get<ConfigMap>(ConfigMaps, 'default', 'cm'))?.data).toEqual({ k: 'v1' });
    expect(cache.watchCount()).toBe(0);
    expect((await cache.get<ConfigMap>(ConfigMaps, 'default', 'cm'))?.data).toEqual({ k: 'v1' });
    cache.dispose();
  });

  it("fails a read whose object's first list does not finish in time with kube's words", async () => {
    const { api, clock, cache } = fixture();
    api.intercept = (req) => (req.method === 'GET' && !req.query?.watch ? { status: 500, body: { kind: 'Status', message: 'etcd down' } } : undefined);
    cache.register(pod('u1'));
    const read = cache.get(Secrets, 'default', 's');
    const failed = expect(read).rejects.toThrow('failed to sync secret cache: timed out waiting for the condition');
    await settle();
    await clock.advance(10_000);
    await failed;
    cache.dispose();
  });
});
