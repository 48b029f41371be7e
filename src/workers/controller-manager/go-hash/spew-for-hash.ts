import { goType, type GoType } from './go-types';
import { byBytes, isNilMap, isNilSlice, isObj, structSource } from './go-values';

/**
 * dump.ForHash: go-spew's ConfigState{Indent: " ", SortKeys, DisableMethods, SpewKeys, DisablePointerAddresses,
 * DisableCapacities}.Sprintf("%#v", v) of the Go value our JSON decodes to (see go-values). Rules of spew's
 * formatter: every value is prefixed by "(<reflect type>)" except slice elements, map keys and values and a
 * pointer's target; strings are unquoted; nil slices, maps and pointers print "<nil>" ("(*T)<nil>" for a pointer
 * field); structs print every field, exported or not, as Name:value separated by spaces; map keys are sorted.
 */
export function spewForHash(typeExpr: string, v: unknown): string {
  return fmt(goType(typeExpr), v, false);
}

function num(v: unknown): string {
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(Math.trunc(v));
  return '0';
}

/** Per type: "(name)", "(name)<nil>", "(*elem)" and the zero value's text (with and without the type). */
interface Texts { tag: string; nil: string; ptr: string; zero?: [string, string] }
const texts = new WeakMap<GoType, Texts>();
function textsOf(t: GoType): Texts {
  let x = texts.get(t);
  if (!x) texts.set(t, (x = { tag: `(${t.name})`, nil: `(${t.name})<nil>`, ptr: t.elem ? `(*${t.elem.name})` : '' }));
  return x;
}

function fmt(t: GoType, v: unknown, ignoreType: boolean): string {
  const x = textsOf(t);
  if (t.kind === 'ptr') {
    if (v === undefined || v === null) return ignoreType ? '<nil>' : x.nil;
    return (ignoreType ? '<*>' : x.ptr) + fmt(t.elem!, v, true);
  }
  const prefix = ignoreType ? '' : x.tag;
  switch (t.kind) {
    case 'bool':
      return prefix + (v === true ? 'true' : 'false');
    case 'int':
    case 'uint':
      return prefix + num(v);
    case 'float':
      return prefix + (typeof v === 'number' ? goFloat(v) : '0');
    case 'string':
      return prefix + (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
    case 'slice': {
      if (isNilSlice(v)) return `${prefix}<nil>`;
      const arr = v as unknown[];
      let s = `${prefix}[`;
      for (let i = 0; i < arr.length; i++) s += (i ? ' ' : '') + fmt(t.elem!, arr[i], true);
      return `${s}]`;
    }
    case 'map': {
      if (isNilMap(v)) return `${prefix}<nil>`;
      const m = v as Record<string, unknown>;
      const keys = Object.keys(m).sort(byBytes);
      let s = `${prefix}map[`;
      for (let i = 0; i < keys.length; i++) s += (i ? ' ' : '') + fmt(t.mapKey!, keys[i], true) + ':' + fmt(t.elem!, m[keys[i]], true);
      return `${s}]`;
    }
    case 'struct': {
      const src = structSource(t, v);
      if (src === undefined) {
        // A zero struct prints the same every time: computed once per type.
        const zero = (x.zero ??= ['', '']);
        const i = ignoreType ? 1 : 0;
        return zero[i] || (zero[i] = structText(t, undefined, prefix));
      }
      return structText(t, src, prefix);
    }
    default:
      // Opaque types (time.Location) are only reached through nil pointers.
      return `${prefix}${isObj(v) ? '{}' : '<nil>'}`;
  }
}

function structText(t: GoType, src: Record<string, unknown> | undefined, prefix: string): string {
  const fields = t.fields!;
  let s = `${prefix}{`;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    s += (i ? ' ' : '') + f.name + ':' + fmt(f.type, f.inline ? src : src?.[f.key], false);
  }
  return `${s}}`;
}

/** strconv.FormatFloat(f, 'g', -1, 64). */
function goFloat(f: number): string {
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(f)));
  if (exp < -4 || exp >= 6) {
    const [m, e] = f.toExponential().split('e');
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(f);
}
