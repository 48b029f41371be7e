import { RawError } from '../cli/errors';
import { relaxedJsonPath } from './custom-columns';
import { JsonPath } from './jsonpath/jsonpath';
import { goSort } from './go-sort';

const SUFFIX: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** resource.ParseQuantity's accepted forms, as a number (undefined when s is not a quantity). */
export function quantityValue(s: string): number | undefined {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(s);
  if (!m) return undefined;
  return Number(m[1] + (m[2] ?? '')) * SUFFIX[m[3] ?? ''];
}

/** kubectl's isLess over unstructured values; throws for unsortable or mismatched types. */
function isLess(a: unknown, b: unknown): boolean {
  if (a === null && b === null) return false;
  if (a === null) return true;
  if (b === null) return false;
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  if (typeof a === 'string' && typeof b === 'string') {
    const qa = quantityValue(a);
    const qb = quantityValue(b);
    // kubectl 1.32 compares strings bytewise (sortorder.NaturalLess came later), quantities by value.
    return qa !== undefined && qb !== undefined ? qa < qb : a < b;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (!isLess(a[i], b[i])) return false;
    return true;
  }
  throw new RawError(`error: unsortable type: ${typeof a}`);
}

/**
 * Sorts items by the first value of a --sort-by JSONPath (relaxed: .a.b, {.a.b}); items without the
 * field sort first; equal items keep Go sort.Sort's (unstable) order. Throws kubectl's error when no item has the field.
 */
export function sortByField<T>(items: T[], sortBy: string, objectOf: (item: T) => unknown): T[] {
  if (items.length === 0) return items;
  let field: string;
  try {
    field = relaxedJsonPath(sortBy);
  } catch {
    field = sortBy;
  }
  const parser = new JsonPath(field, true);
  const keys = items.map((it) => parser.results(objectOf(it)));
  if (!keys.some((k) => k.length > 0 && k[0].length > 0)) throw new RawError(`error: couldn't find any field with path "${field}" in the list of objects`);
  const idx = items.map((_, i) => i);
  const less = (i: number, j: number) => {
    const a = keys[i];
    const b = keys[j];
    if (a.length === 0 || a[0].length === 0) return true;
    if (b.length === 0 || b[0].length === 0) return false;
    return isLess(a[0][0], b[0][0]);
  };
  // Go's sort.Sort, so that ties land where kubectl puts them.
  goSort(
    idx.length,
    (i, j) => less(idx[i], idx[j]),
    (i, j) => ([idx[i], idx[j]] = [idx[j], idx[i]]),
  );
  return idx.map((i) => items[i]);
}
