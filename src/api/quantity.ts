/**
 * resource.Quantity parsing, as apimachinery does it: "100m", "1", "128Mi", "1G", "1e3", "0.5", "+1k".
 * Values are computed exactly (BigInt) and rounded up, like Quantity.Value() and Quantity.MilliValue().
 * parseQuantity throws QuantityFormatError (apimachinery's ErrFormatWrong / ErrSuffix texts) on bad input.
 */
export class QuantityFormatError extends Error {}

export const ERR_QUANTITY_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const ERR_QUANTITY_SUFFIX = 'unable to parse quantity\'s suffix';

export interface Quantity {
  /** Value() — the quantity rounded up to an integer (bytes, cores, count). */
  value: number;
  /** MilliValue() — thousandths, rounded up (cpu "100m" → 100). */
  milli: number;
}

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n > 0n ? q + 1n : q;
}

/** Parses a quantity string; see the file header. */
export function parseQuantity(text: string): Quantity {
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text);
  if (!text || !m || (m[2] === '' && (m[3] ?? '') === '')) throw new QuantityFormatError(ERR_QUANTITY_FORMAT);
  const [, sign, whole, frac = '', suffix] = m;
  // numerator / 10^scale is the mantissa
  let num = BigInt((whole || '0') + frac);
  let exp10 = -frac.length;
  let mult = 1n;
  if (suffix in BINARY) mult = BINARY[suffix];
  else if (suffix in DECIMAL_EXP) exp10 += DECIMAL_EXP[suffix];
  else {
    const e = /^[eE]([+-]?[0-9]+)$/.exec(suffix);
    if (!e) throw new QuantityFormatError(/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix) ? ERR_QUANTITY_SUFFIX : ERR_QUANTITY_FORMAT);
    exp10 += Number(e[1]);
  }
  if (sign === '-') num = -num;
  num *= mult;
  const scaled = (extra: number) => {
    const e = exp10 + extra;
    return e >= 0 ? num * 10n ** BigInt(e) : ceilDiv(num, 10n ** BigInt(-e));
  };
  return { value: Number(scaled(0)), milli: Number(scaled(3)) };
}

/** MilliValue of a quantity, or 0 when absent or malformed (for already-validated objects). */
export function milliValue(text: string | undefined): number {
  if (text === undefined) return 0;
  try {
    return parseQuantity(String(text)).milli;
  } catch {
    return 0;
  }
}

/** Value of a quantity, or 0 when absent or malformed. */
export function quantityValue(text: string | undefined): number {
  if (text === undefined) return 0;
  try {
    return parseQuantity(String(text)).value;
  } catch {
    return 0;
  }
}
