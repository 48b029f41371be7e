import { humanDuration } from '../../api/duration';
import type { CommandContext } from '../cli/command-context';
import { kindPrefix } from '../resource-mapper';
import { alignTable, isTable, renderTables, type Table, type TablePrintOptions } from '../printers/table-printer';
import { sortByField } from '../printers/sort-by';
import type { ResourceRequest } from './resource-args';
import { flattenList, noResources, type Fetched } from './get';

/** The Accept value kubectl get sends for server-side printing. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io';

/** The table options get's flags select (-o wide, -A, --show-labels, -L, --no-headers). */
export function tableOptions(ctx: CommandContext, info: { namespaced: boolean }, kind?: string): TablePrintOptions {
  return {
    noHeaders: ctx.bool('no-headers'),
    wide: ctx.str('output') === 'wide',
    withNamespace: ctx.bool('all-namespaces') && info.namespaced,
    showLabels: ctx.bool('show-labels'),
    labelColumns: ctx.list('label-columns'),
    kindPrefix: kind,
  };
}

/**
 * Prints fetched Tables grouped by resource (a blank line between groups), rows sorted per table by
 * --sort-by (or kubectl's error when several Tables print), names prefixed by kind when several kinds print or with --show-kind; "No resources found"
 * on stderr when nothing printed and nothing failed.
 */
export function printHuman(ctx: CommandContext, fetched: Fetched[], requests: ResourceRequest[], hadErrors: boolean): void {
  const kinds = new Set(fetched.map((f) => `${f.info.group}/${f.info.kind}`));
  const withKind = kinds.size > 1 || ctx.bool('show-kind');
  const noHeaders = ctx.bool('no-headers');
  const sortBy = ctx.str('sort-by');
  // Several Tables (types or names) are sorted as objects by kubectl 1.32: the field must exist on a Table
  // itself (so `.metadata.name` fails with "couldn't find any field…" before anything prints).
  const bodies = fetched.filter((f) => f.body !== undefined).map((f) => f.body);
  if (sortBy && bodies.length > 1) sortByField(bodies, sortBy, (b) => b);
  let written = 0;
  let i = 0;
  while (i < fetched.length) {
    const info = fetched[i].info;
    const tables: Table[] = [];
    for (; i < fetched.length && fetched[i].info === info; i++) {
      const body = fetched[i].body;
      if (body === undefined) continue;
      const table = asTable(body, ctx.io.clock.now());
      // kubectl prints nothing for a table whose rows all lack the --sort-by field (no error).
      if (sortBy && table.rows.length > 1) table.rows = sortRowsOrDrop(table, sortBy);
      tables.push(table);
    }
    const text = alignTable(renderTables(tables, tableOptions(ctx, info, withKind ? kindPrefix(info) : undefined)));
    if (text && written > 0 && !noHeaders) ctx.out('\n');
    ctx.out(text);
    written += text.length;
  }
  if (written === 0 && !hadErrors && !ctx.bool('ignore-not-found')) noResources(ctx, requests);
}

function sortRowsOrDrop(table: Table, sortBy: string): Table['rows'] {
  try {
    return sortByField(table.rows, sortBy, (r) => r.object);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("error: couldn't find any field")) return [];
    throw err;
  }
}

/** A server answer as a Table; objects from a server without Table support get NAME and AGE. */
export function asTable(body: unknown, now: number): Table {
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
