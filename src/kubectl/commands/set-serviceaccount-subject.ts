import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import type { CommandDef } from '../cli/commands-table';
import { ErrorList, RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { dryRunMode } from '../apply/apply-targets';
import { kindPrefix } from '../resource-mapper';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { podSpecPathOrError } from './set-image';
import { visitObjects, type Target } from './visit-objects';

type Obj = Record<string, unknown>;
const common: FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'stringSlice' }, { name: 'recursive', short: 'R', type: 'bool' }, { name: 'kustomize', short: 'k', type: 'string' },
  { name: 'selector', short: 'l', type: 'string' }, { name: 'all', type: 'bool' }, { name: 'local', type: 'bool' }, { name: 'output', short: 'o', type: 'string' },
  { name: 'template', type: 'string' }, { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' }, { name: 'field-manager', type: 'string' },
  { name: 'record', type: 'bool' }, { name: 'allow-missing-template-keys', type: 'bool' }, { name: 'show-managed-fields', type: 'bool' },
];

const nest = (path: string[], leaf: Obj): Obj => path.reduceRight<Obj>((acc, key) => ({ [key]: acc }), leaf);

/** Sends one strategic merge patch (--dry-run=client: prints `modified` instead) and prints "<kind>/<name> <what> updated". */
async function patchAndPrint(ctx: CommandContext, t: Target, body: Obj, modified: Obj, what: string): Promise<void> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  const dry = dryRunMode(ctx);
  const result = dry.client
    ? modified
    : await ctx.io.client.call<Obj>({
        method: 'PATCH',
        path: resourcePath(t.info!, t.namespace, t.name),
        body,
        contentType: 'application/strategic-merge-patch+json',
        query: { fieldManager: ctx.str('field-manager') || 'kubectl-set', ...(dry.server ? { dryRun: 'All' } : {}) },
      });
  if (format.format) ctx.out(printObjects([result], format, true));
  else ctx.out(`${kindPrefix(t.info!)}/${t.name} ${what} updated${dry.suffix}\n`);
}

/** kubectl set serviceaccount (TYPE NAME | -f) SERVICE_ACCOUNT: the pod template's serviceAccountName, patched every time. */
async function runSetServiceAccount(ctx: CommandContext): Promise<void> {
  if (ctx.args.length === 0) throw new RawError(`error: serviceaccount is required\nSee 'kubectl set serviceaccount -h' for help and examples`);
  const sa = ctx.args[ctx.args.length - 1];
  const { targets, errors } = await visitObjects(ctx, ctx.args.slice(0, -1));
  for (const t of targets) {
    if (!t.info) continue;
    const path = podSpecPathOrError(t, t.info, errors);
    if (!path) continue;
    const modified = structuredClone(t.obj) as Obj;
    const spec = path.reduce<Obj>((o, k) => (o[k] ??= {}) as Obj, modified);
    spec.serviceAccountName = sa;
    await patchAndPrint(ctx, t, nest(path, { serviceAccountName: sa }), modified, 'serviceaccount');
  }
  if (errors.length) throw new ErrorList(errors);
}

/** kubectl set subject (TYPE NAME | -f) --user|--group|--serviceaccount=ns:name: appends missing subjects to (Cluster)RoleBindings. */
async function runSetSubject(ctx: CommandContext): Promise<void> {
  const users = ctx.list('user');
  const groups = ctx.list('group');
  const sas = ctx.list('serviceaccount');
  if (!users.length && !groups.length && !sas.length) throw new RawError('error: you must specify at least one value of user, group or serviceaccount');
  for (const sa of sas) {
    const parts = sa.split(':');
    if (parts.length !== 2 || !parts[1]) throw new RawError(`error: serviceaccount must be <namespace>:<name>`);
  }
  const { targets, errors } = await visitObjects(ctx, ctx.args);
  for (const t of targets) {
    if (!t.info) continue;
    if (t.kind !== 'RoleBinding' && t.kind !== 'ClusterRoleBinding') {
      errors.push(new RawError(`error: ${t.info.resource}/${t.name} setting subjects is only supported for RoleBinding/ClusterRoleBinding`));
      continue;
    }
    const subjects = [...((t.obj.subjects as Obj[] | undefined) ?? [])];
    const add = (s: Obj) => {
      if (!subjects.some((x) => x.kind === s.kind && x.name === s.name && (x.namespace ?? '') === (s.namespace ?? '') && (x.apiGroup ?? '') === (s.apiGroup ?? ''))) subjects.push(s);
    };
    for (const u of users) add({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: u });
    for (const g of groups) add({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: g });
    for (const sa of sas) {
      const [ns, name] = sa.split(':');
      add({ kind: 'ServiceAccount', namespace: ns || ctx.namespace, name });
    }
    // kubectl skips an object whose subjects are already all there (an empty patch), printing nothing.
    if (subjects.length === ((t.obj.subjects as Obj[] | undefined) ?? []).length) continue;
    await patchAndPrint(ctx, t, { subjects }, { ...t.obj, subjects }, 'subjects');
  }
  if (errors.length) throw new ErrorList(errors);
}

export const setServiceAccountCommand: CommandDef = {
  name: 'serviceaccount',
  aliases: ['sa'],
  short: 'Update the service account of a resource',
  usage: 'kubectl set serviceaccount (-f FILENAME | TYPE NAME) SERVICE_ACCOUNT [options]',
  flags: common,
  run: runSetServiceAccount,
};

export const setSubjectCommand: CommandDef = {
  name: 'subject',
  short: 'Update the user, group, or service account in a role binding or cluster role binding',
  usage: 'kubectl set subject (-f FILENAME | TYPE NAME) [--user=username] [--group=groupname] [--serviceaccount=namespace:serviceaccountname] [--dry-run=server|client|none] [options]',
  flags: [...common, { name: 'user', type: 'stringSlice' }, { name: 'group', type: 'stringSlice' }, { name: 'serviceaccount', type: 'stringSlice' }],
  run: runSetSubject,
};
