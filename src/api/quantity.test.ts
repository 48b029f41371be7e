import { describe, expect, it } from 'vitest';
import { ERR_QUANTITY_FORMAT, milliValue, parseQuantity, quantityValue } from './quantity';

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
