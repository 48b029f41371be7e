import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Event } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../api';
import type { ApiRequest } from '../api/protocol';
import { failureStatus } from '../api/status';
import { ApiClient } from './api-client';
import { createEventRecorder } from './event-recorder';
import { CORE_RETRY_DELAY, EVENT_MAX_QUEUED, EVENT_MAX_TRIES, EVENT_RETRY_SLEEP_MS, V1_RETRY_DELAY } from './event-recorder-retry';
import { FakeApiHandler } from './testing/fake-api-handler';

const pod = (name = 'web') => ({ kind: 'Pod', metadata: { name, namespace: 'demo', uid: `u-${name}` } });

/** A FakeApiHandler behind a transport that throws (no answer from the server) while `down`; records each event write's cluster time. */
function setup() {
  const api = new FakeApiHandler();
  const clock = new FakeClock();
  const net = { down: false, writes: [] as Array<{ at: number; method: string }> };
  const transport = {
    request: async (req: ApiRequest) => {
      if (req.path.includes('/events')) net.writes.push({ at: clock.now(), method: req.method });
      if (net.down) throw new Error('connection refused');
      return api.request(req);
    },
    stream: (req: ApiRequest) => api.stream(req),
    read: (id: string) => api.read(id),
    cancel: (id: string) => api.cancel(id),
  };
  const rec = createEventRecorder(new ApiClient(transport), clock, seededIds(3), { component: 'kubelet', host: 'n1' });
  const events = () => api.list('events') as unknown as Event[];
  return { api, clock, net, rec, events };
}

/** Whether p has settled after the pending microtasks ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 20; i++) await Promise.resolve();
  return done;
}

let warnings: string[];
beforeEach(() => {
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

describe('event write retries (client-go recordToSink)', () => {
  it('sleeps a random [0, 10 s) before the first retry and 10 s before the next ones, then writes the event', async () => {
    const { clock, net, rec, events } = setup();
    net.down = true;
    rec.event(pod(), 'Normal', 'Pulled', 'm');
    await clock.advance(0);
    expect(net.writes).toHaveLength(1);
    expect(await settled(rec.flush())).toBe(false);
    await clock.advance(EVENT_RETRY_SLEEP_MS);
    expect(net.writes).toHaveLength(2);
    await clock.advance(EVENT_RETRY_SLEEP_MS);
    expect(net.writes).toHaveLength(3);
    net.down = false;
    await clock.advance(EVENT_RETRY_SLEEP_MS);
    await rec.flush();
    const at = net.writes.map((w) => w.at - net.writes[0].at);
    expect(at[1]).toBeGreaterThanOrEqual(0);
    expect(at[1]).toBeLessThan(EVENT_RETRY_SLEEP_MS);
    expect(at.slice(2)).toEqual([at[1] + 10_000, at[1] + 20_000]);
    expect(events()).toHaveLength(1);
    expect(warnings).toEqual(['kubelet: unable to write event (may retry after sleeping; further errors suppressed): connection refused']);
  });

  it('gives up after 12 attempts, logs the drop once per outage, and holds later events back meanwhile', async () => {
    const { clock, net, rec, events } = setup();
    net.down = true;
    rec.event(pod('a'), 'Normal', 'A', 'm');
    rec.event(pod('b'), 'Normal', 'B', 'm');
    await clock.advance(EVENT_MAX_TRIES * EVENT_RETRY_SLEEP_MS);
    expect(net.writes).toHaveLength(EVENT_MAX_TRIES + 1); // every try of the first, then the second's first
    net.down = false;
    await clock.advance(EVENT_RETRY_SLEEP_MS);
    await rec.flush();
    expect(events().map((e) => e.reason)).toEqual(['B']);
    expect(warnings).toEqual([
      'kubelet: unable to write event (may retry after sleeping; further errors suppressed): connection refused',
      'kubelet: unable to write event (retry limit exceeded!); the event is dropped (further drops suppressed)',
    ]);
    // a successful write re-arms the warning for the next outage
    net.down = true;
    rec.event(pod('c'), 'Normal', 'C', 'm');
    await clock.advance(0);
    expect(warnings).toHaveLength(3);
  });

  it('does not retry an answer of the server, and logs AlreadyExists quietly', async () => {
    const { api, clock, net, rec } = setup();
    api.intercept = () => ({ status: 403, body: failureStatus('Forbidden', 'events is forbidden: User "x" cannot create resource "events"') });
    rec.event(pod(), 'Normal', 'A', 'm');
    await rec.flush();
    expect(net.writes).toHaveLength(1);
    expect(warnings).toEqual(['kubelet: unable to write event (will not retry; further errors suppressed): events is forbidden: User "x" cannot create resource "events"']);

    // core/v1: PATCH finds the event gone, the create meets AlreadyExists: dropped without a retry or a warning
    api.intercept = undefined;
    rec.event(pod(), 'Normal', 'R', 'same');
    await rec.flush();
    rec.event(pod(), 'Normal', 'R', 'same');
    api.intercept = (req) =>
      req.method === 'PATCH'
        ? { status: 404, body: failureStatus('NotFound', 'events "web.1" not found') }
        : { status: 409, body: failureStatus('AlreadyExists', 'events "web.1" already exists') };
    const before = net.writes.length;
    await rec.flush();
    await clock.advance(2 * EVENT_RETRY_SLEEP_MS);
    expect(net.writes.slice(before).map((w) => w.method)).toEqual(['PATCH', 'POST']);
    expect(warnings).toHaveLength(1);
  });

  it('retries an events.k8s.io series whose create met AlreadyExists after its PATCH found nothing, 10-12.5 s later', async () => {
    const { api, clock, net, rec, events } = setup();
    const v1 = { action: 'Scheduling', eventsV1: true };
    rec.event(pod(), 'Warning', 'FailedScheduling', 'no nodes', undefined, v1);
    await rec.flush();
    let interfere = true;
    api.intercept = (req) => {
      if (!interfere) return undefined;
      if (req.method === 'PATCH') return { status: 404, body: failureStatus('NotFound', 'not found') };
      interfere = false;
      return { status: 409, body: failureStatus('AlreadyExists', 'already exists') };
    };
    await clock.advance(1_000);
    rec.event(pod(), 'Warning', 'FailedScheduling', 'no nodes', undefined, v1);
    await clock.advance(0);
    expect(net.writes.map((w) => w.method)).toEqual(['POST', 'PATCH', 'POST']);
    await clock.advance(EVENT_RETRY_SLEEP_MS - 1);
    expect(net.writes).toHaveLength(3);
    await clock.advance(EVENT_RETRY_SLEEP_MS / 4);
    await rec.flush();
    expect(net.writes.map((w) => w.method)).toEqual(['POST', 'PATCH', 'POST', 'PATCH']);
    expect(events()[0].series?.count).toBe(2);
    expect(warnings).toEqual([]);
  });

  it('dispose ends a sleeping retry at once and nothing sleeps again', async () => {
    const { clock, net, rec } = setup();
    net.down = true;
    rec.event(pod('a'), 'Normal', 'A', 'm');
    rec.event(pod('b'), 'Normal', 'B', 'm');
    await clock.advance(0);
    rec.dispose();
    await rec.flush();
    expect(net.writes).toHaveLength(2);
    await clock.advance(10 * EVENT_RETRY_SLEEP_MS);
    expect(net.writes).toHaveLength(2);
  });

  it(`while the apiserver is unreachable, drops events beyond ${EVENT_MAX_QUEUED} waiting writes`, async () => {
    const { clock, net, rec, events } = setup();
    for (let i = 0; i < 10; i++) rec.event(pod(`healthy-${i}`), 'Normal', 'A', 'm'); // no bound while writes succeed
    await rec.flush();
    net.down = true;
    rec.event(pod('first'), 'Normal', 'A', 'm');
    await clock.advance(0);
    for (let i = 0; i < EVENT_MAX_QUEUED + 50; i++) rec.event(pod(`p${i}`), 'Normal', 'A', 'm');
    net.down = false;
    await clock.advance(EVENT_RETRY_SLEEP_MS);
    await rec.flush();
    expect(events()).toHaveLength(10 + EVENT_MAX_QUEUED);
  });

  it('has client-go’s delays', () => {
    expect([CORE_RETRY_DELAY(1, 0.5), CORE_RETRY_DELAY(2, 0.5), CORE_RETRY_DELAY(11, 0.99)]).toEqual([5_000, 10_000, 10_000]);
    expect([V1_RETRY_DELAY(1, 0), V1_RETRY_DELAY(5, 0.5)]).toEqual([10_000, 11_250]);
  });
});
