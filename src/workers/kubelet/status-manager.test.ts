import type { PodStatus } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { jsonEqual, mergeStatus } from './status-manager';

describe('mergeStatus', () => {
  const old: PodStatus = {
    phase: 'Running',
    startTime: '2026-01-01T00:00:00Z',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:05Z' }],
    containerStatuses: [{ name: 'c', image: 'i', imageID: 'x', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:04Z' } } }],
  };

  it('is undefined when only key order, unchanged conditions\' times or undefined fields differ', () => {
    const next: PodStatus = {
      containerStatuses: [{ state: { running: { startedAt: '2026-01-01T00:00:04Z' } }, restartCount: 0, ready: true, imageID: 'x', image: 'i', name: 'c', started: undefined }],
      conditions: [{ lastTransitionTime: '2026-01-01T00:09:00Z', status: 'True', type: 'Ready' }],
      startTime: '2026-01-01T00:08:00Z',
      phase: 'Running',
      message: undefined,
    };
    expect(mergeStatus(old, next)).toBeUndefined();
  });

  it('returns the new status keeping unchanged conditions\' lastTransitionTime and the startTime, without changing its argument', () => {
    const next: PodStatus = {
      phase: 'Running',
      startTime: '2026-01-01T00:08:00Z',
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:09:00Z' },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:09:00Z' },
      ],
      containerStatuses: [{ name: 'c', image: 'i', imageID: 'x', ready: true, restartCount: 1, state: { running: { startedAt: '2026-01-01T00:09:00Z' } } }],
    };
    const merged = mergeStatus(old, next)!;
    expect(merged.startTime).toBe('2026-01-01T00:00:00Z');
    expect(merged.conditions).toEqual([
      { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:05Z' },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:09:00Z' },
    ]);
    expect(next.startTime).toBe('2026-01-01T00:08:00Z');
    expect(next.conditions![0].lastTransitionTime).toBe('2026-01-01T00:09:00Z');
    expect(mergeStatus({ ...old, phase: 'Succeeded' }, next)).toBeUndefined(); // never back from a terminal phase
  });

  it('jsonEqual compares as JSON values', () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 1, b: null })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual([1], { 0: 1 })).toBe(false);
    expect(jsonEqual({ a: { b: 1 } }, { a: { b: 1, c: 2 } })).toBe(false);
    expect(jsonEqual('1', 1)).toBe(false);
  });
});
