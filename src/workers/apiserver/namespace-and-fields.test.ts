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
