/**
 * A pflag-like parser: `-n x`, `-nx`, `-n=x`, `--namespace x`, `--namespace=x`, combined short bools
 * (`-Aw`), `--flag=false` for bools, `--` ends flags. Flags may appear anywhere among the arguments.
 * Errors are FlagError with pflag's exact message text (without the "error: " prefix).
 */
export type FlagType = 'bool' | 'string' | 'int' | 'stringArray' | 'stringSlice';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  /** Value used when a string flag is given without `=value` (pflag NoOptDefVal). */
  noOptDefault?: string;
}

export type FlagValue = boolean | string | number | string[];

export interface ParsedFlags {
  args: string[];
  /** Number of positional arguments before `--` (cobra's ArgsLenAtDash), -1 without `--`. */
  argsLenAtDash: number;
  values: Map<string, FlagValue>;
  /** Flags the user set, by long name, in order. */
  set: Set<string>;
}

export class FlagError extends Error {}

/** pflag names a flag by both forms whenever it has a shorthand, however it was written. */
function flagLabel(spec: FlagSpec, _shortForm: boolean): string {
  return spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
}

function parseBool(spec: FlagSpec, v: string, shortForm: boolean): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new FlagError(`invalid argument "${v}" for "${flagLabel(spec, shortForm)}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`);
}

function parseIntFlag(spec: FlagSpec, v: string, shortForm: boolean): number {
  if (!/^[+-]?\d+$/.test(v)) {
    throw new FlagError(`invalid argument "${v}" for "${flagLabel(spec, shortForm)}" flag: strconv.ParseInt: parsing "${v}": invalid syntax`);
  }
  return Number(v);
}

function store(parsed: ParsedFlags, spec: FlagSpec, raw: string, shortForm: boolean): void {
  let value: FlagValue;
  switch (spec.type) {
    case 'bool':
      value = parseBool(spec, raw, shortForm);
      break;
    case 'int':
      value = parseIntFlag(spec, raw, shortForm);
      break;
    case 'stringArray':
    case 'stringSlice': {
      const prev = parsed.set.has(spec.name) ? (parsed.values.get(spec.name) as string[]) : [];
      const parts = spec.type === 'stringSlice' ? (raw === '' ? [] : raw.split(',')) : [raw];
      value = [...prev, ...parts];
      break;
    }
    default:
      value = raw;
  }
  parsed.values.set(spec.name, value);
  parsed.set.add(spec.name);
}

export function parseFlags(argv: string[], specs: FlagSpec[]): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const parsed: ParsedFlags = { args: [], argsLenAtDash: -1, values: new Map(), set: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      parsed.argsLenAtDash = parsed.args.length;
      parsed.args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const spec = byName.get(name);
      if (!spec) throw new FlagError(`unknown flag: --${name}`);
      if (eq >= 0) store(parsed, spec, a.slice(eq + 1), false);
      else if (spec.type === 'bool') store(parsed, spec, 'true', false);
      else if (spec.noOptDefault !== undefined) store(parsed, spec, spec.noOptDefault, false);
      else if (i + 1 < argv.length) store(parsed, spec, argv[++i], false);
      else throw new FlagError(`flag needs an argument: --${name}`);
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      const shorts = a.slice(1);
      for (let k = 0; k < shorts.length; k++) {
        const c = shorts[k];
        const spec = byShort.get(c);
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in ${a}`);
        const rest = shorts.slice(k + 1);
        if (rest.startsWith('=')) {
          store(parsed, spec, rest.slice(1), true);
          break;
        }
        if (spec.type === 'bool') {
          store(parsed, spec, 'true', true);
          continue;
        }
        if (rest) store(parsed, spec, rest, true);
        else if (spec.noOptDefault !== undefined) store(parsed, spec, spec.noOptDefault, true);
        else if (i + 1 < argv.length) store(parsed, spec, argv[++i], true);
        else throw new FlagError(`flag needs an argument: '${c}' in ${a}`);
        break;
      }
      continue;
    }
    parsed.args.push(a);
  }
  return parsed;
}

/** Typed accessors with defaults. */
export function flagString(p: ParsedFlags, name: string, def = ''): string {
  const v = p.values.get(name);
  return typeof v === 'string' ? v : def;
}
export function flagBool(p: ParsedFlags, name: string): boolean {
  return p.values.get(name) === true;
}
export function flagInt(p: ParsedFlags, name: string, def: number): number {
  const v = p.values.get(name);
  return typeof v === 'number' ? v : def;
}
export function flagList(p: ParsedFlags, name: string): string[] {
  const v = p.values.get(name);
  return Array.isArray(v) ? v : [];
}
