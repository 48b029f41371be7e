import { parseLabelSelector } from '../../../api/label-selector';
import { canonicalQuantity } from '../../../api/quantity';
import { RawError } from '../../cli/errors';
import { flagInt } from '../../cli/parse-flags';
import { b, createCommonFlags, explicitNamespace, i, objectMeta, requireName, s, sortedMap, type Generator } from './generator';

/**
 * kubectl create quota NAME [--hard=k=v,…] [--scopes=a,b]: quantities are parsed like apimachinery's ParseQuantity
 * and printed as its Quantity.String() does ("1000m" → "1", "1024Mi" → "1Gi", "0.5" → "500m").
 */
export const quotaGenerator: Generator = {
  name: 'quota',
  short: 'Create a quota with the specified name',
  usage: 'kubectl create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2] [--dry-run=server|client|none] [options]',
  flags: [...createCommonFlags, s('hard'), s('scopes')],
  resource: { group: '', version: 'v1', resource: 'resourcequotas', namespaced: true },
  createError: 'failed to create quota: ',
  build(ctx) {
    const name = requireName(ctx);
    const spec: Record<string, unknown> = {};
    const hardText = ctx.str('hard');
    if (hardText) {
      const hard: Record<string, string> = {};
      for (const pair of hardText.split(',')) {
        const eq = pair.indexOf('=');
        if (eq < 0 || pair.indexOf('=', eq + 1) >= 0) throw new RawError(`error: Invalid argument syntax ${pair}, expected <resource>=<value>`);
        let value: string;
        try {
          value = canonicalQuantity(pair.slice(eq + 1));
        } catch (err) {
          throw new RawError(`error: ${(err as Error).message}`);
        }
        hard[pair.slice(0, eq)] = value;
      }
      spec.hard = sortedMap(hard);
    }
    const scopes = ctx.str('scopes');
    if (scopes) spec.scopes = scopes.split(',');
    return { kind: 'ResourceQuota', apiVersion: 'v1', metadata: objectMeta(name, undefined, explicitNamespace(ctx)), spec, status: {} };
  },
};

/** kubectl create priorityclass NAME [--value] [--global-default] [--description] [--preemption-policy]. */
export const priorityClassGenerator: Generator = {
  name: 'priorityclass',
  short: 'Create a priority class with the specified name',
  usage: 'kubectl create priorityclass NAME --value=VALUE --global-default=BOOL [--dry-run=server|client|none] [options]',
  flags: [...createCommonFlags, i('value'), b('global-default'), s('description'), s('preemption-policy')],
  resource: { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses', namespaced: false },
  createError: 'failed to create priorityclass: ',
  build(ctx) {
    const obj: Record<string, unknown> = { kind: 'PriorityClass', apiVersion: 'scheduling.k8s.io/v1', metadata: objectMeta(requireName(ctx)), value: flagInt(ctx.flags, 'value', 0) };
    if (ctx.bool('global-default')) obj.globalDefault = true;
    if (ctx.str('description')) obj.description = ctx.str('description');
    obj.preemptionPolicy = ctx.flags.set.has('preemption-policy') ? ctx.str('preemption-policy') : 'PreemptLowerPriority';
    return obj;
  },
};

/** metav1.ParseToLabelSelector: = and == become matchLabels, in/notin/exists/! matchExpressions (values sorted). */
function toLabelSelector(text: string): Record<string, unknown> {
  let reqs;
  try {
    reqs = parseLabelSelector(text).requirements;
  } catch (err) {
    throw new RawError(`error: couldn't parse the selector string "${text}": ${(err as Error).message}`);
  }
  const matchLabels: Record<string, string> = {};
  const matchExpressions: Record<string, unknown>[] = [];
  const ops: Record<string, string> = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };
  for (const r of reqs) {
    if (r.operator === '=' || r.operator === '==') matchLabels[r.key] = r.values[0];
    else if (r.operator === 'gt' || r.operator === 'lt') throw new RawError(`error: "${r.operator}" isn't supported in label selectors`);
    else if (!ops[r.operator]) throw new RawError(`error: "${r.operator}" is not a valid label selector operator`);
    else matchExpressions.push({ key: r.key, operator: ops[r.operator], ...(r.values.length ? { values: [...r.values].sort() } : {}) });
  }
  const sel: Record<string, unknown> = {};
  if (Object.keys(matchLabels).length) sel.matchLabels = sortedMap(matchLabels);
  if (matchExpressions.length) sel.matchExpressions = matchExpressions;
  return sel;
}

const intOrPercent = (v: string): number | string => (/^[0-9]+$/.test(v) ? Number(v) : v);

/** kubectl create poddisruptionbudget|pdb NAME --selector=SELECTOR (--min-available=N[%] | --max-unavailable=N[%]). */
export const podDisruptionBudgetGenerator: Generator = {
  name: 'poddisruptionbudget',
  short: 'Create a pod disruption budget with the specified name',
  usage: 'kubectl create poddisruptionbudget NAME --selector=SELECTOR --min-available=N [--dry-run=server|client|none] [options]',
  flags: [...createCommonFlags, s('selector'), s('min-available'), s('max-unavailable')],
  resource: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets', namespaced: true },
  createError: 'failed to create poddisruptionbudgets: ',
  build(ctx) {
    const name = requireName(ctx);
    const [selector, min, max] = [ctx.str('selector'), ctx.str('min-available'), ctx.str('max-unavailable')];
    if (!selector) throw new RawError('error: a selector must be specified');
    if (!min && !max) throw new RawError('error: one of min-available or max-unavailable must be specified');
    if (min && max) throw new RawError('error: min-available and max-unavailable cannot be both specified');
    if (min && !/^[0-9]+%?$/.test(min)) throw new RawError('error: invalid format specified for min-available');
    if (max && !/^[0-9]+%?$/.test(max)) throw new RawError('error: invalid format specified for max-unavailable');
    const spec: Record<string, unknown> = {};
    if (min) spec.minAvailable = intOrPercent(min);
    spec.selector = toLabelSelector(selector);
    if (max) spec.maxUnavailable = intOrPercent(max);
    return {
      kind: 'PodDisruptionBudget',
      apiVersion: 'policy/v1',
      metadata: objectMeta(name, undefined, explicitNamespace(ctx)),
      spec,
      status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
    };
  },
};
