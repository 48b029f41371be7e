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

const DECIMAL_SUFFIX: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BINARY_SUFFIX = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const MAX_INT64 = (1n << 63n) - 1n;

/** Strips factors of base from |n| (sign kept); returns the rest and how many were removed. */
function removeFactors(n: bigint, base: bigint): [bigint, number] {
  let times = 0;
  while (n !== 0n && n % base === 0n) {
    n /= base;
    times++;
  }
  return [n, times];
}

/**
 * Quantity.String() of ParseQuantity(text) (throws QuantityFormatError like parseQuantity): the input itself when
 * apimachinery's fast path keeps it ("1500Mi", "100M", "1e3", "+1"), else the canonical form ("1000m" → "1",
 * "1024Mi" → "1Gi", "0.5" → "500m", "2048Ki" → "2Mi", "1.5Gi" → "1536Mi", "12e2" → "1200"). Values are rounded up to
 * 1n; binary-suffixed values are capped at 2^63-1, decimal ones are not.
 */
export function canonicalQuantity(text: string): string {
  parseQuantity(text);
  if (text === '0') return text;
  const [, sign, wholeRaw, fracRaw, suffix] = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(text)!;
  const num = wholeRaw.replace(/^0+/, '') || '0';
  const denom = fracRaw ?? '';
  const negative = sign === '-';
  let format: 'BinarySI' | 'DecimalSI' | 'DecimalExponent';
  let exponent: number;
  if (suffix in DECIMAL_EXP) [format, exponent] = ['DecimalSI', DECIMAL_EXP[suffix]];
  else if (suffix in BINARY) [format, exponent] = ['BinarySI', (BINARY_SUFFIX.indexOf(suffix)) * 10];
  else [format, exponent] = ['DecimalExponent', Number(suffix.slice(1))];
  // The value is unscaled × 10^scale.
  let unscaled: bigint;
  let scale: number;
  const precision =
    format !== 'BinarySI' ? 18 - (num.length + denom.length) : denom.length === 0 ? 15 - num.length - Math.trunc((exponent * 3) / 10) - 1 : -1;
  const fastScale = (format === 'BinarySI' ? 0 : exponent) - denom.length;
  if (precision >= 0 && fastScale >= -9) {
    const shifted = num + denom;
    const value = BigInt(shifted);
    unscaled = value << BigInt(format === 'BinarySI' ? exponent : 0);
    scale = fastScale;
    if (negative) unscaled = -unscaled;
    if (format === 'BinarySI' ? (value & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0') return text;
  } else {
    unscaled = BigInt(num + denom);
    scale = -denom.length;
    if (format === 'BinarySI') unscaled <<= BigInt(exponent);
    else scale += exponent;
    if (scale < -9) {
      const d = 10n ** BigInt(-9 - scale);
      unscaled = unscaled / d + (unscaled % d !== 0n ? 1n : 0n);
      scale = -9;
    }
    if (format === 'BinarySI') {
      const cap = scale >= 0 ? MAX_INT64 : MAX_INT64 * 10n ** BigInt(-scale);
      if (unscaled * (scale > 0 ? 10n ** BigInt(scale) : 1n) > cap) [unscaled, scale] = [MAX_INT64, 0];
    }
    if (negative) unscaled = -unscaled;
  }
  if (unscaled === 0n) return '0';
  if (format === 'BinarySI') {
    const whole = scale >= 0 ? unscaled * 10n ** BigInt(scale) : undefined;
    const exact = scale >= 0 || unscaled % 10n ** BigInt(-scale) === 0n;
    const intValue = whole ?? unscaled / 10n ** BigInt(-scale);
    const abs = intValue < 0n ? -intValue : intValue;
    if (exact && abs >= 1024n) {
      const [rest, times] = removeFactors(intValue, 1024n);
      return `${rest}${BINARY_SUFFIX[times]}`;
    }
    format = 'DecimalSI';
  }
  let [mantissa, times] = removeFactors(unscaled, 10n);
  let exp = scale + times;
  const down = ((exp % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(down);
  exp -= down;
  if (format === 'DecimalExponent') return exp === 0 ? `${mantissa}` : `${mantissa}e${exp}`;
  return `${mantissa}${DECIMAL_SUFFIX[exp] ?? ''}`;
}
