import { RawError } from '../cli/errors';
import { goSprint } from './go-fmt';
import { JsonPath } from './jsonpath/jsonpath';
import { tabwrite, tableTabOptions } from './tabwriter';

export interface Column {
  header: string;
  /** A complete JSONPath template, e.g. {.metadata.name}. */
  fieldSpec: string;
}

/** kubectl's RelaxedJSONPathExpression: name.x, .name.x, {name.x} and {.name.x} all become {.name.x}. */
export function relaxedJsonPath(expr: string): string {
  if (!expr) return expr;
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(expr);
  if (!m) throw new RawError(`error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'`);
  return `{.${m[1] ?? m[2]}}`;
}

/** Parses "HEADER:path,…" (kubectl NewCustomColumnsPrinterFromSpec). */
export function parseCustomColumns(spec: string): Column[] {
  if (!spec) throw new RawError('error: custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new RawError(`error: unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), fieldSpec: relaxedJsonPath(part.slice(colon + 1)) };
  });
}

/**
 * Rows for objects, aligned with kubectl's tabwriter: the header once (unless noHeaders), each cell
 * the JSONPath results printed with %v and joined by ",", "<none>" when the first result set is empty.
 */
export function printCustomColumns(objs: unknown[], columns: Column[], noHeaders: boolean): string {
  const paths = columns.map((c) => new JsonPath(c.fieldSpec, true));
  let text = noHeaders ? '' : columns.map((c) => c.header).join('\t') + '\n';
  for (const obj of objs) {
    const cells = paths.map((p) => {
      const groups = p.results(obj);
      const values = groups.flat().map((v) => escapeTerminal(goSprint(v)));
      if (groups.length === 0 || groups[0].length === 0) values.unshift('<none>');
      return values.join(',');
    });
    text += cells.join('\t') + '\n';
  }
  return tabwrite(text, tableTabOptions);
}

/** printers.EscapeTerminal: control characters other than \t \n are shown as ^X / escaped. */
export function escapeTerminal(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => (c === '\x1b' ? '^[' : JSON.stringify(c).slice(1, -1)));
}
