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
    const nanos = (BigInt(Date.UTC(2026, 0, 1, 12, 0, 0)) * 1_000_000n).toString(16);
    expect(ev.metadata?.name).toBe(`web.${nanos}`);
    expect(nanos).toHaveLength(16);
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

  it('creates a new event when the aggregated one is gone, and swallows errors', async () => {
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
    expect(evs[0].count).toBe(1);
    expect(evs[0].metadata?.name).not.toBe(first.metadata.name);

    const broken = new ApiClient({ ...api, request: async () => { throw new Error('worker gone'); } } as never);
    const warn = console.warn;
    let warned = 0;
    console.warn = () => void warned++;
    try {
      const r2 = createEventRecorder(broken, clock, seededIds(), { component: 'c' });
      r2.event(pod, 'Normal', 'A', 'a');
      r2.event(pod, 'Normal', 'B', 'b');
      await r2.flush();
    } finally {
      console.warn = warn;
    }
    expect(warned).toBe(1);
  });
});
