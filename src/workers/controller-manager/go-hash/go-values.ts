import { goQuantity } from './go-quantity';
import type { GoType } from './go-types';

/**
 * The Go value kube-controller-manager holds for a field of our stored JSON, as the protobuf decode leaves it:
 * absent/null → the zero value; an empty list or map → nil; a present pointer → non-nil even when `{}`.
 * The three apimachinery structs with custom encodings are read into their Go fields (keyed by Go name).
 */
export const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export const isNilSlice = (v: unknown) => !Array.isArray(v) || v.length === 0;

export function isNilMap(v: unknown): boolean {
  if (!isObj(v)) return true;
  for (const _ in v) return false;
  return true;
}

/** Go's string order (UTF-8 bytes) for map keys: UTF-16 order with surrogates moved above U+E000–U+FFFF. */
export function byBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const rank = (c: number) => (c >= 0xe000 ? c - 0x800 : c >= 0xd800 ? c + 0x2000 : c);
      return rank(x) - rank(y);
    }
  }
  return a.length - b.length;
}

const UNIX_TO_INTERNAL = 62135596800n;

/** metav1.Time's time.Time: zero ({wall:0 ext:0 loc:nil}) unless set; a set time is kept in UTC (loc nil). */
export function goTime(v: unknown): { wall: bigint; ext: bigint; loc: null } | undefined {
  if (typeof v !== 'string' || !v) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return undefined;
  const frac = /\.(\d+)/.exec(v)?.[1] ?? '';
  const nanos = BigInt((frac + '000000000').slice(0, 9));
  const sec = BigInt(Math.floor(ms / 1000));
  return { wall: nanos, ext: sec + UNIX_TO_INTERNAL, loc: null };
}

/** intstr.IntOrString from its JSON form (a number → Type 0, a string → Type 1). */
export function goIntOrString(v: unknown): { Type: number; IntVal: number; StrVal: string } {
  if (typeof v === 'string') return { Type: 1, IntVal: 0, StrVal: v };
  return { Type: 0, IntVal: typeof v === 'number' ? v : 0, StrVal: '' };
}

/** The object whose keys a struct type's fields read (field.key), for the specially encoded structs too. */
export function structSource(t: GoType, v: unknown): Record<string, unknown> | undefined {
  switch (t.key) {
    case 'resource.Quantity':
      return goQuantity(v).fields;
    case 'meta.Time':
      return { Time: goTime(v) };
    case 'intstr.IntOrString':
      return goIntOrString(v);
    default:
      return isObj(v) ? v : undefined;
  }
}
