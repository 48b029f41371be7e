import type { Pod, PodStatus } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';
import { jsonEqual, mergeStatus, StatusManager } from './status-manager';

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

describe('StatusManager', () => {
  /** An API holding one pod: update() checks resourceVersion as the apiserver does (409 when stale). */
  function fakeApi() {
    let stored: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u1', resourceVersion: '9' }, spec: { containers: [] }, status: { phase: 'Pending' } };
    const calls: string[] = [];
    const client = {
      async update(_r: unknown, pod: Pod) {
        calls.push(`PUT ${pod.metadata?.resourceVersion}`);
        if (pod.metadata?.resourceVersion !== stored.metadata?.resourceVersion) throw new ApiError(409, { kind: 'Status', code: 409, reason: 'Conflict' });
        stored = { ...pod, metadata: { ...pod.metadata, resourceVersion: String(Number(stored.metadata?.resourceVersion) + 1) } };
        return stored;
      },
      async get() {
        calls.push('GET');
        return stored;
      },
    };
    return { client: client as unknown as ApiClient, calls, stored: () => stored, bump: () => (stored = { ...stored, metadata: { ...stored.metadata, resourceVersion: String(Number(stored.metadata?.resourceVersion) + 1) } }) };
  }
  const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u1', resourceVersion: '9' }, spec: { containers: [] }, status: { phase: 'Pending' } };

  it('starts the next write of a sync from the pod its last write returned: no conflict on the stale copy', async () => {
    const api = fakeApi();
    const sm = new StatusManager(api.client);
    await sm.set(pod, { phase: 'Pending', conditions: [{ type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: 't1' }] });
    await sm.set(pod, { phase: 'Running', conditions: [{ type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: 't2' }] });
    expect(api.calls).toEqual(['PUT 9', 'PUT 10']);
    expect(api.stored().status).toEqual({ phase: 'Running', conditions: [{ type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: 't1' }] });
  });

  it('re-reads and retries when someone else wrote the pod since, and prefers a newer given pod', async () => {
    const api = fakeApi();
    const sm = new StatusManager(api.client);
    await sm.set(pod, { phase: 'Pending', message: 'a' });
    api.bump(); // another writer: rv 11
    await sm.set(pod, { phase: 'Pending', message: 'b' });
    expect(api.calls).toEqual(['PUT 9', 'PUT 10', 'GET', 'PUT 11']);
    const fresh = api.stored();
    await sm.set(fresh, { phase: 'Pending', message: 'c' });
    expect(api.calls.at(-1)).toBe('PUT 12');
    expect(api.stored().status?.message).toBe('c');
  });
});
