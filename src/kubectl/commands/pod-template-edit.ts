import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import { dryRunMode } from '../apply/apply-targets';
import { kindPrefix } from '../resource-mapper';
import { checkOutputFormat, printTypedObject } from '../printers/print-objects';
import { podSpecPath } from './set-image';
import { visitObjects, type KubeObj, type Target } from './visit-objects';

export interface PodContainer {
  name: string;
  env?: unknown[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  [k: string]: unknown;
}

export interface PodSpecLike {
  containers?: PodContainer[];
  initContainers?: PodContainer[];
  [k: string]: unknown;
}

/** Go's path.Match for container selectors: '*' any run, '?' one character, everything else literal. */
export function matchContainer(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(name);
}

/** The Go type kubectl names in "does not have a pod template: *v1.ConfigMap" errors. */
function goTypeName(obj: KubeObj): string {
  const apiVersion = String(obj.apiVersion ?? '');
  const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
  return `*${version || 'v1'}.${String(obj.kind ?? '')}`;
}

/**
 * What mutate reports: an error for this object (kubectl's patch.Err, printed as
 * "error: <resource>/<name> <msg>"), or nothing (the spec was changed in place, or not at all).
 */
export type PodSpecMutation = (spec: PodSpecLike, target: Target) => string | undefined | void;

/**
 * kubectl's CalculatePatches + patch loop for the `set` commands that rewrite a pod template: resolves the
 * arguments, runs mutate on a copy of each object's pod spec, skips unchanged objects, and sends the changed
 * container lists as a JSON patch (the server's answer is what -o prints, as the typed struct kubectl decodes it into). Prints
 * "kind.group/name <verb>[ (dry run)]" per changed object; errors are collected and thrown as one list
 * after every object was tried. Objects without a pod template fail with kubectl's text.
 */
export async function editPodTemplates(ctx: CommandContext, resources: string[], verb: string, mutate: PodSpecMutation, opts: { list?: boolean } = {}): Promise<void> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  const dry = dryRunMode(ctx);
  if (ctx.bool('local') && dry.server) throw new RawError('error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
  const { targets, errors } = await visitObjects(ctx, resources, { local: ctx.bool('local') });
  for (const t of targets) {
    const resource = t.info?.resource ?? `${t.kind.toLowerCase()}s`;
    const path = podSpecPath(t.obj);
    if (!path) {
      errors.push(new RawError(`error: ${resource}/${t.name} the object is not a pod or does not have a pod template: ${goTypeName(t.obj)}`));
      continue;
    }
    const copy = structuredClone(t.obj);
    const spec = path.reduce<Record<string, unknown>>((o, k) => ((o[k] ??= {}) as Record<string, unknown>), copy) as PodSpecLike;
    const before = JSON.stringify(spec);
    const failure = mutate(spec, t);
    if (failure) {
      errors.push(new RawError(`error: ${resource}/${t.name} ${failure}`));
      continue;
    }
    if (opts.list || JSON.stringify(spec) === before) continue;
    const prefix = t.info ? kindPrefix(t.info) : kindPrefix({ kind: t.kind, group: t.group });
    if (!t.info || dry.client) {
      ctx.out(format.format ? printTypedObject(copy, format) : `${prefix}/${t.name} ${verb}${dry.suffix}\n`);
      continue;
    }
    const base = '/' + path.join('/');
    const ops = (['initContainers', 'containers'] as const)
      .filter((k) => JSON.stringify(spec[k]) !== JSON.stringify(path.reduce<Record<string, unknown>>((o, p) => (o?.[p] ?? {}) as Record<string, unknown>, t.obj)[k]))
      .map((k) => ({ op: 'add', path: `${base}/${k}`, value: spec[k] }));
    try {
      const result = await ctx.io.client.call<KubeObj>({
        method: 'PATCH',
        path: resourcePath(t.info, t.namespace, t.name),
        body: ops,
        contentType: 'application/json-patch+json',
        query: { fieldManager: ctx.str('field-manager') || 'kubectl-set', ...(dry.server ? { dryRun: 'All' } : {}) },
      });
      ctx.out(format.format ? printTypedObject(result, format) : `${prefix}/${t.name} ${verb}${dry.suffix}\n`);
    } catch (err) {
      errors.push(new Error(`${verb === 'env updated' ? 'failed to patch env update to pod template: ' : 'failed to patch resources update to pod template '}${err instanceof Error ? err.message : String(err)}`));
    }
  }
  if (errors.length) throw new ErrorList(errors);
}
