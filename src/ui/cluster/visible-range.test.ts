import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { visibleRange } from './visible-range';
import { groupByNode } from './group-by-node';
import { sortedIndex } from './use-resource-list';

describe('visibleRange', () => {
  it('renders the rows under the viewport plus the overscan on each side', () => {
    // list starts 100 px below the viewport top, 500 px viewport, 20 px rows: rows 0..19 visible, +10 after
    expect(visibleRange(100, 1000, 500, 20, 10)).toEqual({ start: 0, end: 30 });
    // scrolled: the list's top is 2000 px above the viewport: rows 100..125 visible
    expect(visibleRange(-2000, 1000, 500, 20, 10)).toEqual({ start: 90, end: 135 });
  });

  it('clamps to the list and is empty when the list is off screen', () => {
    expect(visibleRange(-19_800, 1000, 500, 20, 10)).toEqual({ start: 980, end: 1000 });
    expect(visibleRange(-50_000, 1000, 500, 20, 10)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(900, 1000, 500, 20, 10)).toEqual({ start: 0, end: 0 });
  });
});

describe('sortedIndex', () => {
  it('finds insertion points that keep the keys in localeCompare order', () => {
    const keys: string[] = [];
    for (const k of ['default/web-10', 'default/web-2', 'kube-system/coredns', 'default/Web-3', 'a/b']) keys.splice(sortedIndex(keys, k), 0, k);
    expect(keys).toEqual([...keys].sort((a, b) => a.localeCompare(b)));
    expect(keys[sortedIndex(keys, 'default/web-2')]).toBe('default/web-2');
  });
});

describe('groupByNode', () => {
  const pod = (name: string, node?: string): Pod => ({ metadata: { name }, spec: { nodeName: node, containers: [] } });
  it('groups by node (unscheduled under "") and keeps an unchanged group as the same array', () => {
    const a = pod('a', 'n1');
    const b = pod('b', 'n2');
    const c = pod('c');
    const first = groupByNode([a, b, c], new Map());
    expect(first.get('n1')).toEqual([a]);
    expect(first.get('')).toEqual([c]);
    const b2 = pod('b', 'n2');
    const second = groupByNode([a, b2, c], first);
    expect(second.get('n1')).toBe(first.get('n1'));
    expect(second.get('')).toBe(first.get(''));
    expect(second.get('n2')).not.toBe(first.get('n2'));
    expect(second.get('n2')).toEqual([b2]);
  });
});
