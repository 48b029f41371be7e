import { describe, expect, it } from 'vitest';
import { FakeClock } from '../api';
import { runController } from './controller';
import { createWorkQueue, itemExponentialRateLimiter } from './workqueue';

describe('runController', () => {
  it('requeues errors with backoff, forgets on success, honours requeueAfter', async () => {
    const clock = new FakeClock();
    const queue = createWorkQueue(clock, itemExponentialRateLimiter());
    const calls: string[] = [];
    let failures = 2;
    const ctl = runController({
      name: 'test',
      queue,
      clock,
      reconcile: async (key) => {
        calls.push(`${key}@${clock.now() % 100_000}`);
        if (key === 'flaky' && failures-- > 0) throw new Error('boom');
        if (key === 'later' && calls.filter((c) => c.startsWith('later')).length === 1) return { requeueAfter: 10_000 };
      },
    });
    queue.add('flaky');
    queue.add('later');
    await clock.advance(0);
    expect(calls).toEqual(['flaky@0', 'later@0']);
    await clock.advance(5);
    expect(calls.at(-1)).toBe('flaky@5');
    await clock.advance(10);
    expect(calls.at(-1)).toBe('flaky@15');
    expect(queue.numRequeues('flaky')).toBe(0);
    await clock.advance(10_000);
    expect(calls.at(-1)).toBe('later@10000');
    await clock.advance(60_000);
    expect(calls).toHaveLength(5);
    ctl.dispose();
    queue.add('x');
    await clock.advance(0);
    expect(calls).toHaveLength(5);
  });

  it('never runs one key on two workers at once', async () => {
    const clock = new FakeClock();
    const queue = createWorkQueue(clock);
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const ctl = runController({
      name: 'test',
      queue,
      clock,
      workers: 4,
      reconcile: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        await clock.sleep(100);
        active--;
      },
    });
    queue.add('k');
    await clock.advance(10);
    queue.add('k');
    queue.add('k');
    await clock.advance(500);
    expect(maxActive).toBe(1);
    expect(runs).toBe(2);
    ctl.dispose();
  });
});
