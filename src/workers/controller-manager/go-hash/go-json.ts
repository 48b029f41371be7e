import { goQuantity } from './go-quantity';
import { goType, type GoType } from './go-types';
import { byBytes, isNilMap, isNilSlice, structSource } from './go-values';

/**
 * encoding/json of the Go value our JSON decodes to (see go-values), re-marshalled through map[string]interface{}
 * as the controllers' getPatch does: object keys sorted by bytes, omitempty applied (a struct is never empty),
 * nil slices/maps/pointers as null, Quantity as String(), a zero Time as null, IntOrString as number or string,
 * and strings escaped like Go (\u003c \u003e \u0026, U+2028/2029, \b \f as in Go ≥ 1.22, invalid UTF-16 → U+FFFD).
 */
export function goJson(typeExpr: string, v: unknown): string {
  return enc(goType(typeExpr), v);
}

function isEmpty(t: GoType, v: unknown): boolean {
  switch (t.kind) {
    case 'bool':
      return v !== true;
    case 'int':
    case 'uint':
    case 'float':
      return !v;
    case 'string':
      return typeof v !== 'string' || v === '';
    case 'ptr':
      return v === undefined || v === null;
    case 'slice':
      return isNilSlice(v);
    case 'map':
      return isNilMap(v);
    default:
      return false;
  }
}

function enc(t: GoType, v: unknown): string {
  switch (t.key) {
    case 'resource.Quantity':
      return goQuote(goQuantity(v).canonical);
    case 'meta.Time':
      return typeof v === 'string' && v && !Number.isNaN(Date.parse(v)) ? goQuote(new Date(Date.parse(v)).toISOString().replace(/\.\d+Z$/, 'Z')) : 'null';
    case 'intstr.IntOrString':
      return typeof v === 'string' ? goQuote(v) : String(typeof v === 'number' ? v : 0);
  }
  switch (t.kind) {
    case 'ptr':
      return v === undefined || v === null ? 'null' : enc(t.elem!, v);
    case 'bool':
      return v === true ? 'true' : 'false';
    case 'int':
    case 'uint':
    case 'float':
      return typeof v === 'number' && Number.isFinite(v) ? String(v) : '0';
    case 'string':
      return goQuote(typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
    case 'slice':
      return isNilSlice(v) ? 'null' : `[${(v as unknown[]).map((e) => enc(t.elem!, e)).join(',')}]`;
    case 'map': {
      if (isNilMap(v)) return 'null';
      const m = v as Record<string, unknown>;
      return `{${Object.keys(m).sort(byBytes).map((k) => `${goQuote(k)}:${enc(t.elem!, m[k])}`).join(',')}}`;
    }
    case 'struct': {
      const parts: [string, string][] = [];
      structParts(t, structSource(t, v), parts);
      parts.sort((a, b) => byBytes(a[0], b[0]));
      return `{${parts.map(([k, s]) => `${goQuote(k)}:${s}`).join(',')}}`;
    }
    default:
      return 'null';
  }
}

/** A struct's [json name, encoded value] pairs; inline (embedded) structs add theirs, read from the same object. */
function structParts(t: GoType, src: Record<string, unknown> | undefined, parts: [string, string][]): void {
  for (const f of t.fields!) {
    if (f.inline) {
      structParts(f.type, src, parts);
      continue;
    }
    if (f.json === '-') continue;
    const fv = src?.[f.key];
    if (f.omitempty && isEmpty(f.type, fv)) continue;
    parts.push([f.json, enc(f.type, fv)]);
  }
}

const ESC: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f', '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };
// eslint-disable-next-line no-control-regex
const SPECIAL = /["\\<>&\u0000-\u001f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A Go encoding/json string literal (HTML-safe). */
export function goQuote(s: string): string {
  return `"${s.replace(SPECIAL, (c) => ESC[c] ?? (c.charCodeAt(0) >= 0xd800 ? '\ufffd' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))}"`;
}
