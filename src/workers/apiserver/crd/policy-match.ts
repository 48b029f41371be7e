import { matchesLabelSelector } from '../../../api/label-selector';
import type { AdmissionAttributes } from '../admission/admission';

type Obj = Record<string, any>;

/**
 * One NamedRuleWithOperations against the request (webhook/predicates/rules, 1.32): apiGroups, apiVersions
 * and operations by value or "*"; each resources entry is "<resource>[/<subresource>]" where "*" matches any
 * resource and "/*" any subresource, so "deployments" and "*" match only the main resource, "deployments/scale",
 * "*\/scale", "deployments/*" and "*\/*" subresources; scope Cluster/Namespaced by the resource's scope;
 * resourceNames, when given, must contain the object's name.
 */
export function ruleMatches(r: Obj, a: AdmissionAttributes): boolean {
  const has = (list: string[] | undefined, v: string) => (list ?? []).includes('*') || (list ?? []).includes(v);
  if (!has(r.apiGroups, a.ref.group) || !has(r.apiVersions, a.ref.version) || !has(r.operations, a.operation)) return false;
  const sub = a.subresource ?? '';
  const resource = (r.resources ?? []).some((entry: string) => {
    const slash = entry.indexOf('/');
    const [res, s] = slash < 0 ? [entry, ''] : [entry.slice(0, slash), entry.slice(slash + 1)];
    return (res === '*' || res === a.ref.resource) && (s === '*' || s === sub);
  });
  if (!resource) return false;
  if (r.scope === 'Cluster' && a.ref.namespaced) return false;
  if (r.scope === 'Namespaced' && !a.ref.namespaced) return false;
  return !(r.resourceNames ?? []).length || r.resourceNames.includes(a.name);
}

/**
 * matchConstraints / a binding's matchResources: resourceRules (any), excludeResourceRules (none),
 * objectSelector on the object's or the old object's labels (either matching; only the old for DELETE), namespaceSelector on the namespace's
 * labels for namespaced resources. matchPolicy Equivalent matches as Exact: every resource here is served
 * at one group/version except events and HorizontalPodAutoscalers, which we do not convert for policies.
 */
export async function matches(m: Obj | undefined, a: AdmissionAttributes, nsLabels: () => Promise<Record<string, string> | undefined>): Promise<boolean> {
  if (!m) return true;
  if (m.resourceRules && !m.resourceRules.some((r: Obj) => ruleMatches(r, a))) return false;
  if ((m.excludeResourceRules ?? []).some((r: Obj) => ruleMatches(r, a))) return false;
  if (m.objectSelector) {
    const objects = [a.operation === 'DELETE' ? undefined : a.obj, a.old].filter((o) => o !== undefined);
    if (!objects.some((o) => matchesLabelSelector(m.objectSelector, (o.metadata?.labels ?? {}) as Record<string, string>))) return false;
  }
  if (m.namespaceSelector && Object.keys(m.namespaceSelector).length && a.ref.namespaced) {
    if (!matchesLabelSelector(m.namespaceSelector, (await nsLabels()) ?? {})) return false;
  }
  return true;
}
