import table from './flag-usages.json';

/** One local flag of a kubectl 1.32 command as cobra completes it. */
export interface FlagUsage {
  name: string;
  /** The shorthand letter, '' when none. */
  short: string;
  /** The first line of the flag's usage (what cobra prints after the tab). */
  usage: string;
  /** Marked required (cobra then offers only the unset required flags). */
  required: boolean;
  /** A slice or array flag (cobra offers it again when already set). */
  repeatable: boolean;
}

const cache = new Map<string, FlagUsage[]>();

/**
 * The local (non-inherited) flags of command path ("get", "create deployment") in kubectl 1.32, sorted by
 * name as cobra visits them, captured by capture-flag-usages.py into flag-usages.json; undefined for a path
 * kubectl 1.32 does not have.
 */
export function localFlagUsages(path: string): FlagUsage[] | undefined {
  const rows = (table.commands as Record<string, (string | number)[][]>)[path];
  if (!rows) return undefined;
  let out = cache.get(path);
  if (!out) {
    out = rows.map(([name, short, usage, attrs = '']) => ({
      name: String(name),
      short: String(short),
      usage: table.usages[Number(usage)],
      required: String(attrs).includes('r'),
      repeatable: String(attrs).includes('l'),
    }));
    cache.set(path, out);
  }
  return out;
}
