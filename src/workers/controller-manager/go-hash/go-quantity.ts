import { canonicalQuantity } from '../../../api/quantity';

/**
 * resource.Quantity as kube-controller-manager holds it: the apiserver sends String() (the canonical form) in
 * protobuf and the client's Unmarshal runs ParseQuantity on it, so the value is ParseQuantity(canonical) — its
 * unexported fields i (int64Amount), d (infDecAmount, *inf.Dec), s (kept only when canonical) and Format.
 */
export interface GoQuantity {
  /** Quantity.String(): what JSON carries. */
  canonical: string;
  /** The struct's fields keyed by Go name, in the shape the spew printer walks. */
  fields: {
    i: { value: bigint; scale: number };
    d: { Dec: { unscaled: { neg: boolean; abs: bigint[] | null }; scale: number } | null };
    s: string;
    Format: string;
  };
}

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const MAX_INT64 = (1n << 63n) - 1n;
const WORD = 1n << 64n;

const cache = new Map<string, GoQuantity>();

/** big.nat of |n|: 64-bit words, least significant first; nil for zero. */
function nat(n: bigint): bigint[] | null {
  const out: bigint[] = [];
  for (let v = n < 0n ? -n : n; v > 0n; v /= WORD) out.push(v % WORD);
  return out.length ? out : null;
}

/** The Quantity a JSON value decodes to after the protobuf round trip (absent: a zero Quantity, which sends "0"). */
export function goQuantity(json: unknown): GoQuantity {
  const input = json === undefined || json === null ? '0' : String(json);
  const hit = cache.get(input);
  if (hit) return hit;
  let text = input;
  try {
    text = canonicalQuantity(input.trim());
  } catch {
    // The apiserver never stores an unparsable quantity; keep the text (ParseQuantity below treats it as decimal).
  }
  const q = parseCanonical(text);
  if (cache.size > 1000) cache.clear();
  cache.set(input, q);
  return q;
}

/** ParseQuantity for a canonical string (no fraction, no leading zeros). */
function parseCanonical(str: string): GoQuantity {
  const zeroI = { value: 0n, scale: 0 };
  if (str === '0') return { canonical: str, fields: { i: zeroI, d: { Dec: null }, s: str, Format: 'DecimalSI' } };
  const m = /^([+-]?)0*([0-9]*)(.*)$/.exec(str)!;
  const positive = m[1] !== '-';
  const num = m[2] || '0';
  const suffix = m[3];
  let base = 10;
  let exponent = 0;
  let format: string;
  if (suffix in DECIMAL) [format, exponent] = ['DecimalSI', DECIMAL[suffix]];
  else if (suffix in BINARY) [format, exponent, base] = ['BinarySI', BINARY[suffix], 2];
  else [format, exponent] = ['DecimalExponent', Number(suffix.slice(1)) || 0];
  const precision = format === 'BinarySI' ? 15 - num.length - Math.trunc((exponent * 3) / 10) - 1 : 18 - num.length;
  const scale = format === 'BinarySI' ? 0 : exponent;
  if (precision >= 0 && scale >= -9) {
    const value = BigInt(num);
    let result = value * (format === 'BinarySI' ? 1n << BigInt(exponent) : 1n);
    if (result <= MAX_INT64) {
      if (!positive) result = -result;
      const keep = format === 'BinarySI' ? exponent % 10 === 0 && (value & 7n) !== 0n : scale % 3 === 0 && !num.endsWith('000') && num[0] !== '0';
      return { canonical: str, fields: { i: { value: result, scale }, d: { Dec: null }, s: keep ? str : '', Format: format } };
    }
  }
  // inf.Dec: unscaled × 10^-scale, rounded up to scale 9 (nano) as ParseQuantity does.
  let unscaled = BigInt(num);
  let decScale = 0;
  if (base === 10) decScale = -exponent;
  else unscaled <<= BigInt(exponent);
  if (unscaled !== 0n) {
    if (decScale < 9) unscaled *= 10n ** BigInt(9 - decScale);
    else if (decScale > 9) {
      const d = 10n ** BigInt(decScale - 9);
      unscaled = unscaled / d + (unscaled % d ? 1n : 0n);
    }
    decScale = 9;
  }
  if (format === 'BinarySI' && unscaled > MAX_INT64 * 10n ** 9n) [unscaled, decScale] = [MAX_INT64, 0];
  if (format === 'BinarySI' && unscaled < 10n ** 9n && unscaled > 0n) format = 'DecimalSI';
  const neg = !positive && unscaled !== 0n;
  return { canonical: str, fields: { i: zeroI, d: { Dec: { unscaled: { neg, abs: nat(unscaled) }, scale: decScale } }, s: '', Format: format } };
}
