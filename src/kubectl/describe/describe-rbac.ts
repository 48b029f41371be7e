import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from 'kubernetes-types/rbac/v1';
import { PrefixWriter } from './prefix-writer';
import { printAnnotationsMultiline, printLabelsMultiline } from './describe-labels';
import { combineResourceGroup, goList, sortedCompactRules, type PolicyRule } from './policy-rules';

/** kubectl describe role / clusterrole: the rules broken down, compacted and sorted as kubectl does. */
export function describeRole(role: Role | ClusterRole): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${role.metadata?.name ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', role.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', role.metadata?.annotations);
  w.write(0, 'PolicyRule:\n');
  w.write(1, 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n');
  w.write(1, '---------\t-----------------\t--------------\t-----\n');
  for (const r of sortedCompactRules((role.rules ?? []) as PolicyRule[])) {
    w.write(1, `${combineResourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}\n`);
  }
  return w.toString();
}

/** kubectl describe rolebinding / clusterrolebinding. */
export function describeRoleBinding(b: RoleBinding | ClusterRoleBinding): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${b.metadata?.name ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', b.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', b.metadata?.annotations);
  w.write(0, 'Role:\n');
  w.write(1, `Kind:\t${b.roleRef.kind}\n`);
  w.write(1, `Name:\t${b.roleRef.name}\n`);
  w.write(0, 'Subjects:\n');
  w.write(1, 'Kind\tName\tNamespace\n');
  w.write(1, '----\t----\t---------\n');
  for (const s of b.subjects ?? []) w.write(1, `${s.kind}\t${s.name}\t${s.namespace ?? ''}\n`);
  return w.toString();
}
