import { describe, expect, it } from 'vitest';
import { goSort } from './go-sort';

/** Sorts items by key with goSort and returns the item ids in their final order. */
function sortIds(keys: number[]): number[] {
  const items = keys.map((k, id) => ({ k, id }));
  goSort(items.length, (i, j) => items[i].k < items[j].k, (i, j) => ([items[i], items[j]] = [items[j], items[i]]));
  return items.map((x) => x.id);
}

describe('goSort (Go sort.Sort order)', () => {
  it('sorts, and keeps ties in input order up to 12 items (insertion sort)', () => {
    expect(sortIds([3, 1, 2, 1, 3, 0])).toEqual([5, 1, 3, 2, 0, 4]);
  });

  it('sorts large inputs of every shape', () => {
    const shapes = [
      Array.from({ length: 500 }, (_, i) => i),
      Array.from({ length: 500 }, (_, i) => 500 - i),
      Array.from({ length: 500 }, (_, i) => (i * 7919) % 101),
      Array.from({ length: 500 }, (_, i) => i % 2),
    ];
    for (const keys of shapes) {
      const ids = sortIds(keys);
      expect(ids.map((id) => keys[id])).toEqual([...keys].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(keys.length);
    }
  });

  it('puts ties where Go puts them beyond 12 items (pdqsort with breakPatterns)', () => {
    // 79 events in list order sorted by .type (N = Normal, W = Warning): the order kubectl 1.32 printed.
    const types = 'NNNNNNWNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNWNNNNNNNWWWWWNNNNNNNNNNNN';
    const ids = sortIds([...types].map((c) => (c === 'W' ? 1 : 0)));
    expect(ids).toEqual([39, 69, 2, 3, 4, 5, 7, 8, 9, 10, 11, 0, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 41, 35, 36, 37, 38, 12, 1, 34, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 55, 56, 57, 58, 59, 60, 61, 67, 68, 78, 77, 76, 75, 74, 40, 70, 71, 72, 73, 64, 63, 62, 54, 6, 65, 66]);
  });
});
