import { describe, expect, it, beforeEach } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type ApiResponse } from '../../api';
import { createMemoryStore } from '../../storage';
import { createApiServer, type ApiServer } from './index';

let clock: FakeClock;
let api: ApiServer;

async function setup() {
  clock = new FakeClock();
  api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(7) });
}

const call = (req: Partial<ApiRequest> & { path: string }): Promise<ApiResponse> => api.request({ method: 'GET', ...req });
const pod = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'app', image: 'nginx' }] },
  ...extra,
});
const createPod = (name: string, ns = 'default', extra: Record<string, unknown> = {}) =>
  call({ method: 'POST', path: `/api/v1/namespaces/${ns}/pods`, body: pod(name, extra) });

beforeEach(setup);

describe('namespaces', () => {
  it('keeps spec and status on main-resource updates and changes finalizers only through /finalize', async () => {
    const created = (await call({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'team', labels: { a: 'b' } }, spec: { finalizers: ['example.com/x'] } } })).body as any;
    expect(created.spec.finalizers).toEqual(['example.com/x', 'kubernetes']);
    expect(created.metadata.labels).toEqual({ a: 'b', 'kubernetes.io/metadata.name': 'team' });
    const upd = structuredClone(created);
    upd.spec.finalizers = [];
    upd.status.phase = 'Terminating';
    const res = (await call({ method: 'PUT', path: '/api/v1/namespaces/team', body: upd })).body as any;
    expect(res.spec.finalizers).toEqual(['example.com/x', 'kubernetes']);
    expect(res.status.phase).toBe('Active');
    const fin = (await call({ method: 'PUT', path: '/api/v1/namespaces/team/finalize', body: { ...res, spec: { finalizers: ['kubernetes'] } } })).body as any;
    expect(fin.spec.finalizers).toEqual(['kubernetes']);
    const bad = await call({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'Team.X' } } });
    expect((bad.body as any).message).toBe(
      `Namespace "Team.X" is invalid: metadata.name: Invalid value: "Team.X": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    );
  });

  it('does not delete for a DeleteOptions dryRun', async () => {
    await createPod('keep');
    const res = await call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/keep', body: { dryRun: ['All'] } });
    expect(res.status).toBe(200);
    expect((await call({ path: '/api/v1/namespaces/default/pods/keep' })).status).toBe(200);
  });

  it('rejects a stale delete precondition with 409', async () => {
    const p = (await createPod('pre')).body as any;
    const res = await call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/pre', body: { preconditions: { uid: 'other' } } });
    expect(res.status).toBe(409);
    expect((res.body as any).message).toBe(`Operation cannot be fulfilled on pods "pre": Precondition failed: UID in precondition: other, UID in object meta: ${p.metadata.uid}`);
  });
});

describe('field validation', () => {
  const typo = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'typo', labelz: {} }, spec: { containers: [{ name: 'c', image: 'i', imagee: 'x' }] } };
  it('rejects unknown fields with fieldValidation=Strict', async () => {
    const res = await call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: typo, query: { fieldValidation: 'Strict' } });
    expect(res.status).toBe(400);
    expect((res.body as any).message).toBe('Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "metadata.labelz", unknown field "spec.containers[0].imagee"');
  });
  it('warns by default and drops nothing else', async () => {
    const res = await call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: typo });
    expect(res.status).toBe(201);
    expect(res.headers?.warning).toBe('299 - "unknown field \\"metadata.labelz\\"", 299 - "unknown field \\"spec.containers[0].imagee\\""');
    const stored = (await call({ path: '/api/v1/namespaces/default/pods/typo' })).body as any;
    expect(stored.metadata.labelz).toBeUndefined();
    expect(stored.spec.containers[0].imagee).toBeUndefined();
  });
});

describe('configmaps, secrets and leases', () => {
  it('stores secrets with stringData folded into base64 data and type Opaque', async () => {
    const res = await call({ method: 'POST', path: '/api/v1/namespaces/default/secrets', body: { metadata: { name: 's' }, stringData: { user: 'admin', 'pass.txt': 'héllo' } } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'Secret', type: 'Opaque', data: { user: 'YWRtaW4=', 'pass.txt': 'aMOpbGxv' } });
    expect((res.body as any).stringData).toBeUndefined();
    const t = (await call({ path: '/api/v1/namespaces/default/secrets', accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).body as any;
    expect(t.rows[0].cells).toEqual(['s', 'Opaque', 2, '0s']);
  });

  it('validates configmap keys and enforces immutable', async () => {
    const bad = await call({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { metadata: { name: 'c' }, data: { 'a b': '1' } } });
    expect((bad.body as any).message).toBe(
      `ConfigMap "c" is invalid: data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
    );
    const cm = (await call({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { metadata: { name: 'c' }, data: { a: '1' }, immutable: true } })).body as any;
    const upd = await call({ method: 'PUT', path: '/api/v1/namespaces/default/configmaps/c', body: { ...cm, data: { a: '2' } } });
    expect(upd.status).toBe(422);
    expect((upd.body as any).message).toBe('ConfigMap "c" is invalid: data: Forbidden: field is immutable when `immutable` is set');
  });

  it('serves coordination.k8s.io/v1 leases', async () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n1' }, spec: { holderIdentity: 'n1', leaseDurationSeconds: 40 } };
    const res = await call({ method: 'POST', path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', body: lease });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { namespace: 'kube-node-lease' } });
    const missing = await call({ path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/zz' });
    expect((missing.body as any).message).toBe('leases.coordination.k8s.io "zz" not found');
    expect((missing.body as any).details).toEqual({ name: 'zz', group: 'coordination.k8s.io', kind: 'leases' });
  });
});

describe('namespace finalization by a controller', () => {
  it('leaves Terminating namespaces to PUT /finalize when built-in cleanup is off', async () => {
    api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(9), finalizeNamespaces: false });
    await call({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'gone' } } });
    await createPod('p', 'gone');
    await call({ method: 'DELETE', path: '/api/v1/namespaces/gone' });
    await clock.advance(10);
    expect((await call({ path: '/api/v1/namespaces/gone/pods/p' })).status).toBe(200);
    const status = await call({ method: 'PATCH', path: '/api/v1/namespaces/gone/status', contentType: 'application/merge-patch+json', body: { status: { conditions: [{ type: 'NamespaceContentRemaining', status: 'True' }] } } });
    expect(status.status).toBe(200);
    const cur = (await call({ path: '/api/v1/namespaces/gone' })).body as any;
    expect(cur.status.phase).toBe('Terminating');
    const fin = await call({ method: 'PUT', path: '/api/v1/namespaces/gone/finalize', body: { ...cur, spec: { finalizers: [] } } });
    expect(fin.status).toBe(200);
    expect((await call({ path: '/api/v1/namespaces/gone' })).status).toBe(404);
  });
});
