import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../api/protocol';
import { createMemoryStore } from '../../../storage';
import { apiFixture } from '../testing/api-fixture';
import { nodeUser } from './component-identities';
import { WatchedPrefix } from './watched-prefix';

const t = apiFixture();
const NS = '/api/v1/namespaces/default';
const asA = (req: Partial<ApiRequest> & { path: string }) => t.call({ ...req, user: nodeUser('a') });
const post = (path: string, body: unknown, user?: ApiRequest['user']) => t.call({ method: 'POST', path, body, ...(user ? { user } : {}) });
const pod = (name: string, secret: string, claim?: string) => ({
  metadata: { name },
  spec: { nodeName: 'a', containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 's', secret: { secretName: secret } }, ...(claim ? [{ name: 'd', persistentVolumeClaim: { claimName: claim } }] : [])] },
});

describe('watch-fed authorization and policy indexes', () => {
  it('the Node authorizer sees a pod create, rebind and delete on the next request', async () => {
    for (const s of ['s1', 's2']) await post(`${NS}/secrets`, { metadata: { name: s } });
    expect((await asA({ path: `${NS}/secrets/s1` })).status).toBe(403);
    await post(`${NS}/pods`, pod('p1', 's1', 'data'));
    expect((await asA({ path: `${NS}/secrets/s1` })).status).toBe(200);
    expect((await asA({ path: '/api/v1/persistentvolumes/pv1' })).status).toBe(403);
    await post(`${NS}/persistentvolumeclaims`, { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], volumeName: 'pv1', resources: { requests: { storage: '1Gi' } } } });
    expect((await asA({ path: '/api/v1/persistentvolumes/pv1' })).status).toBe(404); // allowed; no such PV
    await t.call({ method: 'DELETE', path: `${NS}/persistentvolumeclaims/data` });
    await t.call({ method: 'PATCH', path: `${NS}/persistentvolumeclaims/data`, contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } }); // pvc-protection
    expect((await t.call({ path: `${NS}/persistentvolumeclaims/data` })).status).toBe(404);
    expect((await asA({ path: '/api/v1/persistentvolumes/pv1' })).status).toBe(403);
    await t.call({ method: 'DELETE', path: `${NS}/pods/p1`, query: { gracePeriodSeconds: '0' } });
    expect((await asA({ path: `${NS}/secrets/s1` })).status).toBe(403);
    expect((await asA({ path: `${NS}/pods/p1` })).status).toBe(403);
    await post(`${NS}/pods`, pod('p2', 's2'));
    expect((await asA({ path: `${NS}/secrets/s2` })).status).toBe(200);
    expect((await asA({ path: `${NS}/pods/p2` })).status).toBe(200);
  });

  it('RBAC sees a binding create and delete on the next request', async () => {
    const bob = { username: 'bob', groups: ['system:authenticated'] };
    expect((await t.call({ path: `${NS}/configmaps`, user: bob })).status).toBe(403);
    await post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', { metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] });
    await post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', { metadata: { name: 'r' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'bob' }] });
    expect((await t.call({ path: `${NS}/configmaps`, user: bob })).status).toBe(200);
    await t.call({ method: 'DELETE', path: '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/r' });
    expect((await t.call({ path: `${NS}/configmaps`, user: bob })).status).toBe(403);
  });

  it('ValidatingAdmissionPolicy sees a policy update and a binding delete on the next write', async () => {
    const VAP = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
    const rules = { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps'] }] };
    await post(VAP, { metadata: { name: 'p' }, spec: { matchConstraints: rules, validations: [{ expression: "object.metadata.name != 'one'" }] } });
    await post('/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', { metadata: { name: 'b' }, spec: { policyName: 'p', validationActions: ['Deny'] } });
    expect((await post(`${NS}/configmaps`, { metadata: { name: 'one' } })).status).toBe(422);
    const p = (await t.call({ path: `${VAP}/p` })).body as { spec: Record<string, unknown> };
    await t.call({ method: 'PUT', path: `${VAP}/p`, body: { ...p, spec: { ...p.spec, validations: [{ expression: "object.metadata.name != 'two'" }] } } });
    expect((await post(`${NS}/configmaps`, { metadata: { name: 'one' } })).status).toBe(201);
    expect((await post(`${NS}/configmaps`, { metadata: { name: 'two' } })).status).toBe(422);
    await t.call({ method: 'DELETE', path: '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/b' });
    expect((await post(`${NS}/configmaps`, { metadata: { name: 'two' } })).status).toBe(201);
  });
});

describe('WatchedPrefix', () => {
  it('lists once, applies watch events, and stops on dispose', async () => {
    const store = createMemoryStore();
    await store.create('/x/a', '1');
    const changes: string[] = [];
    const w = new WatchedPrefix(store, '/x/', (c) => changes.push(c === 'reset' ? 'reset' : c.map((e) => `${e.type} ${e.kv.key}`).join(',')));
    expect([...(await w.ready()).keys()]).toEqual(['/x/a']);
    await store.create('/x/b', '2');
    await store.create('/y/c', '3');
    await store.delete('/x/a');
    expect([...(await w.ready()).keys()]).toEqual(['/x/b']);
    expect(changes).toEqual(['reset', 'PUT /x/b', 'DELETE /x/a']);
    w.dispose();
    await store.create('/x/d', '4');
    expect(changes).toHaveLength(3);
  });
});
