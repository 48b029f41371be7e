import { describe, expect, it } from 'vitest';
import { humanDuration, shortHumanDuration, timestampSince } from './duration';

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe('humanDuration', () => {
  it.each([
    [-3 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59 * s, '59s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 5 * s, '2m5s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [5 * h + 3 * m, '5h3m'],
    [8 * h + 59 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [3 * d + 4 * h, '3d4h'],
    [8 * d + 4 * h, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [740 * d, '2y10d'],
    [8 * 365 * d, '8y'],
  ])('%i ms → %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('shortHumanDuration', () => {
  it.each([
    [30 * s, '30s'],
    [90 * s, '1m'],
    [5 * h + 59 * m, '5h'],
    [3 * d, '3d'],
    [400 * d, '1y'],
  ])('%i ms → %s', (ms, want) => {
    expect(shortHumanDuration(ms)).toBe(want);
  });
});

describe('timestampSince', () => {
  it('formats the age of an RFC 3339 timestamp and marks absent ones unknown', () => {
    const now = Date.UTC(2026, 0, 1, 0, 5, 0);
    expect(timestampSince('2026-01-01T00:00:00Z', now)).toBe('5m');
    expect(timestampSince(undefined, now)).toBe('<unknown>');
  });
});
