import { describe, expect, it } from 'vitest';
import { toFieldsV1 } from './field-set';
import { compareObjects, deepEqual } from './object-fields';

describe('deepEqual', () => {
  it('is JSON equality where a key holding undefined counts as absent', () => {
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(deepEqual({ a: [1, { b: 'x' }] }, { a: [1, { b: 'x' }] })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: [] }, { a: {} })).toBe(false);
    expect(deepEqual({ a: null }, { a: {} })).toBe(false);
    expect(deepEqual({ a: 1 }, { b: 1 })).toBe(false);
    expect(deepEqual({ a: 1, b: 2 }, { a: 1 })).toBe(false);
    expect(deepEqual('1', 1)).toBe(false);
  });

  it('never reads inherited properties as fields (a key named like an Object.prototype member)', () => {
    expect(deepEqual({ constructor: 'x' }, {})).toBe(false);
    expect(deepEqual({}, { toString: 'x' })).toBe(false);
  });
});

describe('compareObjects', () => {
  const fields = (a: unknown, b: unknown) => {
    const c = compareObjects(a, b);
    return { changed: toFieldsV1(c.changed), removed: toFieldsV1(c.removed) };
  };

  it('reports added, changed and removed leaves and list-map items; equal subtrees contribute nothing', () => {
    const old = { spec: { containers: [{ name: 'a', image: 'x' }], nodeName: 'n1' }, metadata: { labels: { keep: '1', drop: '2' } } };
    const next = { spec: { containers: [{ name: 'a', image: 'y' }, { name: 'b', image: 'z' }], nodeName: 'n1' }, metadata: { labels: { keep: '1' } } };
    expect(fields(old, next)).toEqual({
      changed: { 'f:spec': { 'f:containers': { 'k:{"name":"a"}': { 'f:image': {} }, 'k:{"name":"b"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
      removed: { 'f:metadata': { 'f:labels': { 'f:drop': {} } } },
    });
    expect(fields(next, structuredClone(next))).toEqual({ changed: {}, removed: {} });
  });

  it('a label whose key is an Object.prototype member name is removed, not changed', () => {
    expect(fields({ metadata: { labels: { constructor: 'x', a: '1' } } }, { metadata: { labels: { a: '1' } } })).toEqual({
      changed: {},
      removed: { 'f:metadata': { 'f:labels': { 'f:constructor': {} } } },
    });
  });
});
