import type { PolicyRule, RoleRef, Subject } from 'kubernetes-types/rbac/v1';
import type { UserInfo } from '../../../api/protocol';
import type { PolicySnapshot } from './policy-cache';
import type { Attributes } from './request-attributes';

export const SYSTEM_MASTERS = 'system:masters';

export interface Decision {
  allowed: boolean;
  /** kube's reason: `RBAC: allowed by …` when allowed; when denied '' or `RBAC: <errors resolving roles>`. */
  reason: string;
}

/** rbacv1helpers.ResourceMatches: "*", the exact resource[/subresource], or "*\/<subresource>". */
function resourceMatches(rule: PolicyRule, combined: string, subresource: string): boolean {
  return (rule.resources ?? []).some((r) => r === '*' || r === combined || (subresource !== '' && r === `*/${subresource}`));
}

/** NonResourceURLMatches: "*", the exact path, or a prefix ending in "*". */
function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** RBAC's RuleAllows. */
export function ruleAllows(a: Attributes, rule: PolicyRule): boolean {
  const verbOk = rule.verbs.some((v) => v === '*' || v === a.verb);
  if (!verbOk) return false;
  if (!a.isResourceRequest) return nonResourceURLMatches(rule, a.path);
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return (
    (rule.apiGroups ?? []).some((g) => g === '*' || g === a.apiGroup) &&
    resourceMatches(rule, combined, a.subresource) &&
    (!rule.resourceNames?.length || rule.resourceNames.includes(a.name))
  );
}

const SA_PREFIX = 'system:serviceaccount:';

/** appliesToUser: a User by name, a Group by membership, a ServiceAccount by its system:serviceaccount:<ns>:<name> username. */
function appliesTo(user: UserInfo, s: Subject, bindingNamespace: string): boolean {
  if (s.kind === 'User') return user.username === s.name;
  if (s.kind === 'Group') return (user.groups ?? []).includes(s.name);
  if (s.kind === 'ServiceAccount') return user.username === `${SA_PREFIX}${s.namespace || bindingNamespace}:${s.name}`;
  return false;
}

/** describeSubject, as RBAC words its reasons. */
function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

/** One binding's contribution: the subject that matched and the rules of its role (or the lookup error). */
interface Visit {
  source: string;
  rules?: PolicyRule[];
  error?: string;
}

function roleRules(snap: PolicySnapshot, ref: RoleRef, namespace: string): { rules?: PolicyRule[]; error?: string } {
  if (ref.kind === 'ClusterRole') {
    const rules = snap.clusterRoleRules.get(ref.name);
    return rules ? { rules } : { error: `clusterrole.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found` };
  }
  if (ref.kind === 'Role') {
    const rules = snap.roleRules.get(`${namespace}/${ref.name}`);
    return rules ? { rules } : { error: `role.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found` };
  }
  return { error: `unsupported role reference kind: ${JSON.stringify(ref.kind)}` };
}

/**
 * VisitRulesFor: the ClusterRoleBindings (in store order) whose subjects include the user, then — for a
 * namespaced request — the RoleBindings of that namespace.
 */
export function* visitRules(snap: PolicySnapshot, user: UserInfo, namespace: string): Generator<Visit> {
  for (const b of snap.clusterRoleBindings) {
    const s = (b.subjects ?? []).find((x) => appliesTo(user, x, ''));
    if (!s) continue;
    const source = `ClusterRoleBinding ${JSON.stringify(b.metadata?.name ?? '')} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(s, '')}`;
    yield { source, ...roleRules(snap, b.roleRef, '') };
  }
  if (!namespace) return;
  for (const b of snap.roleBindings.get(namespace) ?? []) {
    const s = (b.subjects ?? []).find((x) => appliesTo(user, x, namespace));
    if (!s) continue;
    const source = `RoleBinding ${JSON.stringify(`${b.metadata?.name ?? ''}/${namespace}`)} of ${b.roleRef.kind} ${JSON.stringify(b.roleRef.name)} to ${describeSubject(s, namespace)}`;
    yield { source, ...roleRules(snap, b.roleRef, namespace) };
  }
}

/** visitRules' results per snapshot (a snapshot never changes: a policy change makes a new one), user and namespace. */
const visitMemo = new WeakMap<PolicySnapshot, Map<string, Visit[]>>();
const VISIT_MEMO_MAX = 1024;

/** visitRules materialized and memoized: the same visits in the same order, walked once per (snapshot, user, namespace). */
function visitsFor(snap: PolicySnapshot, user: UserInfo, namespace: string): Visit[] {
  let byKey = visitMemo.get(snap);
  if (!byKey) visitMemo.set(snap, (byKey = new Map()));
  // appliesTo reads only the username and the groups
  const key = JSON.stringify([user.username, user.groups ?? [], namespace]);
  let visits = byKey.get(key);
  if (!visits) {
    if (byKey.size >= VISIT_MEMO_MAX) byKey.clear();
    visits = [...visitRules(snap, user, namespace)];
    byKey.set(key, visits);
  }
  return visits;
}

/**
 * The union kube-apiserver runs for --authorization-mode=Node,RBAC as far as users see it: members of
 * system:masters are allowed everything (reason ''), then RBAC. A denial's reason lists role lookup errors
 * (kube's aggregate: one error bare, several as "[a, b]").
 */
export function authorize(snap: PolicySnapshot, a: Attributes): Decision {
  if ((a.user.groups ?? []).includes(SYSTEM_MASTERS)) return { allowed: true, reason: '' };
  const errors: string[] = [];
  for (const v of visitsFor(snap, a.user, a.namespace)) {
    if (v.error) errors.push(v.error);
    if (v.rules?.some((r) => ruleAllows(a, r))) return { allowed: true, reason: `RBAC: allowed by ${v.source}` };
  }
  if (!errors.length) return { allowed: false, reason: '' };
  return { allowed: false, reason: `RBAC: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}` };
}

/** The rules that apply to a user in a namespace ('' = cluster rules only), for SelfSubjectRulesReview. */
export function rulesFor(snap: PolicySnapshot, user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  for (const v of visitRules(snap, user, namespace)) {
    if (v.error) errors.push(v.error);
    rules.push(...(v.rules ?? []));
  }
  return { rules, errors };
}
