import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../api/protocol';
import { apiFixture } from '../testing/api-fixture';
import { nodeUser } from '../authz/component-identities';

const t = apiFixture();
const as = (node: string, req: Partial<ApiRequest> & { path: string }) => t.call({ ...req, user: nodeUser(node) });
const message = (r: { body: unknown }) => (r.body as { message?: string }).message;
const NS = '/api/v1/namespaces/default';
const podBody = (name: string, nodeName?: string, annotations?: Record<string, string>) => ({ metadata: { name, ...(annotations ? { annotations } : {}) }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] } });

beforeEach(async () => {
  expect((await t.call({ method: 'POST', path: `${NS}/pods`, body: podBody('on-a', 'a') })).status).toBe(201);
  expect((await t.call({ method: 'POST', path: `${NS}/pods`, body: podBody('on-b', 'b') })).status).toBe(201);
  for (const n of ['a', 'b']) expect((await t.call({ method: 'POST', path: '/api/v1/nodes', body: { metadata: { name: n } } })).status).toBe(201);
});

const statusPatch = { status: { conditions: [{ type: 'Ready', status: 'True' }] } };
const mergePatch = (path: string, body: unknown): Partial<ApiRequest> & { path: string } => ({ method: 'PATCH', path, contentType: 'application/merge-patch+json', body });

describe('NodeRestriction', () => {
  it('lets a node update the status of its own pods only', async () => {
    expect((await as('a', mergePatch(`${NS}/pods/on-a/status`, statusPatch))).status).toBe(200);
    const r = await as('a', mergePatch(`${NS}/pods/on-b/status`, statusPatch));
    expect([r.status, message(r)]).toEqual([403, 'pods "on-b" is forbidden: node "a" can only update pod status for pods with spec.nodeName set to itself']);
    expect(message(await as('a', mergePatch(`${NS}/pods/on-a/status`, { metadata: { labels: { x: 'y' } } })))).toBe('pods "on-a" is forbidden: node "a" cannot update labels through pod status');
  });

  it('lets a node create only mirror pods bound to itself; pod updates are refused by the Node authorizer', async () => {
    expect(message(await as('a', { method: 'POST', path: `${NS}/pods`, body: podBody('p', 'a') }))).toBe('pods "p" is forbidden: pod does not have "kubernetes.io/config.mirror" annotation, node "a" can only create mirror pods');
    expect(message(await as('a', { method: 'POST', path: `${NS}/pods`, body: podBody('p', 'b', { 'kubernetes.io/config.mirror': 'x' }) }))).toBe('pods "p" is forbidden: node "a" can only create pods with spec.nodeName set to itself');
    // the Node authorizer already refuses a pod update, before admission
    expect(message(await as('a', mergePatch(`${NS}/pods/on-a`, { metadata: { labels: { x: 'y' } } })))).toBe('pods "on-a" is forbidden: User "system:node:a" cannot patch resource "pods" in API group "" in the namespace "default"');
  });

  it('lets a node modify its own Node only, and not its taints', async () => {
    expect((await as('a', mergePatch('/api/v1/nodes/a', { metadata: { labels: { x: 'y' } } }))).status).toBe(200);
    expect((await as('a', mergePatch('/api/v1/nodes/a/status', { status: { phase: 'Running' } }))).status).toBe(200);
    expect(message(await as('a', mergePatch('/api/v1/nodes/b', { metadata: { labels: { x: 'y' } } })))).toBe('nodes "b" is forbidden: node "a" is not allowed to modify node "b"');
    expect(message(await as('a', mergePatch('/api/v1/nodes/b/status', { status: { phase: 'Running' } })))).toBe('nodes "b" is forbidden: node "a" is not allowed to modify node "b"');
    expect(message(await as('a', mergePatch('/api/v1/nodes/a', { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } })))).toBe('nodes "a" is forbidden: node "a" is not allowed to modify taints');
  });

  it('holds a node to the label allow-list on create and update (node-restriction.kubernetes.io/ never)', async () => {
    const create = (name: string, labels: Record<string, string>, spec: Record<string, unknown> = {}) => as(name, { method: 'POST', path: '/api/v1/nodes', body: { metadata: { name, labels }, spec } });
    const ok = { 'kubernetes.io/hostname': 'c', 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'wasm', 'kubelet.kubernetes.io/x': '1', 'topology.kubernetes.io/zone': 'z', 'example.com/any': 'v', plain: 'v' };
    expect((await create('c', ok)).status).toBe(201);
    const r = await create('d', { 'node-restriction.kubernetes.io/pool': 'x', 'node-role.kubernetes.io/worker': '', 'foo.k8s.io/x': 'y', 'kubernetes.io/os': 'linux' });
    expect([r.status, message(r)]).toEqual([403, 'nodes "d" is forbidden: node "d" is not allowed to set the following labels: foo.k8s.io/x, node-restriction.kubernetes.io/pool, node-role.kubernetes.io/worker']);
    expect(message(await create('e', {}, { configSource: { configMap: { name: 'x', namespace: 'kube-system', kubeletConfigKey: 'k' } } }))).toBe('nodes "e" is forbidden: node "e" is not allowed to create pods with a non-nil configSource');
    // no exemption for the control-plane role: kubeadm adds it as the admin after the kubelet registered
    const cp = await create('f-control-plane', { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/hostname': 'f-control-plane' }, { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });
    expect([cp.status, message(cp)]).toEqual([403, 'nodes "f-control-plane" is forbidden: node "f-control-plane" is not allowed to set the following labels: node-role.kubernetes.io/control-plane']);
    // registering with the taint (--register-with-taints) and the LB exclusion label is allowed
    expect((await create('g-control-plane', { 'node.kubernetes.io/exclude-from-external-load-balancers': '' }, { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })).status).toBe(201);
    expect(message(await as('c', mergePatch('/api/v1/nodes/c', { metadata: { labels: { 'node-role.kubernetes.io/control-plane': '' } } })))).toBe('nodes "c" is forbidden: is not allowed to modify labels: node-role.kubernetes.io/control-plane');
    // removing a forbidden label the admin set is a modification too
    expect((await t.call(mergePatch('/api/v1/nodes/a', { metadata: { labels: { 'sub.node-restriction.kubernetes.io/team': 'x' } } }))).status).toBe(200);
    expect(message(await as('a', mergePatch('/api/v1/nodes/a', { metadata: { labels: { 'sub.node-restriction.kubernetes.io/team': null } } })))).toBe('nodes "a" is forbidden: is not allowed to modify labels: sub.node-restriction.kubernetes.io/team');
    expect((await as('a', mergePatch('/api/v1/nodes/a', { metadata: { labels: { 'node.kubernetes.io/exclude-from-external-load-balancers': '', 'kubernetes.io/arch': 'wasm32' } } }))).status).toBe(200);
    expect(message(await as('a', mergePatch('/api/v1/nodes/a/status', { metadata: { labels: { 'kubernetes.io/role': 'x' } } })))).toBe('nodes "a" is forbidden: is not allowed to modify labels: kubernetes.io/role');
  });

  it('refuses a node setting a new configSource, and leases outside kube-node-lease', async () => {
    const cs = { configMap: { name: 'x', namespace: 'kube-system', kubeletConfigKey: 'k' } };
    expect(message(await as('a', mergePatch('/api/v1/nodes/a', { spec: { configSource: cs } })))).toBe('nodes "a" is forbidden: node "a" is not allowed to update configSource to a new non-nil configSource');
    const r = await as('a', { method: 'POST', path: '/apis/coordination.k8s.io/v1/namespaces/default/leases', body: { metadata: { name: 'a' }, spec: {} } });
    expect(message(r)).toMatch(/can only access leases in the "kube-node-lease" system namespace|cannot create resource "leases"/);
  });

  it('lets a node create only its own Lease; other users are not restricted', async () => {
    const lease = (name: string) => ({ method: 'POST' as const, path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', body: { metadata: { name }, spec: {} } });
    expect((await as('a', lease('a'))).status).toBe(201);
    expect(message(await as('a', lease('b')))).toBe('leases.coordination.k8s.io "b" is forbidden: can only access node lease with the same name as the requesting node');
    expect((await t.call(mergePatch(`${NS}/pods/on-b/status`, statusPatch))).status).toBe(200);
  });
});

describe('NodeRestriction on delete and eviction', () => {
  const evict = (pod: string) => ({ method: 'POST' as const, path: `${NS}/pods/${pod}/eviction`, body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod } } });

  it('lets a node delete only pods bound to it', async () => {
    const r = await as('a', { method: 'DELETE', path: `${NS}/pods/on-b` });
    expect([r.status, message(r)]).toEqual([403, 'pods "on-b" is forbidden: node "a" can only delete pods with spec.nodeName set to itself']);
    expect((await t.call({ path: `${NS}/pods/on-b` })).status).toBe(200);
    expect((await as('a', { method: 'DELETE', path: `${NS}/pods/on-a`, query: { gracePeriodSeconds: '0' } })).status).toBe(200);
    expect((await t.call({ path: `${NS}/pods/on-a` })).status).toBe(404);
    expect(message(await as('a', { method: 'DELETE', path: `${NS}/pods/gone` }))).toBe('pods "gone" not found');
    // other users are not restricted
    expect((await t.call({ method: 'DELETE', path: `${NS}/pods/on-b`, query: { gracePeriodSeconds: '0' } })).status).toBe(200);
  });

  it('lets a node evict only pods bound to it', async () => {
    const r = await as('a', evict('on-b'));
    expect([r.status, message(r)]).toEqual([403, 'pods "on-b" is forbidden: node a can only evict pods with spec.nodeName set to itself']);
    expect((await t.call({ path: `${NS}/pods/on-b` })).status).toBe(200);
    expect((await as('a', evict('on-a'))).status).toBe(201);
  });

  it('lets a node delete only its own Node, when RBAC lets it delete nodes at all', async () => {
    expect(message(await as('a', { method: 'DELETE', path: '/api/v1/nodes/b' }))).toBe('nodes "b" is forbidden: User "system:node:a" cannot delete resource "nodes" in API group "" at the cluster scope');
    await t.call({ method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/clusterroles', body: { metadata: { name: 'node-deleter' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['delete'] }] } });
    await t.call({ method: 'POST', path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', body: { metadata: { name: 'node-deleter' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-deleter' }, subjects: [{ kind: 'Group', name: 'system:nodes' }] } });
    const r = await as('a', { method: 'DELETE', path: '/api/v1/nodes/b' });
    expect([r.status, message(r)]).toEqual([403, 'nodes "b" is forbidden: node "a" is not allowed to modify node "b"']);
    expect((await as('a', { method: 'DELETE', path: '/api/v1/nodes/a' })).status).toBe(200);
  });
});
