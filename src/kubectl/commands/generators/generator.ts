import type { FlagSpec } from '../../cli/parse-flags';
import type { CommandContext } from '../../cli/command-context';
import { RawError } from '../../cli/errors';
import { dryRunFlag, printFlags } from '../../cli/commands-table';

/** A kubectl create/run generator: builds one typed object (fields in Go struct order) from flags. */
export interface Generator {
  name: string;
  short: string;
  usage: string;
  flags: FlagSpec[];
  /** Group/version/resource the object is created in (kind comes from the object). */
  resource: { group: string; version: string; resource: string; namespaced: boolean };
  /** What kubectl puts before an API error of the create call ("failed to create configmap: "); none when unset. */
  createError?: string;
  build(ctx: CommandContext, name: string): Record<string, unknown> | Promise<Record<string, unknown>>;
}

export const s = (name: string, short?: string): FlagSpec => ({ name, short, type: 'string' });
export const b = (name: string, short?: string): FlagSpec => ({ name, short, type: 'bool' });
export const i = (name: string, short?: string): FlagSpec => ({ name, short, type: 'int' });
export const sa = (name: string, short?: string): FlagSpec => ({ name, short, type: 'stringArray' });
export const sl = (name: string, short?: string): FlagSpec => ({ name, short, type: 'stringSlice' });

/** Flags every create subcommand has. */
export const createCommonFlags: FlagSpec[] = [...printFlags, dryRunFlag, s('validate'), s('field-manager'), b('save-config'), b('edit'), b('windows-line-endings')];

/** kubectl's "exactly one NAME is required, got N" with the subcommand's help hint. */
export function requireName(ctx: CommandContext): string {
  const n = nameArgs(ctx).length;
  if (n !== 1) throw new RawError(`error: exactly one NAME is required, got ${n}\nSee '${ctx.commandPath} -h' for help and examples`);
  return ctx.args[0];
}

/** Positional arguments before `--`. */
export function nameArgs(ctx: CommandContext): string[] {
  const at = ctx.flags.argsLenAtDash;
  return at < 0 ? ctx.args : ctx.args.slice(0, at);
}

/** Arguments after `--` (the container command). */
export function commandArgs(ctx: CommandContext): string[] {
  const at = ctx.flags.argsLenAtDash;
  return at < 0 ? [] : ctx.args.slice(at);
}

/** cobra's MarkFlagRequired message. */
export function requireFlags(ctx: CommandContext, ...names: string[]): void {
  const missing = names.filter((n) => !ctx.flags.set.has(n));
  if (missing.length) throw new RawError(`error: required flag(s) ${missing.map((m) => `"${m}"`).join(', ')} not set`);
}

/** A map with keys in Go's sorted order (encoding/json sorts map keys). */
export function sortedMap<V>(m: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const k of Object.keys(m).sort()) out[k] = m[k];
  return out;
}

/** metav1.ObjectMeta as a generator fills it: name, namespace (when set), creationTimestamp null, labels. */
export function objectMeta(name: string, labels?: Record<string, string>, namespace?: string): Record<string, unknown> {
  const meta: Record<string, unknown> = { name };
  if (namespace) meta.namespace = namespace;
  meta.creationTimestamp = null;
  if (labels && Object.keys(labels).length) meta.labels = sortedMap(labels);
  return meta;
}

/** The namespace kubectl puts in generated objects: only when -n was given. */
export function explicitNamespace(ctx: CommandContext): string | undefined {
  return ctx.explicitNamespace ? ctx.namespace : undefined;
}

/** "k=v" pairs (labels, env, literals) with kubectl's error for a missing "=". */
export function parseKeyValue(src: string, what: (s: string) => string): [string, string] {
  const eq = src.indexOf('=');
  if (eq <= 0) throw new RawError(`error: ${what(src)}`);
  return [src.slice(0, eq), src.slice(eq + 1)];
}

/** A container name from an image reference (kubectl create deployment). */
export function containerNameFromImage(image: string): string {
  let name = image.split('/').at(-1) ?? image;
  if (name.includes(':')) name = name.split(':')[0];
  if (name.includes('@')) name = name.split('@')[0];
  return name.replaceAll('_', '-');
}
