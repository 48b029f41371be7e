import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { RawError, SilentExit } from '../cli/errors';
import { printFlags, type CommandDef } from '../cli/commands-table';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { tableTabOptions, tabwrite } from '../printers/tabwriter';
import { combineResourceGroup, goList, sortedCompactRules, type PolicyRule } from '../describe/policy-rules';

const RESOURCE_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'impersonate', '*', 'approve', 'sign', 'escalate', 'attest'];
const NON_RESOURCE_VERBS = ['get', 'put', 'post', 'head', 'options', 'delete', 'patch', '*'];
const NON_STANDARD_RESOURCES = new Set(['users', 'groups', 'signers.certificates.k8s.io']);

/** The rows of `kubectl auth can-i --list` for a SelfSubjectRulesReview status. */
export function formatRulesReview(status: { resourceRules?: PolicyRule[]; nonResourceRules?: PolicyRule[] }, noHeaders: boolean): string {
  const rules = [...(status.resourceRules ?? []).map((r) => ({ ...r, nonResourceURLs: undefined })), ...(status.nonResourceRules ?? []).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs }))];
  const sorted = sortedCompactRules(rules);
  const lines = sorted.map((r) => `${combineResourceGroup(r.resources, r.apiGroups)}\t${goList(r.nonResourceURLs)}\t${goList(r.resourceNames)}\t${goList(r.verbs)}\n`);
  return tabwrite((noHeaders ? '' : 'Resources\tNon-Resource URLs\tResource Names\tVerbs\n') + lines.join(''), tableTabOptions);
}

async function runCanI(ctx: CommandContext): Promise<number> {
  const list = ctx.bool('list');
  const warn = (msg: string) => ctx.err(`Warning: ${msg}\n`);
  const ns = ctx.bool('all-namespaces') ? '' : ctx.namespace;
  if (list) {
    if (ctx.args.length) throw new RawError('error: list option must be specified with no arguments');
    if (ctx.bool('quiet') || ctx.bool('all-namespaces') || ctx.str('subresource')) throw new RawError("error: list option can't be specified with neither quiet, all-namespaces nor subresource options");
    const review = await ctx.io.client.call<{ status?: { resourceRules?: PolicyRule[]; nonResourceRules?: PolicyRule[]; incomplete?: boolean; evaluationError?: string } }>({
      method: 'POST',
      path: '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews',
      body: { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: { namespace: ns }, status: { resourceRules: null, nonResourceRules: null, incomplete: false } },
    });
    if (review.status?.incomplete) warn(`the list may be incomplete: ${review.status.evaluationError ?? ''}`);
    ctx.out(formatRulesReview(review.status ?? {}, ctx.bool('no-headers')));
    return 0;
  }
  if (ctx.args.length !== 2) throw new RawError("error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.");
  const [verb, target] = ctx.args;
  let attrs: Record<string, unknown>;
  if (target.startsWith('/')) {
    if (ctx.str('subresource')) throw new RawError('error: --subresource can not be used with NonResourceURL');
    if (!NON_RESOURCE_VERBS.includes(verb)) warn(`verb '${verb}' is not a known verb\n`);
    attrs = { nonResourceAttributes: { path: target, verb } };
  } else {
    const [typed, name = ''] = target.split(/\/(.*)/s);
    let group = '';
    let resource = typed;
    let namespaced = true;
    if (typed !== '*') {
      const mapper = await ctx.mapper();
      try {
        const info = mapper.resolve(typed.toLowerCase());
        group = info.group;
        resource = info.resource;
        namespaced = info.namespaced;
      } catch {
        const dot = typed.toLowerCase().indexOf('.');
        const gr = dot < 0 ? { r: typed.toLowerCase(), g: '' } : { r: typed.toLowerCase().slice(0, dot), g: typed.toLowerCase().slice(dot + 1) };
        if (!NON_STANDARD_RESOURCES.has(typed.toLowerCase())) warn(gr.g ? `the server doesn't have a resource type '${gr.r}' in group '${gr.g}'\n` : `the server doesn't have a resource type '${gr.r}'\n`);
      }
    }
    if (!ctx.bool('all-namespaces') && !namespaced) warn(group ? `resource '${resource}' is not namespace scoped in group '${group}'\n` : `resource '${resource}' is not namespace scoped\n`);
    if (!RESOURCE_VERBS.includes(verb)) warn(`verb '${verb}' is not a known verb\n`);
    attrs = { resourceAttributes: { namespace: ns, verb, group, resource, subresource: ctx.str('subresource'), name } };
  }
  if (ctx.bool('no-headers')) throw new RawError('error: --no-headers cannot be set without --list specified');
  const review = await ctx.io.client.call<{ status?: { allowed?: boolean; reason?: string; evaluationError?: string } }>({
    method: 'POST',
    path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
    body: { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec: attrs, status: { allowed: false } },
  });
  const s = review.status ?? {};
  if (!ctx.bool('quiet')) ctx.out(s.allowed ? 'yes\n' : `no${s.reason ? ` - ${s.reason}` : ''}${s.evaluationError ? ` - ${s.evaluationError}` : ''}\n`);
  if (!s.allowed) throw new SilentExit(1);
  return 0;
}

async function runWhoami(ctx: CommandContext): Promise<void> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  let res: Record<string, unknown> | undefined;
  for (const v of ['v1', 'v1beta1', 'v1alpha1']) {
    try {
      res = await ctx.io.client.call<Record<string, unknown>>({
        method: 'POST',
        path: `/apis/authentication.k8s.io/${v}/selfsubjectreviews`,
        body: { kind: 'SelfSubjectReview', apiVersion: `authentication.k8s.io/${v}`, metadata: { creationTimestamp: null }, status: { userInfo: {} } },
      });
      break;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (err.code === 403) throw new RawError('error: the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it');
      if (err.code !== 404) throw err;
    }
  }
  if (!res) {
    throw new RawError(
      'error: the selfsubjectreviews API is not enabled in the cluster\nenable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API',
    );
  }
  if (format.format) {
    ctx.out(printObjects([res], format, true));
    return;
  }
  const ui = ((res.status as { userInfo?: Record<string, unknown> } | undefined)?.userInfo ?? {}) as { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  let text = 'ATTRIBUTE\tVALUE\n';
  if (ui.username) text += `Username\t${ui.username}\n`;
  if (ui.uid) text += `UID\t${ui.uid}\n`;
  if (ui.groups?.length) text += `Groups\t${goList(ui.groups)}\n`;
  for (const k of Object.keys(ui.extra ?? {}).sort()) text += `Extra: ${k}\t${goList(ui.extra![k])}\n`;
  ctx.out(tabwrite(text, tableTabOptions));
}

export const authCommand: CommandDef = {
  name: 'auth',
  short: 'Inspect authorization',
  usage: 'kubectl auth [flags] [options]',
  flags: [],
  subcommands: [
    {
      name: 'can-i',
      short: 'Check whether an action is allowed',
      usage: 'kubectl auth can-i VERB [TYPE | TYPE/NAME | NONRESOURCEURL] [options]',
      flags: [
        { name: 'all-namespaces', short: 'A', type: 'bool' }, { name: 'quiet', short: 'q', type: 'bool' }, { name: 'list', type: 'bool' },
        { name: 'no-headers', type: 'bool' }, { name: 'subresource', type: 'string' },
      ],
      run: runCanI,
    },
    { name: 'whoami', short: 'Experimental: Check self subject attributes', usage: 'kubectl auth whoami [options]', flags: printFlags, run: runWhoami },
  ],
  async run(ctx) {
    ctx.err(
      'Inspect authorization.\n\nAvailable Commands:\n  can-i         Check whether an action is allowed\n  reconcile     Reconciles rules for RBAC role, role binding, cluster role, and cluster role binding objects\n  whoami        Experimental: Check self subject attributes\n\nUsage:\n  kubectl auth [flags] [options]\n\nUse "kubectl auth <command> --help" for more information about a given command.\nUse "kubectl options" for a list of global command-line options (applies to all commands).\n',
    );
    return 1;
  },
};
