// Authentication, RBAC, impersonation and access reviews through `npm run serve`, driven by the real
// kubectl 1.32 binary (--as, --as-group, --token, auth can-i, auth whoami, create token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../src/client/api-client';
import { runKubectl } from '../src/kubectl';
import { systemClock } from '../src/platform';
import { REAL_KUBECTL, ServeFixture } from './serve-helpers';

if (!REAL_KUBECTL) console.warn('serve-authz: skipped: no kubectl binary at /usr/lib/google-cloud-sdk/bin/kubectl.1.32 or /usr/bin/kubectl');

const serve = new ServeFixture('tabernetes-authz-');
const kubectl = (...args: string[]) => serve.real(args);

const RBAC = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader, namespace: default}
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: jane-reads-pods, namespace: default}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: jane}
- {kind: ServiceAccount, name: bot}
`;

describe.skipIf(!REAL_KUBECTL)('RBAC through npm run serve with the real kubectl', () => {
  beforeAll(() => serve.start(), 120_000);

  afterAll(() => serve.stop());

  it('denies an impersonated user with the exact Forbidden text, and allows what a new binding grants', async () => {
    const denied = await kubectl('--as', 'jane', 'get', 'pods');
    expect(denied).toEqual({ stdout: '', stderr: 'Error from server (Forbidden): pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "default"\n', code: 1 });
    const nodes = await kubectl('--as', 'jane', 'get', 'nodes');
    expect(nodes.stderr).toBe('Error from server (Forbidden): nodes is forbidden: User "jane" cannot list resource "nodes" in API group "" at the cluster scope\n');
    const applied = await serve.real(['apply', '-f', '-'], { stdin: RBAC });
    expect(applied.stdout).toBe('role.rbac.authorization.k8s.io/pod-reader created\nrolebinding.rbac.authorization.k8s.io/jane-reads-pods created\n');
    const allowed = await kubectl('--as', 'jane', 'get', 'pods');
    expect([allowed.code, allowed.stderr]).toEqual([0, 'No resources found in default namespace.\n']);
    const del = await kubectl('--as', 'jane', 'delete', 'pod', 'x');
    expect(del.stderr).toBe('Error from server (Forbidden): pods "x" is forbidden: User "jane" cannot delete resource "pods" in API group "" in the namespace "default"\n');
    // --as-group system:masters needs the impersonate verb on groups, which jane lacks but the admin has
    const masters = await kubectl('--as', 'jane', '--as-group', 'system:masters', 'get', 'nodes', '-o', 'name');
    expect([masters.code, masters.stdout.split('\n').length]).toEqual([0, 4]);
  }, 60_000);

  it('passes --as/--as-group from our kubectl, over HTTP and in process, with the same answers as the real one', async () => {
    for (const args of [['--as', 'jane', 'get', 'pods', '-n', 'kube-system'], ['--as', 'jane', 'get', 'nodes'], ['--as', 'jane', '--as-group', 'system:masters', 'get', 'ns', 'default', '-o', 'name']]) {
      const real = await kubectl(...args);
      const ours = await serve.ours(args);
      expect({ args, stdout: ours.stdout, stderr: ours.stderr, code: ours.code }).toEqual({ args, stdout: real.stdout, stderr: real.stderr, code: real.code });
    }
    let stderr = '';
    const code = await runKubectl(['--as', 'jane', 'delete', 'pod', 'x'], { client: new ApiClient(serve.serving.cluster.api), clock: systemClock(), stdout: () => undefined, stderr: (t) => (stderr += t), namespace: 'default' });
    expect([code, stderr]).toEqual([1, 'Error from server (Forbidden): pods "x" is forbidden: User "jane" cannot delete resource "pods" in API group "" in the namespace "default"\n']);
  }, 60_000);

  it('answers auth can-i (SelfSubjectAccessReview and SelfSubjectRulesReview) and auth whoami (SelfSubjectReview)', async () => {
    expect(await kubectl('auth', 'can-i', 'list', 'pods', '--as', 'jane')).toEqual({ stdout: 'yes\n', stderr: '', code: 0 });
    expect(await kubectl('auth', 'can-i', 'create', 'deployments', '--as', 'jane')).toEqual({ stdout: 'no\n', stderr: '', code: 1 });
    expect((await kubectl('auth', 'can-i', 'get', 'pods', '--subresource', 'log', '--as', 'jane')).stdout).toBe('yes\n');
    expect((await kubectl('auth', 'can-i', 'list', 'pods', '-n', 'kube-system', '--as', 'jane')).stdout).toBe('no\n');
    expect((await kubectl('auth', 'can-i', '*', '*')).stdout).toBe('yes\n');
    const list = await kubectl('auth', 'can-i', '--list', '--as', 'jane');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^Resources +Non-Resource URLs +Resource Names +Verbs\n/);
    expect(list.stdout).toMatch(/\npods +\[\] +\[\] +\[get list watch\]\n/);
    const who = await kubectl('auth', 'whoami', '--as', 'jane', '--as-group', 'devs');
    expect(who.stdout).toMatch(/^ATTRIBUTE +VALUE\nUsername +jane\nGroups +\[devs system:authenticated\]\n$/);
    const admin = await kubectl('auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}');
    expect(admin.stdout).toBe('kubernetes-admin');
  }, 60_000);

  it('creates service account tokens that authenticate as the service account; unknown tokens get 401', async () => {
    expect((await kubectl('create', 'serviceaccount', 'bot')).stdout).toBe('serviceaccount/bot created\n');
    const created = await kubectl('create', 'token', 'bot');
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // kubectl sends no bearer token over plain http, so these requests carry it themselves.
    const get = async (path: string, auth = `Bearer ${token}`, init: RequestInit = {}) => {
      const res = await fetch(serve.url + path, { ...init, headers: { Authorization: auth, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
      return { status: res.status, body: (await res.json()) as { message?: string; status?: { userInfo?: unknown } } };
    };
    const whoami = await get('/apis/authentication.k8s.io/v1/selfsubjectreviews', undefined, { method: 'POST', body: '{}' });
    expect(whoami.body.status?.userInfo).toMatchObject({ username: 'system:serviceaccount:default:bot', groups: ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated'] });
    expect((await get('/api/v1/namespaces/default/pods')).status).toBe(200);
    const secrets = await get('/api/v1/namespaces/default/secrets');
    expect([secrets.status, secrets.body.message]).toEqual([403, 'secrets is forbidden: User "system:serviceaccount:default:bot" cannot list resource "secrets" in API group "" in the namespace "default"']);
    const bogus = await get('/api/v1/namespaces/default/pods', 'Bearer not-a-token');
    expect(bogus).toEqual({ status: 401, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 } });
    // our kubectl over HTTP sends the token
    const ours = await serve.ours(['get', 'secrets'], undefined, { token });
    expect([ours.code, ours.stderr]).toEqual([1, 'Error from server (Forbidden): secrets is forbidden: User "system:serviceaccount:default:bot" cannot list resource "secrets" in API group "" in the namespace "default"\n']);
    const oursBogus = await serve.ours(['get', 'pods'], undefined, { token: 'nope' });
    expect([oursBogus.code, oursBogus.stderr]).toEqual([1, 'error: You must be logged in to the server (Unauthorized)\n']);
    // the other typed creates real kubectl sends as protobuf
    expect((await kubectl('create', 'namespace', 'team-a')).stdout).toBe('namespace/team-a created\n');
    expect((await kubectl('create', 'configmap', 'cfg', '--from-literal', 'a=1')).stdout).toBe('configmap/cfg created\n');
    expect((await kubectl('create', 'secret', 'generic', 'sec', '--from-literal', 'k=v')).stdout).toBe('secret/sec created\n');
    expect((await kubectl('get', 'cm', 'cfg', '-o', 'jsonpath={.data.a}')).stdout).toBe('1');
    expect((await kubectl('get', 'secret', 'sec', '-o', 'jsonpath={.type} {.data.k}')).stdout).toBe('Opaque dg==');
    const short = await kubectl('create', 'token', 'bot', '--duration', '5m');
    expect(short.stderr).toBe('error: failed to create token: TokenRequest.authentication.k8s.io "bot" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes\n');
  }, 60_000);
});
