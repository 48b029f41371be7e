import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, Subject } from 'kubernetes-types/rbac/v1';
import { ClusterRoleBindings, ClusterRoles, RoleBindings, Roles } from '../../../api/resources';
import { GoValue, goStringSlice, invalid, notSupported, required, type FieldError } from '../field-errors';
import { age, createdAt, createdAtColumn, defineStrategy, named } from './define-strategy';
import { ageColumn, column, type KubeObject } from './strategy';
import type { NameValidator } from '../../../api/label-validation';

/** rbac.authorization.k8s.io/v1 Role, ClusterRole, RoleBinding, ClusterRoleBinding (stored objects; enforcement is elsewhere). */

const as = <T>(o: KubeObject) => o as unknown as T;
const RBAC_GROUP = 'rbac.authorization.k8s.io';
const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

/** ValidateRBACName: path.ValidatePathSegmentName (RBAC names may hold ':' as in system:node). */
export const rbacNameValidator: NameValidator = (name, prefix) => {
  const errs = !prefix && (name === '.' || name === '..') ? [`may not be '${name}'`] : [];
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
};

function validateRules(rules: PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  (rules ?? []).forEach((r, i) => {
    const p = `rules[${i}]`;
    if (!r.verbs?.length) errs.push(required(`${p}.verbs`, 'verbs must contain at least one value'));
    if (r.nonResourceURLs?.length) {
      if (namespaced) errs.push(invalid(`${p}.nonResourceURLs`, goStringSlice(r.nonResourceURLs), 'namespaced rules cannot apply to non-resource URLs'));
      if (r.apiGroups?.length || r.resources?.length || r.resourceNames?.length) {
        errs.push(invalid(`${p}.nonResourceURLs`, goStringSlice(r.nonResourceURLs), 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if (!r.apiGroups?.length) errs.push(required(`${p}.apiGroups`, 'resource rules must supply at least one api group'));
    if (!r.resources?.length) errs.push(required(`${p}.resources`, 'resource rules must supply at least one resource'));
  });
  return errs;
}

function defaultSubjects(o: KubeObject): void {
  for (const s of (o as { subjects?: Subject[] }).subjects ?? []) {
    // SetDefaults_Subject; a ServiceAccount's "" is omitted on output (omitempty), as kube serves it
    if (!s.apiGroup) {
      if (s.kind === 'ServiceAccount') delete s.apiGroup;
      else s.apiGroup = RBAC_GROUP;
    }
  }
}

function validateBinding(b: RoleBinding | ClusterRoleBinding, kinds: string[], namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ref = b.roleRef ?? ({} as RoleBinding['roleRef']);
  if (ref.apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', ref.apiGroup ?? '', [RBAC_GROUP]));
  if (!kinds.includes(ref.kind)) errs.push(notSupported('roleRef.kind', ref.kind ?? '', kinds));
  if (!ref.name) errs.push(required('roleRef.name'));
  (b.subjects ?? []).forEach((s, i) => {
    const p = `subjects[${i}]`;
    if (!s.name) errs.push(required(`${p}.name`));
    if (!SUBJECT_KINDS.includes(s.kind)) errs.push(notSupported(`${p}.kind`, s.kind ?? '', SUBJECT_KINDS));
    else if (s.kind === 'ServiceAccount') {
      if (s.apiGroup) errs.push(notSupported(`${p}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(required(`${p}.namespace`));
    } else if (s.apiGroup !== RBAC_GROUP) errs.push(notSupported(`${p}.apiGroup`, s.apiGroup ?? '', [RBAC_GROUP]));
  });
  return errs;
}

function immutableRoleRef(o: KubeObject, old: KubeObject): FieldError[] {
  const a = as<RoleBinding>(o).roleRef ?? ({} as RoleBinding['roleRef']);
  const b = as<RoleBinding>(old).roleRef ?? ({} as RoleBinding['roleRef']);
  if (a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name) return [];
  const repr = `rbac.RoleRef{APIGroup:${JSON.stringify(a.apiGroup ?? '')}, Kind:${JSON.stringify(a.kind ?? '')}, Name:${JSON.stringify(a.name ?? '')}}`;
  return [invalid('roleRef', new GoValue(repr), 'cannot change roleRef')];
}

/** SubjectsStrings: users, groups and service accounts ("ns/name"), each joined with ", ". */
function subjectCells(b: RoleBinding | ClusterRoleBinding): [string, string, string] {
  const pick = (kind: string) => (b.subjects ?? []).filter((s) => s.kind === kind);
  return [
    pick('User').map((s) => s.name).join(', '),
    pick('Group').map((s) => s.name).join(', '),
    pick('ServiceAccount').map((s) => (s.namespace ? `${s.namespace}/${s.name}` : s.name)).join(', '),
  ];
}

const bindingColumns = [
  column('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
  ageColumn,
  column('Users', 'string', 'Users in the roleBinding', 1),
  column('Groups', 'string', 'Groups in the roleBinding', 1),
  column('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding', 1),
];

const bindingRow = (o: KubeObject, now: number) => {
  const b = as<RoleBinding>(o);
  return named(o, `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, age(o, now), ...subjectCells(b));
};

export const roleStrategy = defineStrategy({
  ref: Roles,
  singularName: 'role',
  nameValidator: rbacNameValidator,
  validate: (o) => validateRules(as<Role>(o).rules, true),
  columns: [createdAtColumn],
  row: (o) => named(o, createdAt(o)),
});

export const clusterRoleStrategy = defineStrategy({
  ref: ClusterRoles,
  singularName: 'clusterrole',
  nameValidator: rbacNameValidator,
  validate: (o) => (as<ClusterRole>(o).aggregationRule ? [] : validateRules(as<ClusterRole>(o).rules, false)),
  columns: [createdAtColumn],
  row: (o) => named(o, createdAt(o)),
});

export const roleBindingStrategy = defineStrategy({
  ref: RoleBindings,
  singularName: 'rolebinding',
  nameValidator: rbacNameValidator,
  defaults: defaultSubjects,
  validate: (o) => validateBinding(as<RoleBinding>(o), ['ClusterRole', 'Role'], true),
  validateUpdate: immutableRoleRef,
  columns: bindingColumns,
  row: bindingRow,
});

export const clusterRoleBindingStrategy = defineStrategy({
  ref: ClusterRoleBindings,
  singularName: 'clusterrolebinding',
  nameValidator: rbacNameValidator,
  defaults: defaultSubjects,
  validate: (o) => validateBinding(as<ClusterRoleBinding>(o), ['ClusterRole'], false),
  validateUpdate: immutableRoleRef,
  columns: bindingColumns,
  row: bindingRow,
});
