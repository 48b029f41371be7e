import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../api';
import type { ApiRequest } from '../api/protocol';
import { createMemoryStore } from '../storage';
import { createApiServer } from '../workers/apiserver';
import { authenticatedAs, KUBE_CONTROLLER_MANAGER_USER } from '../workers/apiserver/authz';
import { ApiClient } from './api-client';
import { serviceAccountTransport } from './service-account-credentials';

async function setup() {
  const clock = new FakeClock();
  const api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(3) });
  const sent: ApiRequest[] = [];
  const conn = authenticatedAs(api, KUBE_CONTROLLER_MANAGER_USER);
  const spy = { ...conn, request: (r: ApiRequest) => (sent.push(r), conn.request(r)) };
  const sa = serviceAccountTransport({ transport: spy, clock, namespace: 'kube-system', name: 'replicaset-controller' });
  const whoami = async () => ((await new ApiClient(sa).raw({ method: 'POST', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', body: {} })).body as { status: { userInfo: { username: string } } }).status.userInfo.username;
  const tokenRequests = () => sent.filter((r) => r.path.endsWith('/token')).length;
  return { clock, api, sa, whoami, tokenRequests };
}

describe('serviceAccountTransport (--use-service-account-credentials)', () => {
  it('creates the service account as the component, then acts as it with one token until 80% of its life', async () => {
    const t = await setup();
    expect(await t.whoami()).toBe('system:serviceaccount:kube-system:replicaset-controller');
    expect(await t.whoami()).toBe('system:serviceaccount:kube-system:replicaset-controller');
    expect(t.tokenRequests()).toBe(1);
    await t.clock.advance(47 * 60_000);
    await t.whoami();
    expect(t.tokenRequests()).toBe(1);
    await t.clock.advance(2 * 60_000); // past 48 of 60 minutes: renewed before it expires
    await t.whoami();
    expect(t.tokenRequests()).toBe(2);
    expect((await new ApiClient(t.sa).raw({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } } })).status).toBe(201);
    expect((await new ApiClient(t.sa).raw({ method: 'GET', path: '/api/v1/namespaces/default/secrets' })).status).toBe(403);
  });

  it('gets a new token after a 401 (its service account was deleted and is re-created)', async () => {
    const t = await setup();
    await t.whoami();
    expect((await t.api.request({ method: 'DELETE', path: '/api/v1/namespaces/kube-system/serviceaccounts/replicaset-controller' })).status).toBe(200);
    expect(await t.whoami()).toBe('system:serviceaccount:kube-system:replicaset-controller');
    expect(t.tokenRequests()).toBe(2);
  });
});
