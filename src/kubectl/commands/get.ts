import { resourcePath } from '../../api/resources';
import { ApiError } from '../../api/status';
import { humanDuration } from '../../api/duration';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import { kindPrefix, type ApiResourceInfo } from '../resource-mapper';
import { alignTable, isTable, renderTables, type Table } from '../printers/table-printer';
import { printObjects, checkOutputFormat } from '../printers/print-objects';
import { resolveResourceArgs, type ResourceRequest } from './resource-args';

/** The Accept value kubectl get sends for server-side printing. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const NO_TYPE_USAGE =
  'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n';

interface Fetched {
  info: ApiResourceInfo;
  body?: unknown;
}

/**
 * kubectl get. Human-readable output asks the server for Tables; -o yaml|json|name fetch objects.
 * Errors (NotFound per name, …) are collected and thrown as one ErrorList after the output.
 */
export async function runGet(ctx: CommandContext): Promise<void> {
  const output = ctx.str('output');
  checkOutputFormat(output);
  if (ctx.args.length === 0 && ctx.list('filename').length === 0) {
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
  const human = output === '' || output === 'wide';
  const errors: unknown[] = [];
  const fetched: Fetched[] = [];
  for (const req of requests) {
    for (const target of expand(req)) {
      try {
        fetched.push({ info: req.info, body: await fetchOne(ctx, req, target, human) });
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
    const objs = fetched.flatMap((f) => (f.body === undefined ? [] : flattenList(f.body)));
    ctx.out(printObjects(objs, output, singleItem && objs.length === 1));
  }
  if (errors.length) throw new ErrorList(errors);
}

function expand(req: ResourceRequest): (string | undefined)[] {
  return req.names.length ? req.names : [undefined];
}

async function fetchOne(ctx: CommandContext, req: ResourceRequest, name: string | undefined, table: boolean): Promise<unknown> {
  const ns = req.info.namespaced ? (ctx.bool('all-namespaces') && name === undefined ? undefined : (req.namespace ?? ctx.namespace)) : undefined;
  const query: Record<string, string> = {};
  if (name === undefined) {
    if (ctx.str('selector')) query.labelSelector = ctx.str('selector');
    if (ctx.str('field-selector')) query.fieldSelector = ctx.str('field-selector');
  }
  return ctx.io.client.call({
    method: 'GET',
    path: resourcePath(req.info, ns, name),
    query: Object.keys(query).length ? query : undefined,
    accept: table ? TABLE_ACCEPT : undefined,
  });
}

/** List items as standalone objects (kubectl's Flatten sets each item's apiVersion and kind). */
export function flattenList(body: unknown): Record<string, unknown>[] {
  const b = body as { kind?: string; apiVersion?: string; items?: Record<string, unknown>[] };
  if (!Array.isArray(b.items) || !b.kind?.endsWith('List')) return [body as Record<string, unknown>];
  const kind = b.kind.slice(0, -4);
  return b.items.map((item) => ({ apiVersion: b.apiVersion, kind, ...item }));
}

function printHuman(ctx: CommandContext, fetched: Fetched[], requests: ResourceRequest[], hadErrors: boolean): void {
  const all = ctx.bool('all-namespaces');
  const kinds = new Set(fetched.map((f) => `${f.info.group}/${f.info.kind}`));
  const withKind = kinds.size > 1 || ctx.bool('show-kind');
  const noHeaders = ctx.bool('no-headers');
  let written = 0;
  let i = 0;
  while (i < fetched.length) {
    const info = fetched[i].info;
    const tables: Table[] = [];
    for (; i < fetched.length && fetched[i].info === info; i++) {
      const body = fetched[i].body;
      if (body !== undefined) tables.push(asTable(body, ctx.io.clock.now()));
    }
    const text = alignTable(
      renderTables(tables, {
        noHeaders,
        wide: ctx.str('output') === 'wide',
        withNamespace: all && info.namespaced,
        showLabels: ctx.bool('show-labels'),
        kindPrefix: withKind ? kindPrefix(info) : undefined,
      }),
    );
    if (text && written > 0 && !noHeaders) ctx.out('\n');
    ctx.out(text);
    written += text.length;
  }
  if (written === 0 && !hadErrors && !ctx.bool('ignore-not-found')) {
    const allNamespaced = !all && requests.every((r) => r.info.namespaced);
    ctx.err(allNamespaced ? `No resources found in ${ctx.namespace} namespace.\n` : 'No resources found\n');
  }
}

/** A server answer as a Table; objects from a server without Table support get NAME and AGE. */
function asTable(body: unknown, now: number): Table {
  if (isTable(body)) return body;
  const objs = flattenList(body) as { metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string } }[];
  return {
    kind: 'Table',
    columnDefinitions: [
      { name: 'Name', type: 'string', format: 'name' },
      { name: 'Age', type: 'string' },
    ],
    rows: objs.map((o) => ({
      cells: [o.metadata?.name ?? '', o.metadata?.creationTimestamp ? humanDuration(now - Date.parse(o.metadata.creationTimestamp)) : '<unknown>'],
      object: { metadata: o.metadata },
    })),
  };
}
