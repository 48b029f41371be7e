import { tabwrite, tableTabOptions } from './tabwriter';

/** meta.k8s.io/v1 Table as the apiserver returns it for Accept: application/json;as=Table;v=v1;g=meta.k8s.io. */
export interface TableColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}
export interface TableRow {
  cells: unknown[];
  /** Watch event type shown in the EVENT column (set by the watch printer). */
  eventType?: string;
  object?: { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } };
}
export interface Table {
  kind: 'Table';
  apiVersion?: string;
  metadata?: { resourceVersion?: string };
  columnDefinitions: TableColumn[];
  rows: TableRow[];
}

export function isTable(x: unknown): x is Table {
  return !!x && typeof x === 'object' && (x as { kind?: string }).kind === 'Table' && Array.isArray((x as Table).columnDefinitions);
}

export interface TablePrintOptions {
  noHeaders?: boolean;
  wide?: boolean;
  withNamespace?: boolean;
  showLabels?: boolean;
  /** -L keys: one column each (header = upper-cased last path segment), after the table's columns. */
  labelColumns?: string[];
  /** --output-watch-events: an EVENT column first, from each row's `eventType`. */
  eventColumn?: boolean;
  /** kubectl's printWithKind: prefix the name column with "kind[.group]/". */
  kindPrefix?: string;
}

/** labels.FormatLabels: sorted k=v joined by commas, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${(labels as Record<string, string>)[k]}`).join(',') : '<none>';
}

/**
 * Renders tables (one per request, same resource) as kubectl's HumanReadablePrinter: the header once
 * (and only if some table has rows), NAMESPACE first with -A, LABELS last with --show-labels,
 * priority>0 columns only with -o wide, cells truncated at the first newline with "...", nil cells
 * empty. Returns tab-separated lines (not yet aligned) so callers can stream through the tabwriter.
 */
export function renderTables(tables: Table[], opts: TablePrintOptions): string {
  let out = '';
  let printedHeaders = false;
  let lastColumns = '';
  for (const table of tables) {
    const colsKey = JSON.stringify(table.columnDefinitions);
    let noHeaders = !!opts.noHeaders;
    if (printedHeaders && (table.columnDefinitions.length === 0 || colsKey === lastColumns)) noHeaders = true;
    if (colsKey !== lastColumns) {
      lastColumns = colsKey;
      printedHeaders = false;
    }
    if (table.rows.length > 0) printedHeaders = true;
    out += renderTable(table, { ...opts, noHeaders });
  }
  return out;
}

function renderTable(table: Table, opts: TablePrintOptions): string {
  const columns: TableColumn[] = [];
  if (opts.withNamespace) columns.push({ name: 'Namespace', type: 'string' });
  columns.push(...table.columnDefinitions);
  const labelCols = opts.labelColumns ?? [];
  for (const key of labelCols) columns.push({ name: key.split('/').at(-1) ?? key, type: 'string' });
  if (opts.showLabels) columns.push({ name: 'Labels', type: 'string' });
  if (opts.eventColumn) columns.unshift({ name: 'Event', type: 'string' });
  const nameColumn = opts.kindPrefix ? table.columnDefinitions.findIndex((c) => c.format === 'name' && c.type === 'string') : -1;
  const rows = table.rows.map((row) => {
    const cells = [...row.cells];
    if (nameColumn >= 0) cells[nameColumn] = `${opts.kindPrefix}/${String(cells[nameColumn])}`;
    const meta = row.object?.metadata;
    if (opts.withNamespace) cells.unshift(meta ? (meta.namespace ?? '') : null);
    if (labelCols.length) {
      while (cells.length < columns.length - labelCols.length - (opts.showLabels ? 1 : 0) - (opts.eventColumn ? 1 : 0)) cells.push(null);
      for (const key of labelCols) cells.push(meta?.labels?.[key] ?? '');
    }
    if (opts.showLabels) {
      while (cells.length < columns.length - 1 - (opts.eventColumn ? 1 : 0)) cells.push(null);
      cells.push(meta ? formatLabels(meta.labels) : null);
    }
    if (opts.eventColumn) cells.unshift(row.eventType ?? '');
    return cells;
  });
  const visible = (c: TableColumn) => opts.wide || !c.priority;
  let out = '';
  if (!opts.noHeaders) {
    if (rows.length === 0) return '';
    out += columns.filter(visible).map((c) => c.name.toUpperCase()).join('\t') + '\n';
  }
  for (const cells of rows) {
    const parts: string[] = [];
    cells.forEach((cell, i) => {
      if (i >= columns.length || !visible(columns[i])) return;
      parts.push(cellText(cell));
    });
    out += parts.join('\t') + '\n';
  }
  return out;
}

function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') {
    const brk = cell.search(/[\f\n\r]/);
    return brk >= 0 ? cell.slice(0, brk) + '...' : cell;
  }
  if (typeof cell === 'object') return JSON.stringify(cell);
  return String(cell);
}

/** Aligns rendered table text with kubectl's tabwriter settings. */
export function alignTable(text: string): string {
  return tabwrite(text, tableTabOptions);
}
