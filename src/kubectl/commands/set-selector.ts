import { parseLabelSelector, type LabelRequirement } from '../../api/label-selector';
import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import type { CommandDef } from '../cli/commands-table';
import { ErrorList, RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { dryRunMode } from '../apply/apply-targets';
import { kindPrefix } from '../resource-mapper';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { visitObjects } from './visit-objects';

type Obj = Record<string, unknown>;

const flags: FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'stringSlice' }, { name: 'recursive', short: 'R', type: 'bool' }, { name: 'kustomize', short: 'k', type: 'string' },
  { name: 'all', type: 'bool' }, { name: 'local', type: 'bool' }, { name: 'output', short: 'o', type: 'string' }, { name: 'template', type: 'string' },
  { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' }, { name: 'field-manager', type: 'string' }, { name: 'record', type: 'bool' },
  { name: 'allow-missing-template-keys', type: 'bool' }, { name: 'show-managed-fields', type: 'bool' }, { name: 'resource-version', type: 'string' },
];

const GO_OPERATORS: Record<string, string> = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };

/**
 * metav1.ParseToLabelSelector as kubectl 1.32 vendors it: equality requirements become matchLabels, set
 * requirements matchExpressions; gt/lt are refused. Parse errors carry kubectl's wrapping and its parser's
 * operator list.
 */
function parseToLabelSelector(text: string): { matchLabels: Record<string, string>; matchExpressions: LabelRequirement[] } {
  let reqs: readonly LabelRequirement[];
  try {
    reqs = parseLabelSelector(text).requirements;
  } catch (e) {
    const msg = (e as Error).message.replace(/expected: '=', '!=', '==', 'in', notin'$/, 'expected: in, notin, =, ==, !=, gt, lt');
    throw new RawError(`error: couldn't parse the selector string "${text}": ${msg}`);
  }
  const out = { matchLabels: {} as Record<string, string>, matchExpressions: [] as LabelRequirement[] };
  for (const r of reqs) {
    if (r.operator === '=' || r.operator === '==') out.matchLabels[r.key] = r.values[0] ?? '';
    else if (r.operator === 'gt' || r.operator === 'lt') throw new RawError(`error: "${r.operator}" isn't supported in label selectors`);
    else out.matchExpressions.push(r);
  }
  return out;
}

/** Go struct field order of v1.Service and what it holds (kubectl prints a --local object as its typed struct). */
const ORDER: Record<string, string[]> = {
  service: ['kind', 'apiVersion', 'metadata', 'spec', 'status'],
  metadata: ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'],
  spec: ['ports', 'selector', 'clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP', 'loadBalancerSourceRanges', 'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses', 'sessionAffinityConfig', 'ipFamilies', 'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'internalTrafficPolicy', 'trafficDistribution'],
  port: ['name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'],
  status: ['loadBalancer', 'conditions'],
};

const ordered = (o: Obj | undefined, keys: string[]): Obj => {
  const out: Obj = {};
  for (const k of keys) if (o && k in o) out[k] = o[k];
  for (const k of Object.keys(o ?? {})) if (!(k in out)) out[k] = o![k];
  return out;
};

/** A Service as kubectl's typed struct marshals it: struct order; creationTimestamp null, targetPort 0 and status.loadBalancer {} when absent (not omitempty). */
function typedService(svc: Obj): Obj {
  const spec = (svc.spec as Obj | undefined) ?? {};
  const ports = spec.ports as Obj[] | undefined;
  return ordered(
    {
      ...svc,
      metadata: ordered({ creationTimestamp: null, ...(svc.metadata as Obj) }, ORDER.metadata),
      spec: ordered({ ...spec, ...(ports ? { ports: ports.map((p) => ordered({ targetPort: 0, ...p }, ORDER.port)) } : {}) }, ORDER.spec),
      status: ordered({ loadBalancer: {}, ...(svc.status as Obj) }, ORDER.status),
    },
    ORDER.service,
  );
}

/** Go's %v of []LabelSelectorRequirement: [{key In [a b]}]. */
const formatExpressions = (reqs: LabelRequirement[]) =>
  `[${reqs.map((r) => `{${r.key} ${GO_OPERATORS[r.operator] ?? r.operator} [${r.operator === 'exists' || r.operator === '!' ? '' : r.values.join(' ')}]}`).join(' ')}]`;

/**
 * kubectl set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version]: replaces a Service's
 * spec.selector with the selector's matchLabels (a strategic merge patch, sent even when nothing changes;
 * --resource-version pins metadata.resourceVersion). Other kinds: "setting a selector is only supported for
 * Services"; --local and --dry-run=client print the result without sending.
 */
async function runSetSelector(ctx: CommandContext): Promise<void> {
  const args = ctx.args;
  const selector = args.length ? parseToLabelSelector(args[args.length - 1]) : undefined;
  const local = ctx.bool('local');
  const dry = dryRunMode(ctx);
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  if (!selector) throw new RawError('error: one selector is required');
  const { targets, errors } = await visitObjects(ctx, args.slice(0, -1), { local });
  const rv = ctx.str('resource-version');
  for (const t of targets) {
    if (selector.matchExpressions.length) throw new RawError(`error: match expression ${formatExpressions(selector.matchExpressions)} not supported on this object`);
    if (t.kind !== 'Service' || t.group !== '') throw new RawError('error: setting a selector is only supported for Services');
    const old = ((t.obj.spec as Obj | undefined)?.selector as Record<string, string> | undefined) ?? {};
    const next = selector.matchLabels;
    const modified: Obj = { ...t.obj, spec: { ...(t.obj.spec as Obj), selector: next } };
    if (rv) modified.metadata = { ...t.obj.metadata, resourceVersion: rv };
    let result = modified;
    if (!local && !dry.client && t.info) {
      const diff: Record<string, string | null> = {};
      for (const k of Object.keys(old)) if (!(k in next)) diff[k] = null;
      for (const [k, v] of Object.entries(next)) if (old[k] !== v) diff[k] = v;
      const body: Obj = Object.keys(diff).length ? { spec: { selector: diff } } : {};
      if (rv) body.metadata = { resourceVersion: rv };
      result = await ctx.io.client.call<Obj>({
        method: 'PATCH',
        path: resourcePath(t.info, t.namespace, t.name),
        body,
        contentType: 'application/strategic-merge-patch+json',
        query: { fieldManager: ctx.str('field-manager') || 'kubectl-set', ...(dry.server ? { dryRun: 'All' } : {}) },
      });
    }
    if (format.format) ctx.out(printObjects([local ? typedService(result) : result], format, true, { typed: local }));
    else ctx.out(`${kindPrefix({ kind: t.kind, group: t.group })}/${t.name} selector updated${dry.suffix}\n`);
  }
  if (errors.length) throw new ErrorList(errors);
}

export const setSelectorCommand: CommandDef = {
  name: 'selector',
  short: 'Set the selector on a resource',
  usage: 'kubectl set selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version] [options]',
  flags,
  run: runSetSelector,
};
