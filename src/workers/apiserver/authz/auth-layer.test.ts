import { describe, expect, it } from 'vitest';
import type { ApiRequest, UserInfo } from '../../../api/protocol';
import { apiFixture } from '../testing/api-fixture';

const t = apiFixture();
const jane: UserInfo = { username: 'jane', groups: ['system:authenticated'] };
const as = (user: UserInfo, req: Partial<ApiRequest> & { path: string }) => t.call({ ...req, user });
const message = (r: { body: unknown }) => (r.body as { message?: string }).message;
const RBAC = '/apis/rbac.authorization.k8s.io/v1';

async function bind(kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, role: { kind: string; name: string }, subjects: unknown[], ns = 'default') {
  const path = kind === 'RoleBinding' ? `${RBAC}/namespaces/${ns}/rolebindings` : `${RBAC}/clusterrolebindings`;
  const r = await t.call({ method: 'POST', path, body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...role }, subjects } });
  expect(r.status).toBe(201);
}

describe('RBAC enforcement', () => {
  it('keeps in-tab clients (no user) and system:masters unrestricted', async () => {
    expect((await t.call({ path: '/api/v1/namespaces/default/pods' })).status).toBe(200);
    expect((await as({ username: 'root', groups: ['system:masters'] }, { path: '/api/v1/nodes' })).status).toBe(200);
  });

  it('denies with kube-apiserver 1.32 Forbidden messages: namespaced, cluster scope, named and subresource', async () => {
    const list = await as(jane, { path: '/api/v1/namespaces/default/pods' });
    expect(list.status).toBe(403);
    expect(list.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"',
      reason: 'Forbidden',
      details: { kind: 'pods' },
      code: 403,
    });
    expect(message(await as(jane, { path: '/api/v1/nodes' }))).toBe('nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope');
    expect(message(await as(jane, { path: '/apis/apps/v1/namespaces/ns1/deployments/web' }))).toBe(
      'deployments.apps "web" is forbidden: User "jane" cannot get resource "deployments" in API group "apps" in the namespace "ns1"',
    );
    expect(message(await as(jane, { path: '/api/v1/namespaces/default/pods/web/log' }))).toBe('pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" in the namespace "default"');
    expect(message(await as(jane, { path: '/api/v1/pods', query: { watch: 'true' } }))).toBe('pods is forbidden: User "jane" cannot watch resource "pods" in API group "" at the cluster scope');
    const stream = await t.api.stream({ method: 'GET', path: '/api/v1/pods', query: { watch: 'true' }, user: jane });
    expect([stream.status, stream.streamId]).toEqual([403, undefined]);
    expect(message(await as(jane, { path: '/metrics' }))).toBe('forbidden: User "jane" cannot get path "/metrics"');
    // system:discovery is bound to system:authenticated
    expect((await as(jane, { path: '/api/v1' })).status).toBe(200);
    expect((await as(jane, { path: '/version' })).status).toBe(200);
  });

  it('honours a new RoleBinding immediately; admin/edit/view come aggregated from the bootstrap policy', async () => {
    await bind('RoleBinding', 'jane-view', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', name: 'jane' }]);
    expect((await as(jane, { path: '/api/v1/namespaces/default/pods' })).status).toBe(200);
    expect((await as(jane, { path: '/api/v1/namespaces/kube-system/pods' })).status).toBe(403);
    expect(message(await as(jane, { method: 'DELETE', path: '/api/v1/namespaces/default/pods/x' }))).toBe('pods "x" is forbidden: User "jane" cannot delete resource "pods" in API group "" in the namespace "default"');
    expect((await as(jane, { path: '/api/v1/namespaces/default/secrets' })).status).toBe(403);
    // A new ClusterRole labelled aggregate-to-view widens view at once.
    const cr = await t.call({ method: 'POST', path: `${RBAC}/clusterroles`, body: { metadata: { name: 'sc-view', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] } });
    expect(cr.status).toBe(201);
    expect((await as(jane, { path: '/api/v1/namespaces/default/secrets' })).status).toBe(200);
    await bind('RoleBinding', 'jane-edit', { kind: 'ClusterRole', name: 'edit' }, [{ kind: 'User', name: 'jane' }]);
    expect((await as(jane, { method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { metadata: { name: 'c' } } })).status).toBe(201);
  });

  it('lets kubeadm:cluster-admins (the serve kubeconfig user) do everything through its ClusterRoleBinding', async () => {
    const admin = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };
    expect((await as(admin, { method: 'DELETE', path: '/api/v1/namespaces/default/pods' })).status).toBe(200);
    expect((await as(admin, { path: '/metrics-nope' })).status).toBe(404);
  });
});

describe('impersonation', () => {
  it('needs the impersonate verb on users, groups and service accounts', async () => {
    const r = await as(jane, { path: '/api/v1/pods', impersonate: { user: 'bob' } });
    expect([r.status, message(r)]).toEqual([403, 'users "bob" is forbidden: User "jane" cannot impersonate resource "users" in API group "" at the cluster scope']);
    const g = await t.call({ method: 'POST', path: `${RBAC}/clusterroles`, body: { metadata: { name: 'imp' }, rules: [{ apiGroups: [''], resources: ['users'], verbs: ['impersonate'] }] } });
    expect(g.status).toBe(201);
    await bind('ClusterRoleBinding', 'jane-imp', { kind: 'ClusterRole', name: 'imp' }, [{ kind: 'User', name: 'jane' }]);
    const asBob = await as(jane, { path: '/api/v1/namespaces/default/pods', impersonate: { user: 'bob' } });
    expect(message(asBob)).toBe('pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "default"');
    const grp = await as(jane, { path: '/api/v1/pods', impersonate: { user: 'bob', groups: ['system:masters'] } });
    expect(message(grp)).toBe('groups "system:masters" is forbidden: User "jane" cannot impersonate resource "groups" in API group "" at the cluster scope');
    const sa = await as(jane, { path: '/api/v1/pods', impersonate: { user: 'system:serviceaccount:ci:bot' } });
    expect(message(sa)).toBe('serviceaccounts "bot" is forbidden: User "jane" cannot impersonate resource "serviceaccounts" in API group "" in the namespace "ci"');
    // the admin may impersonate anyone; the impersonated user gets system:authenticated
    const who = await t.call({ method: 'POST', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', body: {}, impersonate: { user: 'bob', groups: ['devs'] } });
    expect((who.body as { status: unknown }).status).toEqual({ userInfo: { username: 'bob', groups: ['devs', 'system:authenticated'] } });
  });
});

describe('access reviews', () => {
  it('answers SelfSubjectAccessReview and SubjectAccessReview with RBAC reasons, and validates specs', async () => {
    await bind('ClusterRoleBinding', 'jane-view', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', name: 'jane' }]);
    const ssar = await as(jane, { method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: 'x', verb: 'list', resource: 'pods' } } } });
    expect(ssar.status).toBe(201);
    expect(ssar.body).toEqual({
      kind: 'SelfSubjectAccessReview',
      apiVersion: 'authorization.k8s.io/v1',
      metadata: { creationTimestamp: null },
      spec: { resourceAttributes: { namespace: 'x', verb: 'list', resource: 'pods' } },
      status: { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "jane-view" of ClusterRole "view" to User "jane"' },
    });
    const no = await as(jane, { method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', body: { spec: { resourceAttributes: { verb: 'delete', resource: 'pods' } } } });
    expect((no.body as { status: unknown }).status).toEqual({ allowed: false });
    const sar = await t.call({ method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: { spec: { user: 'jane', groups: ['system:authenticated'], nonResourceAttributes: { path: '/healthz', verb: 'get' } } } });
    expect((sar.body as { status: unknown }).status).toEqual({ allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "system:discovery" of ClusterRole "system:discovery" to Group "system:authenticated"' });
    const bad = await t.call({ method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: { spec: {} } });
    expect([bad.status, message(bad)]).toEqual([
      422,
      'SubjectAccessReview.authorization.k8s.io "" is invalid: [spec.resourceAttributes: Invalid value: "null": exactly one of nonResourceAttributes or resourceAttributes must be specified, spec.user: Invalid value: "": at least one of user or group must be specified]',
    ]);
    // jane (basic-user) may not ask about others
    expect(message(await as(jane, { method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: { spec: { user: 'x' } } }))).toBe(
      'subjectaccessreviews.authorization.k8s.io is forbidden: User "jane" cannot create resource "subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope',
    );
    expect((await t.call({ path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews' })).status).toBe(405);
  });

  it('lists the rules that apply in SelfSubjectRulesReview', async () => {
    const r = await as(jane, { method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', body: { spec: { namespace: 'default' } } });
    const status = (r.body as { status: { resourceRules: Array<{ resources: string[] }>; nonResourceRules: Array<{ nonResourceURLs: string[] }>; incomplete: boolean } }).status;
    expect(status.incomplete).toBe(false);
    expect(status.resourceRules.map((x) => x.resources)).toContainEqual(['selfsubjectaccessreviews', 'selfsubjectrulesreviews']);
    expect(status.nonResourceRules.map((x) => x.nonResourceURLs)).toContainEqual(['/healthz', '/livez', '/readyz', '/version', '/version/']);
  });
});

describe('service account tokens', () => {
  it('issues a token through serviceaccounts/<name>/token that authenticates as the service account until it expires', async () => {
    expect((await t.call({ method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts', body: { metadata: { name: 'bot' } } })).status).toBe(201);
    const tr = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts/bot/token', body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} } });
    expect(tr.status).toBe(201);
    const body = tr.body as { spec: unknown; status: { token: string; expirationTimestamp: string } };
    expect(body.spec).toEqual({ audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600, boundObjectRef: null });
    expect(body.status.token.split('.')).toHaveLength(3);
    const token = body.status.token;
    const who = await t.call({ method: 'POST', path: '/apis/authentication.k8s.io/v1/selfsubjectreviews', body: {}, bearerToken: token });
    expect((who.body as { status: { userInfo: unknown } }).status.userInfo).toMatchObject({ username: 'system:serviceaccount:default:bot', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] });
    expect(message(await t.call({ path: '/api/v1/namespaces/default/pods', bearerToken: token }))).toBe(
      'pods is forbidden: User "system:serviceaccount:default:bot" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    await bind('RoleBinding', 'bot-view', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'ServiceAccount', name: 'bot' }]);
    expect((await t.call({ path: '/api/v1/namespaces/default/pods', bearerToken: token })).status).toBe(200);
    const unknown = await t.call({ path: '/api/v1/namespaces/default/pods', bearerToken: `${token.slice(0, -2)}xx` });
    expect(unknown).toEqual({ status: 401, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 } });
    await t.clock.advance(3601_000);
    expect((await t.call({ path: '/api/v1/namespaces/default/pods', bearerToken: token })).status).toBe(401);
  });

  it('refuses tokens for missing service accounts and too short lifetimes', async () => {
    const missing = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts/nope/token', body: { spec: {} } });
    expect([missing.status, message(missing)]).toEqual([404, 'serviceaccounts "nope" not found']);
    await t.call({ method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts', body: { metadata: { name: 'bot' } } });
    const short = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts/bot/token', body: { spec: { expirationSeconds: 60 } } });
    expect([short.status, message(short)]).toEqual([422, 'TokenRequest.authentication.k8s.io "bot" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes']);
    // deleting the service account revokes its tokens
    const tr = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts/bot/token', body: { spec: {} } });
    const token = (tr.body as { status: { token: string } }).status.token;
    expect((await t.call({ path: '/version', bearerToken: token })).status).toBe(200);
    await t.call({ method: 'DELETE', path: '/api/v1/namespaces/default/serviceaccounts/bot' });
    expect((await t.call({ path: '/version', bearerToken: token })).status).toBe(401);
  });
});

describe('audit ring', () => {
  it('records user, verb, resource, URI, code and the authorization decision of each request, impersonation included', async () => {
    await as(jane, { path: '/api/v1/namespaces/default/pods', query: { limit: '5' } });
    await t.call({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { metadata: { name: 'c' } }, impersonate: { user: 'bob', groups: ['system:masters'] } });
    const log = t.api.audit().slice(-2);
    expect(log.every((e) => e.latencyMs === 0)).toBe(true); // FakeClock: no cluster time passes
    expect(log.map(({ time: _t, latencyMs: _l, ...e }) => e)).toEqual([
      { user: 'jane', verb: 'list', resource: 'pods', namespace: 'default', name: '', uri: '/api/v1/namespaces/default/pods?limit=5', code: 403, annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' } },
      { user: 'bob', impersonatedBy: 'kubernetes-admin', verb: 'create', resource: 'configmaps', namespace: 'default', name: '', uri: '/api/v1/namespaces/default/configmaps', code: 201, annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' } },
    ]);
  });

  it('records RBAC\'s reason for an allowed request, as WithAuthorization annotates it', async () => {
    await bind('RoleBinding', 'jane-audit', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', name: 'jane' }], 'kube-public');
    expect((await as(jane, { path: '/api/v1/namespaces/kube-public/configmaps' })).status).toBe(200);
    expect(t.api.audit().at(-1)!.annotations).toEqual({ 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': 'RBAC: allowed by RoleBinding "jane-audit/kube-public" of ClusterRole "view" to User "jane"' });
  });
});
