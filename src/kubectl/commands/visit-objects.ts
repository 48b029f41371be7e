import { resourcePath } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import { readSources } from '../cli/read-sources';
import type { ApiResourceInfo } from '../resource-mapper';
import { resolveResourceArgs } from './resource-args';

export type KubeObj = Record<string, unknown> & { metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; resourceVersion?: string } };

/** One object a mutating command works on; `info` is absent for --local objects (never sent). */
export interface Target {
  info?: ApiResourceInfo;
  kind: string;
  group: string;
  name: string;
  namespace?: string;
  obj: KubeObj;
}

export interface Visited {
  targets: Target[];
  /** NotFound and other API errors per name, to report after the others were handled. */
  errors: unknown[];
}

const groupOf = (apiVersion: unknown) => (String(apiVersion ?? '').includes('/') ? String(apiVersion).split('/')[0] : '');

/**
 * Resolves TYPE NAME… / TYPE/NAME / -f / -l / --all into live objects (kubectl's resource builder for
 * label, annotate, scale, patch, set): names are fetched one by one (errors collected), collections
 * listed with -l/--field-selector (all namespaces with -A). --local reads -f objects without a server.
 */
export async function visitObjects(ctx: CommandContext, args: string[], opts: { local?: boolean } = {}): Promise<Visited> {
  if (opts.local) {
    if (!ctx.list('filename').length) throw new RawError('error: one or more files must be specified as -f');
    const objs = await readSources(ctx, ctx.list('filename'));
    return {
      targets: objs.map(({ obj }) => ({ kind: String(obj.kind), group: groupOf(obj.apiVersion), name: obj.metadata?.name ?? '', namespace: obj.metadata?.namespace, obj: obj as KubeObj })),
      errors: [],
    };
  }
  const { requests } = await resolveResourceArgs(ctx, args);
  const named = requests.some((r) => r.names.length > 0);
  if (!named && !ctx.bool('all') && !ctx.str('selector') && !ctx.str('field-selector')) throw new RawError('error: resource(s) were provided, but no name was specified');
  const targets: Target[] = [];
  const errors: unknown[] = [];
  for (const req of requests) {
    const ns = req.info.namespaced ? (req.namespace ?? ctx.namespace) : undefined;
    const base = { info: req.info, kind: req.info.kind, group: req.info.group };
    if (req.names.length) {
      for (const name of req.names) {
        try {
          const obj = await ctx.io.client.call<KubeObj>({ method: 'GET', path: resourcePath(req.info, ns, name) });
          targets.push({ ...base, name, namespace: ns, obj });
        } catch (err) {
          if (!(err instanceof ApiError)) throw err;
          errors.push(err);
        }
      }
      continue;
    }
    const query: Record<string, string> = {};
    if (ctx.str('selector')) query.labelSelector = ctx.str('selector');
    if (ctx.str('field-selector')) query.fieldSelector = ctx.str('field-selector');
    const list = await ctx.io.client
      .call<{ items: KubeObj[] }>({
        method: 'GET',
        path: resourcePath(req.info, ctx.bool('all-namespaces') ? undefined : ns),
        query: Object.keys(query).length ? query : undefined,
      })
      .catch((err: unknown) => {
        throw listError(err, req.info, query);
      });
    for (const item of list.items) targets.push({ ...base, name: item.metadata?.name ?? '', namespace: item.metadata?.namespace, obj: item });
  }
  return { targets, errors };
}

/**
 * kubectl's resource builder rewording of a BadRequest or NotFound answer to a list: `Unable to list "GVR": …`,
 * or with a selector `Unable to find "GVR" that match label selector "…", field selector "…": …` (GVR as Go
 * prints a GroupVersionResource, `/v1, Resource=pods`); other errors unchanged.
 */
export function listError(err: unknown, info: { group: string; version: string; resource: string }, query: { labelSelector?: string; fieldSelector?: string }): unknown {
  if (!(err instanceof ApiError) || (err.code !== 400 && err.code !== 404)) return err;
  const gvr = JSON.stringify(`${info.group ? `${info.group}/` : '/'}${info.version}, Resource=${info.resource}`);
  const { labelSelector = '', fieldSelector = '' } = query;
  const message = !labelSelector && !fieldSelector
    ? `Unable to list ${gvr}: ${err.message}`
    : `Unable to find ${gvr} that match label selector ${JSON.stringify(labelSelector)}, field selector ${JSON.stringify(fieldSelector)}: ${err.message}`;
  return new ApiError(err.code, { ...err.status, message });
}
