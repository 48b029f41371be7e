import type { CommandContext } from '../../cli/command-context';
import { RawError } from '../../cli/errors';
import { createCommonFlags, explicitNamespace, objectMeta, requireName, s, sa, sl, sortedMap, type Generator } from './generator';

const VALID_VERBS = ['*', 'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate'];

const NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options'];

/**
 * Rules from --verb/--resource/--resource-name: one rule per API group, resources resolved by discovery; a
 * ClusterRole's --non-resource-url adds one rule {verbs, nonResourceURLs} after them. Errors and warnings in
 * kubectl's Validate order.
 */
async function policyRules(ctx: CommandContext, cluster: boolean): Promise<Record<string, unknown>[]> {
  const verbs = ctx.list('verb');
  if (!verbs.length) throw new RawError('error: at least one verb must be specified');
  const resources = ctx.list('resource');
  const urls = cluster ? [...new Set(ctx.list('non-resource-url'))] : [];
  if (!resources.length && !urls.length) throw new RawError(cluster ? 'error: one of resource or nonResourceURL must be specified' : 'error: at least one resource must be specified');
  const rules: Record<string, unknown>[] = [];
  if (resources.length) {
    for (const v of verbs) if (!VALID_VERBS.includes(v)) ctx.err(`Warning: '${v}' is not a standard resource verb\n`);
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
    for (const [group, res] of byGroup) {
      const rule: Record<string, unknown> = { verbs, apiGroups: [group], resources: res };
      if (names.length) rule.resourceNames = names;
      rules.push(rule);
    }
  }
  if (urls.length) {
    for (const v of verbs) if (!NON_RESOURCE_VERBS.includes(v)) throw new RawError(`error: invalid verb: '${v}' for nonResourceURL`);
    for (const u of urls) {
      if (u === '*') continue;
      if (!u.startsWith('/')) throw new RawError('error: nonResourceURL should start with /');
      if (u.slice(0, -1).includes('*')) throw new RawError("error: nonResourceURL only supports wildcard matches when '*' is at the end");
    }
    rules.push({ verbs, nonResourceURLs: urls });
  }
  return rules;
}

/** --aggregation-rule=k=v,… (repeatable, pflag's MapStringString) into one label map; undefined when unset. */
function aggregationLabels(ctx: CommandContext): Record<string, string> | undefined {
  const values = ctx.list('aggregation-rule');
  if (!values.length) return undefined;
  const labels: Record<string, string> = {};
  for (const v of values) {
    for (const pair of v.split(',')) {
      const eq = pair.indexOf('=');
      if (eq < 0) throw new RawError(`error: invalid argument "${v}" for "--aggregation-rule" flag: malformed pair, expect string=string\nSee '${ctx.commandPath} --help' for usage.`);
      labels[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return labels;
}

function roleGenerator(kind: 'Role' | 'ClusterRole'): Generator {
  const cluster = kind === 'ClusterRole';
  return {
    name: cluster ? 'clusterrole' : 'role',
    short: cluster ? 'Create a cluster role' : 'Create a role with single rule',
    usage: `kubectl create ${cluster ? 'clusterrole' : 'role'} NAME --verb=verb --resource=resource.group${cluster ? '' : '/subresource'} [--resource-name=resourcename] [--dry-run=server|client|none] [options]`,
    flags: [...createCommonFlags, sl('verb'), sl('resource'), sa('resource-name'), ...(cluster ? [sl('non-resource-url'), sa('aggregation-rule')] : [])],
    resource: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: cluster ? 'clusterroles' : 'roles', namespaced: !cluster },
    async build(ctx) {
      const name = requireName(ctx);
      const aggregation = cluster ? aggregationLabels(ctx) : undefined;
      const obj: Record<string, unknown> = { kind, apiVersion: 'rbac.authorization.k8s.io/v1', metadata: objectMeta(name, undefined, cluster ? undefined : explicitNamespace(ctx)) };
      if (aggregation) {
        if (['non-resource-url', 'verb', 'resource', 'resource-name'].some((f) => ctx.list(f).length)) {
          throw new RawError('error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames');
        }
        obj.rules = null;
        obj.aggregationRule = { clusterRoleSelectors: [{ matchLabels: sortedMap(aggregation) }] };
      } else obj.rules = await policyRules(ctx, cluster);
      return obj;
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
    createError: `failed to create ${cluster ? 'clusterrolebinding' : 'rolebinding'}: `,
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
