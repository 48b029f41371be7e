import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../api/protocol';
import { apiFixture } from '../testing/api-fixture';
import { authenticatedAs, nodeIdentity, nodeUser } from './component-identities';

const t = apiFixture();
const a = nodeUser('a');
const as = (req: Partial<ApiRequest> & { path: string }) => t.call({ ...req, user: a });
const message = (r: { body: unknown }) => (r.body as { message?: string }).message;
const NS = '/api/v1/namespaces/default';

const pod = (name: string, nodeName: string | undefined, extra: object = {}) => ({
  metadata: { name },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox', envFrom: [{ configMapRef: { name: `${name}-env` } }] }], volumes: [{ name: 's', secret: { secretName: `${name}-secret` } }, { name: 'd', persistentVolumeClaim: { claimName: `${name}-data` } }], ...extra },
});

beforeEach(async () => {
  for (const [name, node] of [['on-a', 'a'], ['on-b', 'b'], ['pending', undefined]] as const) expect((await t.call({ method: 'POST', path: `${NS}/pods`, body: pod(name, node) })).status).toBe(201);
  for (const name of ['on-a', 'on-b']) {
    await t.call({ method: 'POST', path: `${NS}/secrets`, body: { metadata: { name: `${name}-secret` } } });
    await t.call({ method: 'POST', path: `${NS}/configmaps`, body: { metadata: { name: `${name}-env` } } });
    await t.call({ method: 'POST', path: `${NS}/persistentvolumeclaims`, body: { metadata: { name: `${name}-data` }, spec: { accessModes: ['ReadWriteOnce'], volumeName: `pv-${name}`, resources: { requests: { storage: '1Gi' } } } } });
  }
});

describe('node identity', () => {
  it('names nodes by system:node:<name> in system:nodes only', () => {
    expect(nodeIdentity(nodeUser('n1'))).toBe('n1');
    expect(nodeIdentity({ username: 'system:node:n1', groups: ['system:authenticated'] })).toBeUndefined();
    expect(nodeIdentity({ username: 'bob', groups: ['system:nodes'] })).toBe('');
  });

  it('authenticatedAs overrides the user a client claims, but not a bearer token', async () => {
    const conn = authenticatedAs(t.api, a);
    const r = await conn.request({ method: 'GET', path: '/api/v1/nodes', user: { username: 'x', groups: ['system:masters'] } });
    expect(message(r)).toBe(`nodes is forbidden: User "system:node:a" cannot list resource "nodes" in API group "" at the cluster scope: node 'a' cannot read all nodes, only its own Node object`);
    expect((await conn.request({ method: 'GET', path: '/api/v1/nodes', bearerToken: 'nope' })).status).toBe(401);
  });
});

describe('Node authorizer (Node,RBAC)', () => {
  it('lets a kubelet read only the secrets, configmaps, PVCs and PVs of pods bound to it', async () => {
    expect((await as({ path: `${NS}/secrets/on-a-secret` })).status).toBe(200);
    expect((await as({ path: `${NS}/configmaps/on-a-env` })).status).toBe(200);
    expect((await as({ path: `${NS}/persistentvolumeclaims/on-a-data` })).status).toBe(200);
    expect((await as({ path: '/api/v1/persistentvolumes/pv-on-a' })).status).toBe(404); // allowed; the PV does not exist
    expect(message(await as({ path: `${NS}/secrets/on-b-secret` }))).toBe(
      `secrets "on-b-secret" is forbidden: User "system:node:a" cannot get resource "secrets" in API group "" in the namespace "default": no relationship found between node 'a' and this object`,
    );
    expect(message(await as({ path: '/api/v1/persistentvolumes/pv-on-b' }))).toBe(
      `persistentvolumes "pv-on-b" is forbidden: User "system:node:a" cannot get resource "persistentvolumes" in API group "" at the cluster scope: no relationship found between node 'a' and this object`,
    );
    expect(message(await as({ path: `${NS}/secrets` }))).toBe(`secrets is forbidden: User "system:node:a" cannot list resource "secrets" in API group "" in the namespace "default": No Object name found`);
    expect(message(await as({ method: 'DELETE', path: `${NS}/secrets/on-a-secret` }))).toBe(
      `secrets "on-a-secret" is forbidden: User "system:node:a" cannot delete resource "secrets" in API group "" in the namespace "default": can only read resources of this type`,
    );
    expect(message(await as({ method: 'DELETE', path: `${NS}/persistentvolumeclaims/on-a-data` }))).toBe(
      `persistentvolumeclaims "on-a-data" is forbidden: User "system:node:a" cannot delete resource "persistentvolumeclaims" in API group "" in the namespace "default": can only get individual resources of this type`,
    );
    // not kube's: list/watch of PVCs comes from the tabernetes:node-volume-wakeups binding (see bootstrap-policy)
    expect((await as({ path: `${NS}/persistentvolumeclaims` })).status).toBe(200);
  });

  it("lets a kubelet list and watch one related secret or configmap by metadata.name (the kubelet's watch-based managers)", async () => {
    const one = (resource: string, name: string, watch: boolean) => ({ path: `${NS}/${resource}`, query: { fieldSelector: `metadata.name=${name}`, ...(watch ? { watch: 'true' } : {}) }, user: a });
    const list = await as(one('secrets', 'on-a-secret', false));
    expect(list.status).toBe(200);
    expect((list.body as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name)).toEqual(['on-a-secret']);
    const open = await t.api.stream({ method: 'GET', ...one('configmaps', 'on-a-env', true) });
    expect(open.status).toBe(200);
    await t.api.cancel(open.streamId!);
    const denied = await t.api.stream({ method: 'GET', ...one('secrets', 'on-b-secret', true) });
    expect(denied.status).toBe(403);
    expect(message(denied)).toBe(`secrets "on-b-secret" is forbidden: User "system:node:a" cannot watch resource "secrets" in API group "" in the namespace "default": no relationship found between node 'a' and this object`);
    // several names, or a name and something else, is not a single object: no name, no relationship
    expect(message(await as({ path: `${NS}/secrets`, query: { fieldSelector: 'metadata.name!=on-a-secret' } }))).toContain('No Object name found');
  });

  it('scopes pods to the node: list/watch by spec.nodeName, get only of bound pods', async () => {
    expect((await as({ path: '/api/v1/pods', query: { fieldSelector: 'spec.nodeName=a' } })).status).toBe(200);
    expect(message(await as({ path: '/api/v1/pods' }))).toBe(`pods is forbidden: User "system:node:a" cannot list resource "pods" in API group "" at the cluster scope: can only list/watch pods with spec.nodeName field selector`);
    expect(message(await as({ path: '/api/v1/pods', query: { fieldSelector: 'spec.nodeName=b' } }))).toContain('can only list/watch pods with spec.nodeName field selector');
    expect((await as({ path: `${NS}/pods/on-a` })).status).toBe(200);
    expect(message(await as({ path: `${NS}/pods/pending` }))).toContain(`no relationship found between node 'a' and this object`);
  });

  it('lets a node read its own Node and Lease only, and the rest by the system:node rules', async () => {
    expect((await as({ path: '/api/v1/nodes/a' })).status).toBe(404);
    expect(message(await as({ path: '/api/v1/nodes/b' }))).toBe(`nodes "b" is forbidden: User "system:node:a" cannot get resource "nodes" in API group "" at the cluster scope: node 'a' cannot read 'b', only its own Node object`);
    expect(message(await as({ path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/b' }))).toBe(
      `leases.coordination.k8s.io "b" is forbidden: User "system:node:a" cannot get resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease": can only access node lease with the same name as the requesting node`,
    );
    expect((await as({ path: '/api/v1/services' })).status).toBe(200);
    expect(message(await as({ path: `${NS}/deployments`.replace('/api/v1', '/apis/apps/v1') }))).toBe(
      'deployments.apps is forbidden: User "system:node:a" cannot list resource "deployments" in API group "apps" in the namespace "default"',
    );
  });

  it('grants the 1.32 system:node static rules: CSR, CSI, RuntimeClass, VolumeAttachment, PVC status', async () => {
    const allowed = async (resourceAttributes: object) =>
      ((await t.call({ method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: { spec: { user: 'system:node:a', groups: ['system:nodes'], resourceAttributes } } })).body as { status: { allowed: boolean } }).status.allowed;
    expect(await allowed({ verb: 'create', group: 'certificates.k8s.io', resource: 'certificatesigningrequests' })).toBe(true);
    expect(await allowed({ verb: 'watch', group: 'certificates.k8s.io', resource: 'certificatesigningrequests' })).toBe(true);
    expect(await allowed({ verb: 'delete', group: 'certificates.k8s.io', resource: 'certificatesigningrequests', name: 'x' })).toBe(false);
    expect(await allowed({ verb: 'list', group: 'storage.k8s.io', resource: 'csidrivers' })).toBe(true);
    expect(await allowed({ verb: 'create', group: 'storage.k8s.io', resource: 'csidrivers' })).toBe(false);
    expect(await allowed({ verb: 'update', group: 'storage.k8s.io', resource: 'csinodes', name: 'a' })).toBe(true);
    expect(await allowed({ verb: 'list', group: 'storage.k8s.io', resource: 'csinodes' })).toBe(false);
    expect(await allowed({ verb: 'watch', group: 'node.k8s.io', resource: 'runtimeclasses' })).toBe(true);
    expect(await allowed({ verb: 'get', group: 'storage.k8s.io', resource: 'volumeattachments', name: 'v' })).toBe(true);
    // PVC status goes through the graph: only claims of pods bound to the node.
    expect(await allowed({ verb: 'patch', resource: 'persistentvolumeclaims', subresource: 'status', namespace: 'default', name: 'on-a-data' })).toBe(true);
    expect(await allowed({ verb: 'patch', resource: 'persistentvolumeclaims', subresource: 'status', namespace: 'default', name: 'on-b-data' })).toBe(false);
    const role = (await t.call({ path: '/apis/rbac.authorization.k8s.io/v1/clusterroles/system:node' })).body as { rules: { resources: string[] }[] };
    expect(role.rules.flatMap((r) => r.resources)).toEqual(expect.arrayContaining(['csinodes', 'csidrivers', 'runtimeclasses', 'certificatesigningrequests', 'persistentvolumeclaims/status', 'volumeattachments']));
  });

  it('answers SubjectAccessReviews and SelfSubjectRulesReviews for nodes as kube does', async () => {
    const sar = (resourceAttributes: object) => t.call({ method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: { spec: { user: 'system:node:a', groups: ['system:nodes'], resourceAttributes } } });
    expect(((await sar({ verb: 'get', resource: 'secrets', namespace: 'default', name: 'on-a-secret' })).body as { status: unknown }).status).toEqual({ allowed: true });
    expect(((await sar({ verb: 'get', resource: 'secrets', namespace: 'default', name: 'on-b-secret' })).body as { status: unknown }).status).toEqual({ allowed: false, reason: `no relationship found between node 'a' and this object` });
    const rr = await as({ method: 'POST', path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', body: { spec: { namespace: 'default' } } });
    expect((rr.body as { status: { incomplete: boolean; evaluationError: string } }).status).toMatchObject({ incomplete: true, evaluationError: 'node authorizer does not support user rule resolution' });
  });
});
