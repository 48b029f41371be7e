import { describe, expect, it } from 'vitest';
import { canonicalQuantity, ERR_QUANTITY_FORMAT, milliValue, parseQuantity, quantityValue } from './quantity';

describe('parseQuantity', () => {
  it('parses decimal, binary, exponent and milli forms exactly', () => {
    expect(parseQuantity('100m')).toEqual({ value: 1, milli: 100 });
    expect(parseQuantity('1')).toEqual({ value: 1, milli: 1000 });
    expect(parseQuantity('128Mi').value).toBe(134217728);
    expect(parseQuantity('1G').value).toBe(1e9);
    expect(parseQuantity('1e3').value).toBe(1000);
    expect(parseQuantity('1E3').milli).toBe(1_000_000);
    expect(parseQuantity('0.5')).toEqual({ value: 1, milli: 500 });
    expect(parseQuantity('1.5Gi').value).toBe(1610612736);
    expect(parseQuantity('+2k').value).toBe(2000);
    expect(parseQuantity('.5').milli).toBe(500);
    expect(parseQuantity('1n')).toEqual({ value: 1, milli: 1 });
    expect(parseQuantity('0')).toEqual({ value: 0, milli: 0 });
    expect(parseQuantity('-100m')).toEqual({ value: 0, milli: -100 });
    expect(parseQuantity('110').value).toBe(110);
  });

  it('rejects malformed quantities with apimachinery texts', () => {
    expect(() => parseQuantity('abc')).toThrow(ERR_QUANTITY_FORMAT);
    expect(() => parseQuantity('')).toThrow(ERR_QUANTITY_FORMAT);
    expect(() => parseQuantity('1Qi')).toThrow(ERR_QUANTITY_FORMAT);
    expect(() => parseQuantity('1kk')).toThrow("unable to parse quantity's suffix");
    expect(milliValue('bogus')).toBe(0);
    expect(quantityValue(undefined)).toBe(0);
  });
});

describe('canonicalQuantity', () => {
  // [input, Quantity.String()] as kubectl 1.32 printed them for `create quota --hard=…`.
  const cases: [string, string][] = [
    ['1.0', '1'], ['1500m', '1500m'], ['0.1', '100m'], ['1000m', '1'], ['1e3', '1e3'], ['1.5Gi', '1536Mi'], ['2048Ki', '2Mi'],
    ['100M', '100M'], ['1000k', '1M'], ['12e2', '1200'], ['0.001', '1m'], ['1m', '1m'], ['1u', '1u'], ['1500Mi', '1500Mi'],
    ['1024Mi', '1Gi'], ['1Ki', '1Ki'], ['1025', '1025'], ['0.0001', '100u'], ['0.5', '500m'], ['1e-3', '1e-3'], ['1E6', '1E6'],
    ['+1', '+1'], ['1536', '1536'], ['0', '0'], ['2Gi', '2Gi'], ['1000000', '1M'], ['1000', '1k'], ['1024', '1024'], ['1.5', '1500m'],
    ['01', '01'], ['1000E', '1'], ['1e30', '1e30'], ['2e31', '20e30'], ['0.1n', '1n'], ['1.0001Ki', '1024102400u'], ['0.5Ki', '512'],
    ['-1000m', '-1'], ['1.Gi', '1.Gi'], ['00', '0'], ['1.', '1.'], ['.5', '500m'], ['123456789012345678901', '123456789012345678901'],
    ['99999999999999999999E', '99999999999999999999E'], ['12345678901234567890', '12345678901234567890'], ['8Ei', '9223372036854775807'],
    ['+1Ki', '+1Ki'], ['01Ki', '01Ki'], ['-2048Ki', '-2Mi'], ['1000Ki', '1000Ki'], ['0.1Ki', '102400m'], ['100000000000000000000n', '100G'],
    ['1.5e3', '1500'], ['0.0000000001', '1n'], ['-0.5', '-500m'], ['123456789012Ki', '123456789012Ki'], ['-8Ei', '-9223372036854775807'],
    ['-1Ki', '-1Ki'], ['1023Ki', '1023Ki'], ['1.5Ki', '1536'], ['1.25Ki', '1280'], ['-0.0000000001', '-1n'], ['7Ei', '7Ei'],
    ['1024Ei', '9223372036854775807'], ['0.5Mi', '512Ki'], ['1e-12', '1e-9'], ['100e-1', '10'], ['0m', '0'], ['0.0Ki', '0'], ['5e0', '5e0'],
    ['1000000000000000000', '1E'], ['10000000000000000000m', '10P'], ['3Mi', '3Mi'], ['3072Ki', '3Mi'],
    ['999999999999999999', '999999999999999999'], ['1.000000001Gi', '1073741825073741824n'],
  ];
  it.each(cases)('%s → %s', (input, want) => {
    expect(canonicalQuantity(input)).toBe(want);
  });
  it('throws the parser errors', () => {
    expect(() => canonicalQuantity('1x')).toThrow(ERR_QUANTITY_FORMAT);
    expect(() => canonicalQuantity('1Kii')).toThrow("unable to parse quantity's suffix");
  });
});
