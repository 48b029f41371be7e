import { matchesLabelSelector } from '../../../api/label-selector';
import type { ResourceRef } from '../../../api/resources';
import type { AdmissionAttributes } from '../admission/admission';
import { keyPrefix } from '../object-codec';
import { builtinTable } from '../registry/registry';
import type { ResourceStrategy } from '../registry/strategy';

type Obj = Record<string, any>;

/** The kind a scale subresource write is admitted as (its object is an autoscaling/v1 Scale). */
export const SCALE_KIND = { group: 'autoscaling', version: 'v1', kind: 'Scale' };

/**
 * A policy's match: the resource (and its strategy) the rule named — the request's own, or under matchPolicy
 * Equivalent an equivalent resource at another group/version — and the kind the object is converted to.
 */
export interface PolicyMatch {
  strategy: ResourceStrategy | undefined;
  resource: { group: string; version: string; resource: string };
  kind: { group: string; version: string; kind: string };
}

/** EquivalentResourceMapper.KindFor: scale subresources are autoscaling/v1 Scale, others the resource's kind. */
export function kindFor(ref: ResourceRef, subresource: string | undefined): PolicyMatch['kind'] {
  return subresource === 'scale' ? SCALE_KIND : { group: ref.group, version: ref.version, kind: ref.kind };
}

const own = (a: AdmissionAttributes): PolicyMatch => ({
  strategy: (a.ctx.resources ?? builtinTable).lookup(a.ref.group, a.ref.version, a.ref.resource),
  resource: { group: a.ref.group, version: a.ref.version, resource: a.ref.resource },
  kind: kindFor(a.ref, a.subresource),
});

/**
 * EquivalentResourceMapper.EquivalentResourcesFor (1.32): the served resources that share the request's
 * storage (kube keys its registry by the storage resource prefix): every served version of a custom resource,
 * core/v1 and events.k8s.io/v1 events, autoscaling/v1 and v2 HorizontalPodAutoscalers; with a subresource,
 * only those serving it. The request's own resource is left out. Order: the table's (built-ins, then CRD
 * versions by priority).
 */
export function equivalentResources(a: AdmissionAttributes): ResourceStrategy[] {
  const table = a.ctx.resources ?? builtinTable;
  const self = table.lookup(a.ref.group, a.ref.version, a.ref.resource);
  if (!self) return [];
  const sub = a.subresource ?? '';
  let bySub = equivalentsCache.get(self);
  if (!bySub) equivalentsCache.set(self, (bySub = new Map()));
  let out = bySub.get(sub);
  if (!out) {
    const base = keyPrefix(self);
    bySub.set(sub, (out = table.all().filter((s) => s !== self && keyPrefix(s) === base && (!sub || s.subresources[sub] !== undefined))));
  }
  return out;
}

/**
 * Per strategy object: a CRD's strategies are all rebuilt whenever the CRD changes (crd-registry), and
 * built-ins share storage only with built-ins, so a strategy's equivalents never change.
 */
const equivalentsCache = new WeakMap<ResourceStrategy, Map<string, ResourceStrategy[]>>();

/**
 * One NamedRuleWithOperations against the request (webhook/predicates/rules, 1.32), `ref` standing for the
 * request's resource (an equivalent one when matching under Equivalent): apiGroups, apiVersions and operations
 * by value or "*"; each resources entry is "<resource>[/<subresource>]" where "*" matches any resource and "/*"
 * any subresource, so "deployments" and "*" match only the main resource, "deployments/scale", "*\/scale",
 * "deployments/*" and "*\/*" subresources; scope Cluster/Namespaced by the resource's scope.
 */
export function ruleMatches(r: Obj, a: AdmissionAttributes, ref: ResourceRef = a.ref): boolean {
  const has = (list: string[] | undefined, v: string) => (list ?? []).includes('*') || (list ?? []).includes(v);
  if (!has(r.apiGroups, ref.group) || !has(r.apiVersions, ref.version) || !has(r.operations, a.operation)) return false;
  const sub = a.subresource ?? '';
  const resource = (r.resources ?? []).some((entry: string) => {
    const slash = entry.indexOf('/');
    const [res, s] = slash < 0 ? [entry, ''] : [entry.slice(0, slash), entry.slice(slash + 1)];
    return (res === '*' || res === ref.resource) && (s === '*' || s === sub);
  });
  if (!resource) return false;
  if (r.scope === 'Cluster' && ref.namespaced) return false;
  return !(r.scope === 'Namespaced' && !ref.namespaced);
}

/** resourceNames, when given, must contain the object's name. */
const nameMatches = (r: Obj, a: AdmissionAttributes) => !(r.resourceNames ?? []).length || r.resourceNames.includes(a.name);

/**
 * matching.matchesResourceRules: the first rule matching the request as it is; else, unless matchPolicy is
 * Exact, the first (rule, equivalent resource) pair matching, in rule order then equivalents' order.
 */
export function matchResourceRules(rules: Obj[], matchPolicy: string | undefined, a: AdmissionAttributes): PolicyMatch | undefined {
  if (rules.some((r) => ruleMatches(r, a) && nameMatches(r, a))) return own(a);
  if (matchPolicy !== 'Equivalent') return undefined;
  const equivalents = equivalentResources(a);
  for (const r of rules) {
    for (const s of equivalents) {
      if (!ruleMatches(r, a, s.ref) || !nameMatches(r, a)) continue;
      return { strategy: s, resource: { group: s.ref.group, version: s.ref.version, resource: s.ref.resource }, kind: kindFor(s.ref, a.subresource) };
    }
  }
  return undefined;
}

/**
 * matching.Matcher.Matches for matchConstraints / a binding's matchResources: namespaceSelector on the
 * namespace's labels for namespaced resources, objectSelector on the object's or the old object's labels
 * (either matching; only the old for DELETE), excludeResourceRules (none may match), resourceRules (absent:
 * the request's own resource and kind). matchPolicy Equivalent (the default, set when stored) also matches
 * equivalent resources (equivalentResources); undefined when the request does not match.
 */
export async function matches(m: Obj | undefined, a: AdmissionAttributes, nsLabels: () => Promise<Record<string, string> | undefined>): Promise<PolicyMatch | undefined> {
  if (!m) return own(a);
  if (m.namespaceSelector && Object.keys(m.namespaceSelector).length && a.ref.namespaced) {
    if (!matchesLabelSelector(m.namespaceSelector, (await nsLabels()) ?? {})) return undefined;
  }
  if (m.objectSelector && (Object.keys(m.objectSelector.matchLabels ?? {}).length || m.objectSelector.matchExpressions?.length)) {
    // objects without metadata (CONNECT's options) match no selector but the empty one
    const objects = [a.operation === 'DELETE' ? undefined : a.obj, a.old].filter((o) => o?.metadata !== undefined);
    if (!objects.some((o) => matchesLabelSelector(m.objectSelector, (o!.metadata?.labels ?? {}) as Record<string, string>))) return undefined;
  }
  if (matchResourceRules(m.excludeResourceRules ?? [], m.matchPolicy, a)) return undefined;
  if (!m.resourceRules?.length) return own(a);
  return matchResourceRules(m.resourceRules, m.matchPolicy, a);
}
