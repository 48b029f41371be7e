import { RawError } from '../cli/errors';
import { kindPrefix } from '../resource-mapper';
import { parseCustomColumns, printCustomColumns } from './custom-columns';
import { toGoJson, toGoJsonOrdered } from './go-json';
import { toGoYaml } from './go-yaml';
import { hasTypedOrder, typedOrder } from './typed-order';
import { goSprint } from './go-fmt';
import { toGoJsonCompact } from './go-json';
import { GoTemplate, TemplateError } from './go-template/go-template';
import { JsonPath, JsonPathEvalError, jsonPathExecError } from './jsonpath/jsonpath';
import { JsonPathSyntaxError } from './jsonpath/jsonpath-parser';

const ALLOWED =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/** A parsed -o value: the format and its argument (from "fmt=arg" or --template). */
export interface OutputFormat {
  format: string;
  arg: string;
}

const TEMPLATE_FORMATS = ['jsonpath', 'jsonpath-as-json', 'go-template', 'template', 'custom-columns'];

/**
 * Parses -o (and --template) with kubectl's texts for unknown formats and missing templates.
 * Formats we do not implement (the *-file ones) say so.
 */
export function checkOutputFormat(output: string, template = ''): OutputFormat {
  if (['', 'wide', 'yaml', 'json', 'name'].includes(output)) return { format: output, arg: '' };
  const eq = output.indexOf('=');
  const format = eq < 0 ? output : output.slice(0, eq);
  const arg = eq < 0 ? template : output.slice(eq + 1);
  if (TEMPLATE_FORMATS.includes(format)) {
    if (format === 'custom-columns') parseCustomColumns(arg);
    else if (!arg) throw new RawError('error: template format specified but no template given');
    else compile(format, arg);
    return { format, arg };
  }
  if (ALLOWED.split(',').includes(format)) throw new RawError(`error: output format "${format}" is not supported yet by this kubectl`);
  throw new RawError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: ${ALLOWED}`);
}

function compile(format: string, arg: string): JsonPath | GoTemplate {
  try {
    return format.startsWith('jsonpath') ? new JsonPath(arg) : new GoTemplate(arg);
  } catch (err) {
    if (err instanceof JsonPathSyntaxError) throw new RawError(`error: error parsing jsonpath ${arg}, ${err.message}`);
    if (err instanceof TemplateError) throw new RawError(`error: error parsing template ${arg}, ${err.message}`);
    throw err;
  }
}

/** An error whose command also wrote debugging text to stdout (kubectl's template printers). */
export class PrinterError extends RawError {
  constructor(message: string, readonly stdout: string) {
    super(message);
  }
}

export interface PrintOptions {
  noHeaders?: boolean;
  /** The object is a typed struct built by kubectl (generators): -o json keeps its field order. */
  typed?: boolean;
  /** --show-managed-fields: keep metadata.managedFields in -o json|yaml (kubectl omits them by default). */
  showManagedFields?: boolean;
}

/** OmitManagedFieldsPrinter: the objects (or List items) without metadata.managedFields. */
function omitManagedFields(v: Record<string, unknown>): Record<string, unknown> {
  const strip = (o: Record<string, unknown>) => {
    const m = o.metadata as Record<string, unknown> | undefined;
    if (!m || typeof m !== 'object' || !('managedFields' in m)) return o;
    const { managedFields: _mf, ...rest } = m;
    return { ...o, metadata: rest };
  };
  const out = strip(v);
  return Array.isArray(out.items) ? { ...out, items: (out.items as Record<string, unknown>[]).map((i) => (i && typeof i === 'object' ? strip(i) : i)) } : out;
}

/**
 * kubectl's generic printing: one object as itself when a single item was implied, otherwise a v1 List
 * (metadata.resourceVersion ""). -o name prints kind[.group]/name per object; custom-columns prints a
 * row per object; jsonpath and go-template run once over the object or List.
 */
export function printObjects(objs: Record<string, unknown>[], output: string | OutputFormat, single: boolean, opts: PrintOptions = {}): string {
  const { format, arg } = typeof output === 'string' ? checkOutputFormat(output) : output;
  if (format === 'name') return objs.map((o) => nameOf(o) + '\n').join('');
  if (format === 'custom-columns') return printCustomColumns(objs, parseCustomColumns(arg), !!opts.noHeaders);
  let value = single ? objs[0] : { apiVersion: 'v1', items: objs, kind: 'List', metadata: { resourceVersion: '' } };
  if ((format === 'json' || format === 'yaml') && !opts.showManagedFields) value = omitManagedFields(value);
  if (format === 'json') return opts.typed ? toGoJsonOrdered(value) : toGoJson(value);
  if (format === 'yaml') return toGoYaml(value);
  const printer = compile(format, arg);
  if (printer instanceof JsonPath) {
    try {
      if (format === 'jsonpath') return printer.execute(value);
      const all = printer.results(value).flat();
      return toGoJson(all);
    } catch (err) {
      if (err instanceof JsonPathEvalError) throw new RawError(`error: ${jsonPathExecError(arg, err, value)}`);
      throw err;
    }
  }
  try {
    return printer.execute(value);
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    const dump =
      `Error executing template: ${err.message}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${arg}\n\traw data was:\n\t\t${toGoJsonCompact(value)}\n\tobject given to template engine was:\n\t\t${goSprint(value)}\n\n`;
    throw new PrinterError(`error: error executing template ${JSON.stringify(arg)}: ${err.message}`, dump);
  }
}

/** printObjects of one object kubectl decoded into its typed struct (the `set` commands): a kind typed-order knows keeps Go struct order. */
export function printTypedObject(obj: Record<string, unknown>, output: OutputFormat): string {
  const kind = String(obj.kind ?? '');
  const typed = hasTypedOrder(kind);
  return printObjects([typed ? (typedOrder(obj, kind) as Record<string, unknown>) : obj], output, true, { typed });
}

export function nameOf(o: Record<string, unknown>): string {
  const apiVersion = String(o.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const name = (o.metadata as { name?: string } | undefined)?.name ?? '';
  return `${kindPrefix({ kind: String(o.kind ?? ''), group })}/${name}`;
}
