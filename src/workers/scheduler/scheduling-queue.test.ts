import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api';
import { SchedulingQueue } from './scheduling-queue';

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
});
