import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { containerEnv } from './container-env';
import { watchServices } from './service-lister';

const svc = (ns: string, name: string, ip: string, port: number) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { clusterIP: ip, ports: [{ port, protocol: 'TCP' }] } });
const pod: Pod = { metadata: { name: 'p', namespace: 'app', uid: 'u' }, spec: { containers: [] } };
const envOf = async (client: ApiClient, services: ReturnType<typeof watchServices>) =>
  Object.fromEntries((await containerEnv(client, pod, { name: 'c' }, '172.18.0.3', '10.244.1.2', undefined, undefined, services)).map((e) => [e.key, e.value]));

describe('watchServices', () => {
  it('serves service links from one watch: no request per container, later Services included once watched', async () => {
    const api = new FakeApiHandler();
    api.put('services', svc('default', 'kubernetes', '10.96.0.1', 443));
    api.put('services', svc('app', 'web', '10.96.0.20', 80));
    api.put('services', svc('other', 'db', '10.96.0.30', 5432));
    const client = new ApiClient(api);
    const services = watchServices(client, new FakeClock());
    const env = await envOf(client, services);
    expect(env).toMatchObject({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', WEB_SERVICE_HOST: '10.96.0.20', WEB_PORT: 'tcp://10.96.0.20:80' });
    expect(env.DB_SERVICE_HOST).toBeUndefined();
    const before = api.requests.length;
    api.put('services', svc('app', 'cache', '10.96.0.40', 6379));
    await new Promise((r) => setTimeout(r, 0));
    expect((await envOf(client, services)).CACHE_SERVICE_HOST).toBe('10.96.0.40');
    await envOf(client, services);
    expect(api.requests.slice(before).filter((r) => r.method === 'GET' && !r.query?.watch)).toEqual([]);
    services.dispose();
  });

  it('waits for the first list before answering', async () => {
    const api = new FakeApiHandler();
    api.put('services', svc('default', 'kubernetes', '10.96.0.1', 443));
    const services = watchServices(new ApiClient(api), new FakeClock());
    expect((await services.get('default', 'kubernetes'))?.spec?.clusterIP).toBe('10.96.0.1');
    expect(await services.get('default', 'nope')).toBeUndefined();
    services.dispose();
  });
});
