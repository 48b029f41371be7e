import { describe, expect, it } from 'vitest';
import type { Event } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../api';
import { ApiClient } from './api-client';
import { LruCache, TokenBucket } from './event-correlator';
import { createEventRecorder } from './event-recorder';
import { FakeApiHandler } from './testing/fake-api-handler';

const rs = { kind: 'ReplicaSet', metadata: { name: 'web-5d4f', namespace: 'demo', uid: 'rs-1' } };
const pod = { kind: 'Pod', metadata: { name: 'web', namespace: 'demo', uid: 'u-1' } };

function setup(component = 'replicaset-controller') {
  const api = new FakeApiHandler();
  const clock = new FakeClock();
  const rec = createEventRecorder(new ApiClient(api), clock, seededIds(), { component });
  const events = () => api.list('events') as unknown as Event[];
  const writes = () => api.requests.filter((r) => r.method === 'POST' || r.method === 'PATCH').length;
  return { api, clock, rec, events, writes };
}

describe('EventCorrelator (client-go record)', () => {
  it('folds a ReplicaSet creating 1000 pods into 9 events and one combined event, 25 writes in all', async () => {
    const { clock, rec, events, writes } = setup();
    for (let i = 0; i < 1000; i++) rec.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: web-5d4f-${i}`);
    await rec.flush();
    const evs = events();
    expect(writes()).toBe(25);
    expect(evs).toHaveLength(10);
    const combined = evs.filter((e) => e.message!.startsWith('(combined from similar events): '));
    expect(combined).toHaveLength(1);
    // The 10th to 25th events were written: the combined event counts 16 and carries the latest message.
    expect(combined[0]).toMatchObject({ count: 16, message: '(combined from similar events): Created pod: web-5d4f-24', reason: 'SuccessfulCreate', type: 'Normal', source: { component: 'replicaset-controller' } });
    expect(combined[0].reportingComponent).toBeUndefined();
    expect(evs.filter((e) => e.count === 1 && !e.message!.startsWith('(')).map((e) => e.message).sort()).toEqual(
      Array.from({ length: 9 }, (_, i) => `Created pod: web-5d4f-${i}`).sort(),
    );

    // The bucket refills one token per 5 minutes; the count kept growing while events were dropped.
    await clock.advance(300_000);
    rec.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-5d4f-1000');
    rec.event(rs, 'Normal', 'SuccessfulCreate', 'Created pod: web-5d4f-1001');
    await rec.flush();
    expect(writes()).toBe(26);
    const after = events().find((e) => e.metadata!.name === combined[0].metadata!.name)!;
    expect(after.count).toBe(992);
    expect(after.message).toBe('(combined from similar events): Created pod: web-5d4f-1000');
    expect(after.firstTimestamp).toBe(combined[0].firstTimestamp);
    expect(after.lastTimestamp).toBe('2026-01-01T00:05:00Z');
  });

  it('throttles per (source, object), not per reason', async () => {
    const { rec, events } = setup('kubelet');
    for (let i = 0; i < 30; i++) rec.event(pod, 'Normal', `Reason${i}`, 'm');
    for (let i = 0; i < 3; i++) rec.event({ ...pod, metadata: { ...pod.metadata, name: 'other', uid: 'u-2' } }, 'Normal', 'Pulled', 'm');
    await rec.flush();
    expect(events().filter((e) => e.involvedObject.name === 'web')).toHaveLength(25);
    expect(events().filter((e) => e.involvedObject.name === 'other')).toHaveLength(1);
    expect(events().find((e) => e.involvedObject.name === 'other')!.count).toBe(3);
  });

  it('aggregates only within 10 minutes of the previous similar event', async () => {
    const { clock, rec, events } = setup();
    for (let i = 0; i < 9; i++) rec.event(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: p${i}`);
    await clock.advance(600_001);
    rec.event(rs, 'Normal', 'SuccessfulDelete', 'Deleted pod: p9');
    await rec.flush();
    expect(events()).toHaveLength(10);
    expect(events().some((e) => e.message!.startsWith('(combined'))).toBe(false);
  });

  it('keys aggregation by type and reason too', async () => {
    const { rec, events } = setup();
    for (let i = 0; i < 6; i++) rec.event(rs, 'Normal', 'SuccessfulCreate', `Created pod: p${i}`);
    for (let i = 0; i < 6; i++) rec.event(rs, 'Warning', 'FailedCreate', `Error creating: ${i}`);
    await rec.flush();
    expect(events()).toHaveLength(12);
  });

  it('LruCache evicts the least recently used and TokenBucket refills at qps up to burst', () => {
    const lru = new LruCache<number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
    const b = new TokenBucket(1 / 300, 2, 0);
    expect([b.tryAccept(0), b.tryAccept(0), b.tryAccept(0)]).toEqual([true, true, false]);
    expect(b.tryAccept(299_000)).toBe(false);
    expect(b.tryAccept(300_001)).toBe(true);
    expect(b.tryAccept(10_000_000)).toBe(true);
    expect(b.tryAccept(10_000_000)).toBe(true);
    expect(b.tryAccept(10_000_000)).toBe(false);
  });
});

describe('events.k8s.io/v1 series (client-go tools/events)', () => {
  const v1 = { action: 'Scheduling', eventsV1: true } as const;

  it('writes the first, then series count 2, then only on finish after 6 quiet minutes', async () => {
    const { api, clock, rec, events } = setup('default-scheduler');
    rec.event(pod, 'Warning', 'FailedScheduling', '0/3 nodes are available: a', undefined, v1);
    await clock.advance(1_000);
    rec.event(pod, 'Warning', 'FailedScheduling', '0/3 nodes are available: b', undefined, v1);
    for (let i = 0; i < 40; i++) rec.event(pod, 'Warning', 'FailedScheduling', `0/3 nodes are available: ${i}`, undefined, v1);
    await rec.flush();
    expect(events()).toHaveLength(1);
    expect(events()[0]).toMatchObject({ message: '0/3 nodes are available: a', series: { count: 2, lastObservedTime: '2026-01-01T00:00:01.000000Z' } });
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);

    await clock.advance(12 * 60_000);
    await rec.flush();
    expect(events()[0].series).toEqual({ count: 42, lastObservedTime: '2026-01-01T00:00:01.000000Z' });

    // The finished series left the cache: the next one is a new event.
    rec.event(pod, 'Warning', 'FailedScheduling', '0/3 nodes are available: c', undefined, v1);
    await rec.flush();
    expect(events()).toHaveLength(2);
    rec.dispose();
  });

  it('refreshes open series every 30 minutes and never aggregates or throttles', async () => {
    const { clock, rec, events } = setup('default-scheduler');
    for (let m = 0; m < 35; m++) {
      rec.event(pod, 'Warning', 'FailedScheduling', 'no nodes', undefined, v1);
      await clock.advance(60_000);
    }
    await rec.flush();
    expect(events()).toHaveLength(1);
    expect(events()[0].series!.count).toBeGreaterThanOrEqual(30);
    for (let i = 0; i < 30; i++) rec.event({ ...pod, metadata: { ...pod.metadata, name: `p${i}` } }, 'Normal', 'Scheduled', `Successfully assigned demo/p${i} to n1`, undefined, { action: 'Binding', eventsV1: true });
    await rec.flush();
    expect(events()).toHaveLength(31);
    rec.dispose();
  });
});
