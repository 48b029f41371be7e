import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type ApiResponse } from '../../api';
import { createMemoryStore } from '../../storage';
import type { Store } from '../../storage/store';
import { createApiServer, type ApiServer, type ApiServerOptions } from './index';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

async function server(store: Store = createMemoryStore(), extra: Partial<ApiServerOptions> = {}) {
  const api = await createApiServer({ store, clock: new FakeClock(), ids: seededIds(7), ...extra });
  const call = (req: Partial<ApiRequest> & { path: string }): Promise<ApiResponse> => api.request({ method: 'GET', ...req });
  return { api, call, store };
}

const svc = (name: string, spec: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { ports: [{ port: 80 }], selector: { app: name }, ...spec } });
const post = (call: (r: Partial<ApiRequest> & { path: string }) => Promise<ApiResponse>, body: unknown) => call({ method: 'POST', path: '/api/v1/namespaces/default/services', body });
const body = (r: ApiResponse) => r.body as any;

describe('Service ClusterIP and NodePort allocation', () => {
  it('bootstraps the kubernetes Service at 10.96.0.1 and allocates others from the range, never 10.96.0.10', async () => {
    const { call } = await server();
    const k = body(await call({ path: '/api/v1/namespaces/default/services/kubernetes' }));
    expect(k.spec).toMatchObject({ clusterIP: '10.96.0.1', clusterIPs: ['10.96.0.1'], type: 'ClusterIP', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] });
    expect(k.metadata.labels).toEqual({ component: 'apiserver', provider: 'kubernetes' });
    const web = await post(call, svc('web'));
    expect(web.status).toBe(201);
    expect(body(web).spec).toMatchObject({ clusterIP: '10.96.1.0', clusterIPs: ['10.96.1.0'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] });
    const dns = await post(call, svc('kube-dns', { clusterIP: '10.96.0.10' }));
    expect(body(dns).spec.clusterIP).toBe('10.96.0.10');
  });

  it('refuses a taken or out-of-range IP and port with kube messages, all errors together', async () => {
    const { call } = await server();
    await post(call, svc('a', { type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort: 30080 }] }));
    const taken = await post(call, svc('b', { type: 'NodePort', clusterIP: '10.96.0.50', ports: [{ port: 80, nodePort: 30080 }] }));
    expect(taken.status).toBe(422);
    expect(body(taken).message).toBe(
      'Service "b" is invalid: [spec.clusterIPs: Invalid value: []string{"10.96.0.50"}: failed to allocate IP 10.96.0.50: provided IP is already allocated, spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated]',
    );
    const range = await post(call, svc('c', { type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] }));
    expect(body(range).message).toBe('Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767');
    const ipRange = await post(call, svc('d', { clusterIP: '10.0.0.5' }));
    expect(body(ipRange).message).toBe('Service "d" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12');
    const np = await post(call, svc('e', { type: 'NodePort' }));
    expect(body(np).spec.ports[0].nodePort).toBe(30128);
    expect(body(np).spec.externalTrafficPolicy).toBe('Cluster');
  });

  it('reports exhaustion as kube does, and releases IP and port on delete', async () => {
    const { call } = await server(createMemoryStore(), { serviceRanges: { cidr: '10.96.0.0/28', nodePorts: [30000, 30001], reserved: [] } });
    // /28: 14 usable addresses, one taken by the kubernetes Service.
    for (let i = 0; i < 13; i++) expect((await post(call, svc(`s${i}`))).status).toBe(201);
    const full = await post(call, svc('full'));
    expect(full.status).toBe(500);
    expect(body(full).message).toBe('Internal error occurred: failed to allocate a serviceIP: range is full');
    const freed = body(await call({ path: '/api/v1/namespaces/default/services/s3' })).spec.clusterIP;
    expect((await call({ method: 'DELETE', path: '/api/v1/namespaces/default/services/s3' })).status).toBe(200);
    expect(body(await post(call, svc('again'))).spec.clusterIP).toBe(freed);

    await call({ method: 'DELETE', path: '/api/v1/namespaces/default/services/s4' });
    await call({ method: 'DELETE', path: '/api/v1/namespaces/default/services/s5' });
    await call({ method: 'DELETE', path: '/api/v1/namespaces/default/services/s6' });
    expect((await post(call, svc('np1', { type: 'NodePort' }))).status).toBe(201);
    expect((await post(call, svc('np2', { type: 'NodePort' }))).status).toBe(201);
    const noPort = await post(call, svc('np3', { type: 'NodePort' }));
    expect(body(noPort).message).toBe('Internal error occurred: failed to allocate a nodePort: range is full');
    await call({ method: 'DELETE', path: '/api/v1/namespaces/default/services/np1' });
    expect((await post(call, svc('np4', { type: 'NodePort' }))).status).toBe(201);
  });

  it('keeps allocations across a restart on the same store (no double allocation)', async () => {
    const store = createMemoryStore();
    const first = await server(store);
    const a = body(await post(first.call, svc('a', { type: 'NodePort' })));
    first.api.dispose();
    const second = await server(store);
    const b = body(await post(second.call, svc('b', { type: 'NodePort' })));
    expect(b.spec.clusterIP).not.toBe(a.spec.clusterIP);
    expect(b.spec.ports[0].nodePort).not.toBe(a.spec.ports[0].nodePort);
    expect(body(await post(second.call, svc('c', { clusterIP: a.spec.clusterIP }))).message).toContain('provided IP is already allocated');
  });

  it('keeps clusterIP and nodePorts on update, refuses changing the IP, and frees ports when the type leaves NodePort', async () => {
    const { call } = await server();
    const created = body(await post(call, svc('web', { type: 'NodePort' })));
    const put = { ...created, spec: { ...created.spec, clusterIP: undefined, clusterIPs: undefined, ports: [{ port: 80 }] } };
    const res = await call({ method: "PUT", path: "/api/v1/namespaces/default/services/web", body: put });
    expect(res.body).toMatchObject({ kind: "Service" });
    const updated = body(res);
    expect(updated.spec.clusterIP).toBe(created.spec.clusterIP);
    expect(updated.spec.ports[0].nodePort).toBe(created.spec.ports[0].nodePort);
    const moved = await call({ method: 'PUT', path: '/api/v1/namespaces/default/services/web', body: { ...updated, spec: { ...updated.spec, clusterIP: '10.96.0.99', clusterIPs: ['10.96.0.99'] } } });
    expect(body(moved).message).toBe('Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set');
    const kept = await call({ method: 'PATCH', path: '/api/v1/namespaces/default/services/web', contentType: 'application/merge-patch+json', body: { spec: { type: 'ClusterIP' } } });
    expect(body(kept).message).toBe("Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    const patched = await call({ method: 'PATCH', path: '/api/v1/namespaces/default/services/web', contentType: 'application/merge-patch+json', body: { spec: { type: 'ClusterIP', ports: [{ port: 80 }] } } });
    expect(body(patched).spec.ports[0].nodePort).toBeUndefined();
    expect(body(await post(call, svc('other', { type: 'NodePort', ports: [{ port: 80, nodePort: created.spec.ports[0].nodePort }] }))).spec.ports[0].nodePort).toBe(created.spec.ports[0].nodePort);
  });

  it('prints services like printService', async () => {
    const { call } = await server();
    await post(call, svc('np', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }));
    await post(call, { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'example.com' } });
    const t = body(await call({ path: '/api/v1/namespaces/default/services', accept: TABLE }));
    expect(t.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
    const rows = Object.fromEntries(t.rows.map((r: { cells: unknown[] }) => [r.cells[0], r.cells]));
    expect(rows.kubernetes).toEqual(['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP', '0s', '<none>']);
    expect(rows.np).toEqual(['np', 'NodePort', '10.96.1.0', '<none>', '80:30080/TCP', '0s', 'app=np']);
    expect(rows.ext).toEqual(['ext', 'ExternalName', '<none>', 'example.com', '<none>', '0s', '<none>']);
  });
});
