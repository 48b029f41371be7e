import type { CommandContext } from '../../cli/command-context';
import { RawError } from '../../cli/errors';
import { createCommonFlags, explicitNamespace, objectMeta, requireName, s, sa, sl, type Generator } from './generator';

const VALID_VERBS = ['*', 'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate'];

/** Rules from --verb/--resource/--resource-name: one rule per API group, resources resolved by discovery. */
async function policyRules(ctx: CommandContext): Promise<Record<string, unknown>[]> {
  const verbs = ctx.list('verb');
  if (!verbs.length) throw new RawError('error: at least one verb must be specified');
  for (const v of verbs) if (!VALID_VERBS.includes(v)) ctx.err(`Warning: '${v}' is not a standard resource verb\n`);
  const resources = ctx.list('resource');
  if (!resources.length) throw new RawError('error: at least one resource must be specified');
  const mapper = await ctx.mapper();
  const byGroup = new Map<string, string[]>();
  for (const r of resources) {
    const [res, sub] = r.split('/');
    let group: string;
    let plural: string;
    if (res === '*') {
      group = '';
      plural = '*';
    } else {
      const info = mapper.resolve(res);
      group = info.group;
      plural = info.resource;
    }
    const list = byGroup.get(group) ?? [];
    list.push(sub ? `${plural}/${sub}` : plural);
    byGroup.set(group, list);
  }
  const names = ctx.list('resource-name');
  return [...byGroup].map(([group, res]) => {
    const rule: Record<string, unknown> = { verbs, apiGroups: [group], resources: res };
    if (names.length) rule.resourceNames = names;
    return rule;
  });
}

function roleGenerator(kind: 'Role' | 'ClusterRole'): Generator {
  const cluster = kind === 'ClusterRole';
  return {
    name: cluster ? 'clusterrole' : 'role',
    short: cluster ? 'Create a cluster role' : 'Create a role with single rule',
    usage: `kubectl create ${cluster ? 'clusterrole' : 'role'} NAME --verb=verb --resource=resource.group/subresource [--resource-name=resourcename] [--dry-run=server|client|none] [options]`,
    flags: [...createCommonFlags, sl('verb'), sl('resource'), sa('resource-name'), ...(cluster ? [sa('non-resource-url'), s('aggregation-rule')] : [])],
    resource: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: cluster ? 'clusterroles' : 'roles', namespaced: !cluster },
    async build(ctx) {
      const name = requireName(ctx);
      return { kind, apiVersion: 'rbac.authorization.k8s.io/v1', metadata: objectMeta(name, undefined, cluster ? undefined : explicitNamespace(ctx)), rules: await policyRules(ctx) };
    },
  };
}

export const roleGenerator_ = roleGenerator('Role');
export const clusterRoleGenerator = roleGenerator('ClusterRole');

function bindingGenerator(kind: 'RoleBinding' | 'ClusterRoleBinding'): Generator {
  const cluster = kind === 'ClusterRoleBinding';
  return {
    name: cluster ? 'clusterrolebinding' : 'rolebinding',
    short: cluster ? 'Create a cluster role binding for a particular cluster role' : 'Create a role binding for a particular role or cluster role',
    usage: `kubectl create ${cluster ? 'clusterrolebinding' : 'rolebinding'} NAME --clusterrole=NAME|--role=NAME [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]`,
    flags: [...createCommonFlags, s('clusterrole'), ...(cluster ? [] : [s('role')]), sa('user'), sa('group'), sa('serviceaccount')],
    resource: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: cluster ? 'clusterrolebindings' : 'rolebindings', namespaced: !cluster },
    build(ctx) {
      const name = requireName(ctx);
      const role = ctx.str('role');
      const clusterRole = ctx.str('clusterrole');
      if (cluster && !clusterRole) throw new RawError('error: required flag(s) "clusterrole" not set');
      if (!cluster && !!role === !!clusterRole) throw new RawError('error: exactly one of clusterrole or role must be specified');
      const subjects: Record<string, unknown>[] = [];
      for (const u of ctx.list('user')) subjects.push({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: u });
      for (const g of ctx.list('group')) subjects.push({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: g });
      for (const sa of ctx.list('serviceaccount')) {
        const parts = sa.split(':');
        if (parts.length !== 2 || !parts[0] || !parts[1]) throw new RawError(`error: serviceaccount must be <namespace>:<name>`);
        subjects.push({ kind: 'ServiceAccount', name: parts[1], namespace: parts[0] });
      }
      const obj: Record<string, unknown> = { kind, apiVersion: 'rbac.authorization.k8s.io/v1', metadata: objectMeta(name, undefined, cluster ? undefined : explicitNamespace(ctx)) };
      if (subjects.length) obj.subjects = subjects;
      obj.roleRef = { apiGroup: 'rbac.authorization.k8s.io', kind: role ? 'Role' : 'ClusterRole', name: role || clusterRole };
      return obj;
    },
  };
}

export const roleBindingGenerator = bindingGenerator('RoleBinding');
export const clusterRoleBindingGenerator = bindingGenerator('ClusterRoleBinding');
