import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api';
import { SchedulingQueue, type Rejectors, type Requeue } from './scheduling-queue';

const orders: Record<string, { priority: number; timestamp: number }> = {
  low: { priority: 0, timestamp: 1 },
  lowOld: { priority: 0, timestamp: 0 },
  high: { priority: 1000, timestamp: 5 },
  mid: { priority: 10, timestamp: 2 },
};

describe('SchedulingQueue', () => {
  it('pops by priority, then timestamp', async () => {
    const q = new SchedulingQueue(new FakeClock(), (k) => orders[k]);
    for (const k of ['low', 'mid', 'lowOld', 'high']) q.add(k);
    const out: string[] = [];
    for (let i = 0; i < 4; i++) {
      const k = (await q.pop())!;
      out.push(k);
      q.done(k);
    }
    expect(out).toEqual(['high', 'mid', 'lowOld', 'low']);
    q.dispose();
  });

  it('backs off 1s doubling to 10s, parks unschedulable pods until a cluster event', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue(clock, (k) => orders[k] ?? { priority: 0, timestamp: 0 });
    const attempt = async (fail: 'error' | 'unschedulable') => {
      const k = (await q.pop())!;
      q[fail](k);
      q.done(k);
    };
    q.add('p');
    const delays: number[] = [];
    for (let i = 0; i < 6; i++) {
      await attempt('error');
      expect(q.where('p')).toBe('backoff');
      const t0 = clock.now();
      while (q.len() === 0) await clock.advance(100);
      delays.push(clock.now() - t0);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
    await attempt('unschedulable');
    expect(q.where('p')).toBe('unschedulable');
    await clock.advance(20_000);
    expect(q.len()).toBe(0);
    q.moveAllToActiveOrBackoff();
    expect(q.where('p')).toBe('active');
    q.dispose();
  });

  it('sends a pod that failed during a cluster event to backoff, not the unschedulable pool', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue(clock);
    q.add('p');
    const k = (await q.pop())!;
    q.moveAllToActiveOrBackoff();
    q.unschedulable(k);
    q.done(k);
    expect(q.where('p')).toBe('backoff');
    await clock.advance(1000);
    expect(q.where('p')).toBe('active');
    q.dispose();
  });

  it('never hands out a pod twice at once and flushes parked pods after 5 minutes', async () => {
    const clock = new FakeClock();
    const q = new SchedulingQueue(clock);
    q.add('p');
    const k = (await q.pop())!;
    q.add('p');
    expect(q.len()).toBe(0);
    q.unschedulable(k);
    q.done(k);
    expect(q.where('p')).toBe('active');
    const k2 = (await q.pop())!;
    q.unschedulable(k2);
    q.done(k2);
    expect(q.where('p')).toBe('unschedulable');
    await clock.advance(5 * 60_000 + 30_000);
    expect(q.where('p')).toBe('active');
    q.dispose();
  });

  it('moves a parked pod only on events its rejecting plugins may be helped by, also for events during its attempt', async () => {
    const clock = new FakeClock();
    // Events are plugin names: an event helps a pod its plugin rejected; "Pend" helps a pod its pending plugin rejected.
    const requeue = (_key: string, r: Rejectors, ev: string): Requeue => (r.pending.has(ev) ? 'immediate' : r.unschedulable.has(ev) ? 'backoff' : 'skip');
    const q = new SchedulingQueue<string>(clock, undefined, requeue);
    const fit: Rejectors = { unschedulable: new Set(['Fit']), pending: new Set() };
    q.add('p');
    let k = (await q.pop())!;
    q.moveOnEvent('Volume'); // during the attempt, does not help
    q.unschedulable(k, fit);
    q.done(k);
    expect(q.where('p')).toBe('unschedulable');
    q.moveOnEvent('Volume');
    expect(q.where('p')).toBe('unschedulable');
    q.moveOnEvent('Fit');
    expect(q.where('p')).toBe('backoff');
    await clock.advance(1000);
    k = (await q.pop())!;
    q.moveOnEvent('Fit'); // during the attempt, helps: backoff instead of parking
    q.unschedulable(k, fit);
    q.done(k);
    expect(q.where('p')).toBe('backoff');
    await clock.advance(2000);
    k = (await q.pop())!;
    q.unschedulable(k, { unschedulable: new Set(), pending: new Set(['Pend']) });
    q.done(k);
    expect(q.where('p')).toBe('unschedulable');
    q.moveOnEvent('Pend'); // a pending plugin's Queue skips the backoff
    expect(q.where('p')).toBe('active');
    q.dispose();
  });
});
