import { describe, expect, it } from 'vitest';
import type { Event } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../api';
import { ApiClient } from './api-client';
import { createEventRecorder } from './event-recorder';
import { FakeApiHandler } from './testing/fake-api-handler';

const pod = { kind: 'Pod', metadata: { name: 'web', namespace: 'demo', uid: 'u-1', resourceVersion: '7' } };

describe('createEventRecorder', () => {
  it('creates a core/v1 Event the way client-go does', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
    const rec = createEventRecorder(new ApiClient(api), clock, seededIds(), { component: 'kubelet', host: 'node-1' });
    rec.event(pod, 'Normal', 'Pulled', 'Container image "x" already present on machine', 'spec.containers{web}');
    await rec.flush();
    const [ev] = api.list('events') as unknown as Event[];
    const ms = BigInt(Date.UTC(2026, 0, 1, 12, 0, 0)) * 1_000_000n;
    const [, suffix] = ev.metadata!.name!.split('.');
    expect(suffix).toMatch(/^[0-9a-f]{16}$/);
    expect(BigInt(`0x${suffix}`) - ms).toBeGreaterThanOrEqual(0n);
    expect(BigInt(`0x${suffix}`) - ms).toBeLessThan(1_000_000n);
    expect(ev.metadata?.namespace).toBe('demo');
    expect(ev.involvedObject).toEqual({ kind: 'Pod', apiVersion: 'v1', name: 'web', namespace: 'demo', uid: 'u-1', resourceVersion: '7', fieldPath: 'spec.containers{web}' });
    expect(ev).toMatchObject({
      reason: 'Pulled', type: 'Normal', count: 1, source: { component: 'kubelet', host: 'node-1' },
      firstTimestamp: '2026-01-01T12:00:00Z', lastTimestamp: '2026-01-01T12:00:00Z',
      reportingComponent: 'kubelet', reportingInstance: 'node-1',
    });
  });

  it('puts events about cluster-scoped objects in default', async () => {
    const api = new FakeApiHandler();
    const rec = createEventRecorder(new ApiClient(api), new FakeClock(), seededIds(), { component: 'node-controller' });
    rec.event({ kind: 'Node', metadata: { name: 'n1' } }, 'Normal', 'RegisteredNode', 'Node n1 event: Registered Node n1 in Controller');
    await rec.flush();
    expect(api.list('events')[0].metadata.namespace).toBe('default');
  });

  it('aggregates identical events by patching count and lastTimestamp', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    const rec = createEventRecorder(new ApiClient(api), clock, seededIds(), { component: 'kubelet', host: 'n' });
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await clock.advance(30_000);
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    rec.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    rec.event(pod, 'Normal', 'Pulled', 'other');
    await rec.flush();
    const evs = api.list('events') as unknown as Event[];
    expect(evs).toHaveLength(2);
    const backoff = evs.find((e) => e.reason === 'BackOff')!;
    expect(backoff.count).toBe(3);
    expect(backoff.lastTimestamp).toBe('2026-01-01T00:00:30Z');
    expect(backoff.firstTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(api.requests.filter((r) => r.method === 'PATCH')).toHaveLength(2);
  });

  it('recreates a deduplicated event that is gone under its name and count (client-go), and swallows errors', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    const rec = createEventRecorder(new ApiClient(api), clock, seededIds(), { component: 'c' });
    rec.event(pod, 'Normal', 'R', 'm');
    await rec.flush();
    const first = api.list('events')[0];
    api.remove('events', 'demo', first.metadata.name);
    rec.event(pod, 'Normal', 'R', 'm');
    await rec.flush();
    const evs = api.list('events') as unknown as Event[];
    expect(evs).toHaveLength(1);
    expect(evs[0].count).toBe(2);
    expect(evs[0].metadata?.name).toBe(first.metadata.name);

    const broken = new ApiClient({ ...api, request: async () => { throw new Error('worker gone'); } } as never);
    const warn = console.warn;
    let warned = 0;
    console.warn = () => void warned++;
    try {
      const r2 = createEventRecorder(broken, clock, seededIds(), { component: 'c' });
      r2.event(pod, 'Normal', 'A', 'a');
      r2.event(pod, 'Normal', 'B', 'b');
      await clock.advance(0);
      r2.dispose(); // ends the retries (event-recorder-retry.test.ts)
      await r2.flush();
    } finally {
      console.warn = warn;
    }
    expect(warned).toBe(1);
  });

  it('writes events.k8s.io/v1-style events and aggregates repeats into series', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    const rec = createEventRecorder(new ApiClient(api), clock, seededIds(), { component: 'default-scheduler', instance: 'default-scheduler-cp' });
    rec.event(pod, 'Warning', 'FailedScheduling', 'no nodes available to schedule pods', undefined, { action: 'Scheduling', eventsV1: true });
    await clock.advance(5_000);
    rec.event(pod, 'Warning', 'FailedScheduling', 'no nodes available to schedule pods', undefined, { action: 'Scheduling', eventsV1: true });
    await rec.flush();
    const [ev] = api.list('events') as unknown as Event[];
    expect(ev).toMatchObject({ action: 'Scheduling', reportingComponent: 'default-scheduler', reportingInstance: 'default-scheduler-cp', eventTime: '2026-01-01T00:00:00.000000Z', series: { count: 2, lastObservedTime: '2026-01-01T00:00:05.000000Z' } });
    expect(ev.source).toBeUndefined();
    expect(ev.count).toBeUndefined();
    expect(ev.lastTimestamp).toBeUndefined();
  });

  it('names the events of one recorder in order within one millisecond', async () => {
    const api = new FakeApiHandler();
    const a = createEventRecorder(new ApiClient(api), new FakeClock(), seededIds(5), { component: 'a' });
    for (let i = 0; i < 20; i++) a.event(pod, 'Normal', `R${i}`, 'm');
    await a.flush();
    const evs = (api.list('events') as unknown as Event[]).sort((x, y) => Number(x.metadata!.resourceVersion) - Number(y.metadata!.resourceVersion));
    const names = evs.map((e) => BigInt(`0x${e.metadata!.name!.split('.')[1]}`));
    expect(names).toHaveLength(20);
    expect(names.every((n, i) => i === 0 || n > names[i - 1])).toBe(true);
  });

  it('survives a name collision with another recorder', async () => {
    const api = new FakeApiHandler();
    const clock = new FakeClock();
    const a = createEventRecorder(new ApiClient(api), clock, seededIds(5), { component: 'a' });
    const b = createEventRecorder(new ApiClient(api), clock, seededIds(5), { component: 'b' });
    a.event(pod, 'Normal', 'A', 'm');
    b.event(pod, 'Normal', 'B', 'm'); // same seed, same millisecond: the same name
    await Promise.all([a.flush(), b.flush()]);
    const evs = api.list('events') as unknown as Event[];
    expect(evs.map((e) => e.reason).sort()).toEqual(['A', 'B']);
  });
});
