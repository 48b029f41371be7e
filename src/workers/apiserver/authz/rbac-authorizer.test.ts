import type { ClusterRole, ClusterRoleBinding, PolicyRule, RoleBinding } from 'kubernetes-types/rbac/v1';
import { describe, expect, it } from 'vitest';
import { aggregateClusterRoles, type PolicySnapshot } from './policy-cache';
import { authorize, ruleAllows, rulesFor } from './rbac-authorizer';
import type { Attributes } from './request-attributes';

const jane = { username: 'jane', groups: ['devs', 'system:authenticated'] };
const res = (verb: string, resource: string, o: Partial<Attributes> = {}): Attributes => ({
  user: jane, verb, isResourceRequest: true, path: '', namespace: 'default', apiGroup: '', apiVersion: 'v1', resource, subresource: '', name: '', ...o,
});
const url = (verb: string, path: string): Attributes => ({ ...res(verb, ''), isResourceRequest: false, path, namespace: '' });
const rule = (verbs: string[], apiGroups: string[], resources: string[], resourceNames?: string[]): PolicyRule => ({ verbs, apiGroups, resources, resourceNames });

describe('ruleAllows', () => {
  it('matches verbs, api groups and resources exactly or by "*"', () => {
    expect(ruleAllows(res('list', 'pods'), rule(['get', 'list'], [''], ['pods']))).toBe(true);
    expect(ruleAllows(res('delete', 'pods'), rule(['get', 'list'], [''], ['pods']))).toBe(false);
    expect(ruleAllows(res('delete', 'pods'), rule(['*'], [''], ['pods']))).toBe(true);
    expect(ruleAllows(res('get', 'deployments', { apiGroup: 'apps' }), rule(['get'], [''], ['deployments']))).toBe(false);
    expect(ruleAllows(res('get', 'deployments', { apiGroup: 'apps' }), rule(['get'], ['*'], ['deployments']))).toBe(true);
    expect(ruleAllows(res('get', 'secrets'), rule(['get'], [''], ['*']))).toBe(true);
  });

  it('needs resource/subresource for subresources ("pods" does not cover "pods/log"; "*/log" does)', () => {
    expect(ruleAllows(res('get', 'pods', { subresource: 'log', name: 'web' }), rule(['get'], [''], ['pods']))).toBe(false);
    expect(ruleAllows(res('get', 'pods', { subresource: 'log', name: 'web' }), rule(['get'], [''], ['pods/log']))).toBe(true);
    expect(ruleAllows(res('get', 'pods', { subresource: 'log', name: 'web' }), rule(['get'], [''], ['*/log']))).toBe(true);
    expect(ruleAllows(res('get', 'pods', { subresource: 'exec', name: 'web' }), rule(['get'], [''], ['*/log']))).toBe(false);
    expect(ruleAllows(res('get', 'pods', { subresource: 'log', name: 'web' }), rule(['get'], [''], ['*']))).toBe(true);
  });

  it('limits by resourceNames (a list without a name is not covered)', () => {
    const r = rule(['get', 'list'], [''], ['configmaps'], ['app-config']);
    expect(ruleAllows(res('get', 'configmaps', { name: 'app-config' }), r)).toBe(true);
    expect(ruleAllows(res('get', 'configmaps', { name: 'other' }), r)).toBe(false);
    expect(ruleAllows(res('list', 'configmaps'), r)).toBe(false);
  });

  it('matches nonResourceURLs exactly, by "*" or by a trailing-"*" prefix, and only for non-resource requests', () => {
    const r: PolicyRule = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
    expect(ruleAllows(url('get', '/healthz'), r)).toBe(true);
    expect(ruleAllows(url('get', '/healthz/etcd'), r)).toBe(false);
    expect(ruleAllows(url('get', '/apis/apps/v1'), r)).toBe(true);
    expect(ruleAllows(url('post', '/healthz'), r)).toBe(false);
    expect(ruleAllows(url('get', '/metrics'), { verbs: ['get'], nonResourceURLs: ['*'] })).toBe(true);
    expect(ruleAllows(res('get', 'pods'), { verbs: ['get'], nonResourceURLs: ['*'] })).toBe(false);
  });
});

function snapshot(crs: ClusterRole[], crbs: ClusterRoleBinding[], rbs: RoleBinding[] = [], roles: Record<string, PolicyRule[]> = {}): PolicySnapshot {
  const roleBindings = new Map<string, RoleBinding[]>();
  for (const b of rbs) roleBindings.set(b.metadata!.namespace!, [...(roleBindings.get(b.metadata!.namespace!) ?? []), b]);
  return { clusterRoleRules: aggregateClusterRoles(crs), roleRules: new Map(Object.entries(roles)), clusterRoleBindings: crbs, roleBindings };
}
const cr = (name: string, rules: PolicyRule[], labels?: Record<string, string>): ClusterRole => ({ metadata: { name, labels }, rules });
const crb = (name: string, role: string, subjects: ClusterRoleBinding['subjects']): ClusterRoleBinding => ({ metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects });
const rb = (name: string, ns: string, kind: string, role: string, subjects: RoleBinding['subjects']): RoleBinding => ({ metadata: { name, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: role }, subjects });

describe('authorize', () => {
  const reader = cr('pod-reader', [rule(['get', 'list'], [''], ['pods'])]);

  it('allows system:masters without any binding, with an empty reason', () => {
    expect(authorize(snapshot([], []), res('delete', 'nodes', { user: { username: 'x', groups: ['system:masters'] } }))).toEqual({ allowed: true, reason: '' });
  });

  it('words the reason after the binding, its role and the subject that matched', () => {
    const snap = snapshot([reader], [crb('read-pods', 'pod-reader', [{ kind: 'User', name: 'jane' }])]);
    expect(authorize(snap, res('list', 'pods'))).toEqual({ allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "read-pods" of ClusterRole "pod-reader" to User "jane"' });
    expect(authorize(snap, res('delete', 'pods'))).toEqual({ allowed: false, reason: '' });
    expect(authorize(snap, res('list', 'pods', { user: { username: 'bob' } })).allowed).toBe(false);
  });

  it('matches Group and ServiceAccount subjects; RoleBindings only in their namespace', () => {
    const sa = { username: 'system:serviceaccount:ci:builder', groups: ['system:serviceaccounts'] };
    const snap = snapshot([reader], [crb('devs', 'pod-reader', [{ kind: 'Group', name: 'devs' }])], [rb('b', 'ci', 'Role', 'deployer', [{ kind: 'ServiceAccount', name: 'builder' }])], {
      'ci/deployer': [rule(['create'], ['apps'], ['deployments'])],
    });
    expect(authorize(snap, res('get', 'pods', { namespace: 'x' })).reason).toBe('RBAC: allowed by ClusterRoleBinding "devs" of ClusterRole "pod-reader" to Group "devs"');
    expect(authorize(snap, res('create', 'deployments', { user: sa, namespace: 'ci', apiGroup: 'apps' }))).toEqual({
      allowed: true,
      reason: 'RBAC: allowed by RoleBinding "b/ci" of Role "deployer" to ServiceAccount "builder/ci"',
    });
    expect(authorize(snap, res('create', 'deployments', { user: sa, namespace: 'other', apiGroup: 'apps' })).allowed).toBe(false);
    expect(authorize(snap, res('create', 'deployments', { user: sa, namespace: '', apiGroup: 'apps' })).allowed).toBe(false);
  });

  it('reports bindings to missing roles in the denial reason', () => {
    const snap = snapshot([], [crb('x', 'gone', [{ kind: 'User', name: 'jane' }])], [rb('y', 'default', 'Role', 'missing', [{ kind: 'User', name: 'jane' }])]);
    expect(authorize(snap, res('get', 'pods'))).toEqual({
      allowed: false,
      reason: 'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "missing" not found]',
    });
    expect(authorize(snap, res('get', 'pods', { namespace: 'other' })).reason).toBe('RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found');
  });

  it('aggregates ClusterRoles by label, transitively (admin ← edit ← view)', () => {
    const agg = (name: string, from: string, labels?: Record<string, string>): ClusterRole => ({ ...cr(name, [], labels), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [`to-${from}`]: 'true' } }] } });
    const snap = snapshot(
      [agg('admin', 'admin'), agg('edit', 'edit', { 'to-admin': 'true' }), agg('view', 'view', { 'to-edit': 'true' }), cr('crons', [rule(['get'], ['batch'], ['cronjobs'])], { 'to-view': 'true' })],
      [crb('a', 'admin', [{ kind: 'User', name: 'jane' }])],
    );
    expect(authorize(snap, res('get', 'cronjobs', { apiGroup: 'batch' })).allowed).toBe(true);
    expect(rulesFor(snap, jane, 'default').rules).toEqual([rule(['get'], ['batch'], ['cronjobs'])]);
  });
});
