export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export const goList = (l: string[] | undefined) => `[${(l ?? []).join(' ')}]`;

/** rbac's BreakdownRule: one rule per group × resource × name (or per non-resource URL), all verbs each. */
function breakdown(r: PolicyRule): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const g of r.apiGroups ?? [])
    for (const res of r.resources ?? []) {
      if (r.resourceNames?.length) for (const n of r.resourceNames) out.push({ verbs: r.verbs, apiGroups: [g], resources: [res], resourceNames: [n] });
      else out.push({ verbs: r.verbs, apiGroups: [g], resources: [res] });
    }
  for (const u of r.nonResourceURLs ?? []) out.push({ verbs: r.verbs, nonResourceURLs: [u] });
  return out;
}

/** rbac's CompactRules: simple rules (one group, one resource, at most one name) with the same target merge their verbs. */
function compact(rules: PolicyRule[]): PolicyRule[] {
  const other: PolicyRule[] = [];
  const simple = new Map<string, PolicyRule>();
  for (const r of rules) {
    const isSimple = !r.nonResourceURLs?.length && r.apiGroups?.length === 1 && r.resources?.length === 1 && (r.resourceNames?.length ?? 0) <= 1;
    if (!isSimple) {
      other.push(r);
      continue;
    }
    const key = `${r.apiGroups![0]}\0${r.resources![0]}\0${r.resourceNames?.[0] ?? ''}`;
    const seen = simple.get(key);
    if (seen) seen.verbs = [...seen.verbs, ...r.verbs];
    else simple.set(key, { ...r, verbs: [...r.verbs] });
  }
  return [...other, ...simple.values()];
}

/** PolicyRule.String() — kubectl sorts can-i --list rows by it (verbs first). */
const ruleString = (r: PolicyRule) =>
  `&PolicyRule{Verbs:${goList(r.verbs)},APIGroups:${goList(r.apiGroups)},Resources:${goList(r.resources)},ResourceNames:${goList(r.resourceNames)},NonResourceURLs:${goList(r.nonResourceURLs)},}`;

/** describe.CombineResourceGroup: "pods", "deployments.apps", "pods/log". */
export function combineResourceGroup(resources: string[] | undefined, groups: string[] | undefined): string {
  if (!resources?.length) return '';
  const [res, sub] = resources[0].split(/\/(.*)/s);
  return `${res}${groups?.length && groups[0] ? `.${groups[0]}` : ''}${sub !== undefined ? `/${sub}` : ''}`;
}

/** BreakdownRule + CompactRules + SortableRuleSlice: the rows kubectl prints for rules (describe role, can-i --list). */
export function sortedCompactRules(rules: PolicyRule[]): PolicyRule[] {
  const rows = compact(rules.flatMap(breakdown));
  return rows.map((r) => [ruleString(r), r] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, r]) => r);
}
