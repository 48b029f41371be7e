import { describe, expect, it } from 'vitest';
import { seededIds, type IdSource } from '../../api/ids';
import { pooledIds } from './pooled-ids';

describe('pooledIds', () => {
  it('hands out the source bytes in order, one source call per pool', () => {
    let calls = 0;
    const src = seededIds(7);
    const counting: IdSource = { ...src, bytes: (n) => (calls++, src.bytes(n)) };
    const ref = seededIds(7).bytes(16);
    const ids = pooledIds(counting, 16);
    expect([...ids.bytes(3), ...ids.bytes(5), ...ids.bytes(8)]).toEqual([...ref]);
    expect(calls).toBe(1);
    expect(ids.bytes(3)).toHaveLength(3);
    expect(calls).toBe(2);
    expect(ids.bytes(40)).toHaveLength(40);
    expect(ids.uid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
