import { resourcePath } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import type { ApiResourceInfo } from '../resource-mapper';
import { printObjects, checkOutputFormat } from '../printers/print-objects';
import { sortByField } from '../printers/sort-by';
import { resolveResourceArgs, type ResourceRequest } from './resource-args';
import { printHuman, TABLE_ACCEPT } from './get-human';
import { runGetWatch } from './get-watch';
import { runGetRaw } from './get-raw';
import { listError } from './visit-objects';

export { TABLE_ACCEPT };

const NO_TYPE_USAGE =
  'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n';

export interface Fetched {
  info: ApiResourceInfo;
  body?: unknown;
}

/**
 * kubectl get. Human-readable output asks the server for Tables (with includeObject=Object for
 * --sort-by); other formats fetch objects. Errors (NotFound per name, …) are collected and thrown as
 * one ErrorList after the output. -w/--watch-only stream until io.signal aborts (see get-watch).
 */
export async function runGet(ctx: CommandContext): Promise<void> {
  if (ctx.str('raw')) return runGetRaw(ctx, ctx.str('raw'));
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  if (ctx.args.length === 0 && ctx.list('filename').length === 0 && !ctx.str('kustomize')) {
    ctx.out(NO_TYPE_USAGE);
    throw new RawError(
      `error: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples`,
    );
  }
  const all = ctx.bool('all-namespaces');
  const { requests, singleItem } = await resolveResourceArgs(ctx, ctx.args);
  const named = requests.some((r) => r.names.length > 0);
  if (named && all && !ctx.list('filename').length) throw new RawError('error: a resource cannot be retrieved by name across all namespaces');
  if (named && ctx.str('selector') && !ctx.list('filename').length) throw new RawError('error: name cannot be provided when a selector is specified');
  const human = format.format === '' || format.format === 'wide';
  if (ctx.bool('watch') || ctx.bool('watch-only')) return runGetWatch(ctx, requests, format, human);
  const sortBy = ctx.str('sort-by');
  const errors: unknown[] = [];
  const fetched: Fetched[] = [];
  for (const req of requests) {
    for (const target of expand(req)) {
      try {
        fetched.push({ info: req.info, body: await fetchOne(ctx, req, target, human, !!sortBy) });
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        if (singleItem && !human) throw err;
        errors.push(err);
        fetched.push({ info: req.info });
      }
    }
  }
  if (human) printHuman(ctx, fetched, requests, errors.length > 0);
  else {
    let objs = fetched.flatMap((f) => (f.body === undefined ? [] : flattenList(f.body)));
    if (sortBy && objs.length > 1) objs = sortByField(objs, sortBy, (o) => o);
    ctx.out(printObjects(objs, format, singleItem && objs.length === 1, { noHeaders: ctx.bool('no-headers'), showManagedFields: ctx.bool('show-managed-fields') }));
  }
  if (errors.length) throw new ErrorList(errors);
}

function expand(req: ResourceRequest): (string | undefined)[] {
  return req.names.length ? req.names : [undefined];
}

/** The namespace a request reads (undefined for cluster-scoped resources and -A collections). */
export function requestNamespace(ctx: CommandContext, req: ResourceRequest, name: string | undefined): string | undefined {
  if (!req.info.namespaced) return undefined;
  return ctx.bool('all-namespaces') && name === undefined ? undefined : (req.namespace ?? ctx.namespace);
}

/** -l and --field-selector as query parameters for a collection request. */
export function selectorQuery(ctx: CommandContext): Record<string, string> {
  const query: Record<string, string> = {};
  if (ctx.str('selector')) query.labelSelector = ctx.str('selector');
  if (ctx.str('field-selector')) query.fieldSelector = ctx.str('field-selector');
  return query;
}

async function fetchOne(ctx: CommandContext, req: ResourceRequest, name: string | undefined, table: boolean, withObjects: boolean): Promise<unknown> {
  const query: Record<string, string> = name === undefined ? selectorQuery(ctx) : {};
  if (table && withObjects) query.includeObject = 'Object';
  return ctx.io.client
    .call({
      method: 'GET',
      path: resourcePath(req.info, requestNamespace(ctx, req, name), name),
      query: Object.keys(query).length ? query : undefined,
      accept: table ? TABLE_ACCEPT : undefined,
    })
    .catch((err: unknown) => {
      throw name === undefined ? listError(err, req.info, query) : err;
    });
}

/** kubectl's "No resources found" line on stderr. */
export function noResources(ctx: CommandContext, requests: ResourceRequest[]): void {
  const allNamespaced = !ctx.bool('all-namespaces') && requests.every((r) => r.info.namespaced);
  ctx.err(allNamespaced ? `No resources found in ${ctx.namespace} namespace.\n` : 'No resources found\n');
}

/** List items as standalone objects (kubectl's Flatten sets each item's apiVersion and kind). */
export function flattenList(body: unknown): Record<string, unknown>[] {
  const b = body as { kind?: string; apiVersion?: string; items?: Record<string, unknown>[] };
  if (!Array.isArray(b.items) || !b.kind?.endsWith('List')) return [body as Record<string, unknown>];
  const kind = b.kind.slice(0, -4);
  return b.items.map((item) => ({ apiVersion: b.apiVersion, kind, ...item }));
}
