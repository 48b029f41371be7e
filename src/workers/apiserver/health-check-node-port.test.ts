import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type ApiResponse } from '../../api';
import { createMemoryStore } from '../../storage';
import { createApiServer } from './index';

const body = (r: ApiResponse) => r.body as any;

describe('Service spec.healthCheckNodePort (LoadBalancer + externalTrafficPolicy Local)', () => {
  it('is allocated when missing, kept on update, refused when taken (500) or set without Local (422), dropped when no longer Local', async () => {
    const api = await createApiServer({ store: createMemoryStore(), clock: new FakeClock(), ids: seededIds(7) });
    const call = (req: Partial<ApiRequest> & { path: string }) => api.request({ method: 'GET', ...req });
    const path = '/api/v1/namespaces/default/services';
    const lb = (name: string, extra: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }], selector: { app: name }, ...extra } });
    const a = body(await call({ method: 'POST', path, body: lb('a') }));
    const hc = a.spec.healthCheckNodePort;
    expect(hc).toBeGreaterThanOrEqual(30000);
    expect(hc).not.toBe(a.spec.ports[0].nodePort);
    const plain = body(await call({ method: 'POST', path, body: lb('plain', { externalTrafficPolicy: 'Cluster' }) }));
    expect(plain.spec.healthCheckNodePort).toBeUndefined();

    const taken = await call({ method: 'POST', path, body: lb('b', { healthCheckNodePort: hc }) });
    expect(taken.status).toBe(500);
    expect(body(taken).message).toBe(`Internal error occurred: failed to allocate requested HealthCheck NodePort ${hc}: provided port is already allocated`);
    const wanted = body(await call({ method: 'POST', path, body: lb('c', { healthCheckNodePort: 31999 }) }));
    expect(wanted.spec.healthCheckNodePort).toBe(31999);

    const bad = await call({ method: 'POST', path, body: lb('d', { type: 'NodePort', healthCheckNodePort: 31998 }) });
    expect(bad.status).toBe(422);
    expect(body(bad).message).toBe('Service "d" is invalid: spec.healthCheckNodePort: Invalid value: 31998: may only be set when `type` is \'LoadBalancer\' and `externalTrafficPolicy` is \'Local\'');

    const put = { ...a, spec: { ...a.spec } };
    delete put.spec.healthCheckNodePort;
    const kept = await call({ method: 'PUT', path: `${path}/a`, body: put });
    expect(body(kept).spec.healthCheckNodePort).toBe(hc);
    const cluster = await call({ method: 'PATCH', path: `${path}/a`, contentType: 'application/merge-patch+json', body: { spec: { externalTrafficPolicy: 'Cluster' } } });
    expect(cluster.status).toBe(200);
    expect(body(cluster).spec.healthCheckNodePort).toBeUndefined();
    // Its port is free again.
    expect(body(await call({ method: 'POST', path, body: lb('e', { healthCheckNodePort: hc }) })).spec.healthCheckNodePort).toBe(hc);
  });
});
