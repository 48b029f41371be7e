import { describe, expect, it } from 'vitest';
import { FakeClock } from '../api';
import { bucketRateLimiter, createWorkQueue, itemExponentialRateLimiter } from './workqueue';

describe('createWorkQueue', () => {
  it('is stingy: a queued key is queued once, FIFO', async () => {
    const q = createWorkQueue(new FakeClock());
    q.add('a');
    q.add('b');
    q.add('a');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBe('b');
    expect(q.len()).toBe(0);
  });

  it('never hands a key being processed to a second worker; re-queues it after done', async () => {
    const q = createWorkQueue(new FakeClock());
    q.add('a');
    const k = await q.get();
    q.add('a');
    q.add('a');
    expect(q.len()).toBe(0);
    let second: string | undefined;
    void q.get().then((x) => (second = x));
    await Promise.resolve();
    expect(second).toBeUndefined();
    q.done(k!);
    await Promise.resolve();
    expect(second).toBe('a');
    q.done('a');
    expect(q.len()).toBe(0);
  });

  it('wakes waiting getters in order and resolves undefined after shutDown', async () => {
    const q = createWorkQueue(new FakeClock());
    const g1 = q.get();
    const g2 = q.get();
    const g3 = q.get();
    q.add('x');
    q.add('y');
    expect(await g1).toBe('x');
    expect(await g2).toBe('y');
    q.shutDown();
    expect(await g3).toBeUndefined();
    q.add('z');
    expect(await q.get()).toBeUndefined();
  });

  it('addAfter waits on the clock and keeps the earliest ready time', async () => {
    const clock = new FakeClock();
    const q = createWorkQueue(clock);
    q.addAfter('a', 1000);
    q.addAfter('a', 5000);
    q.addAfter('b', 2000);
    await clock.advance(999);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1);
    await clock.advance(4000);
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('a');
  });

  it('shutDown cancels delayed adds', async () => {
    const clock = new FakeClock();
    const q = createWorkQueue(clock);
    q.addAfter('a', 10);
    q.shutDown();
    await clock.advance(100);
    expect(q.len()).toBe(0);
  });

  it('addRateLimited backs off exponentially per item; forget resets', async () => {
    const clock = new FakeClock();
    const q = createWorkQueue(clock, itemExponentialRateLimiter());
    q.addRateLimited('a'); // 5ms
    await clock.advance(4);
    expect(q.len()).toBe(0);
    await clock.advance(1);
    expect(q.len()).toBe(1);
    q.done((await q.get())!);
    q.addRateLimited('a'); // 10ms
    q.addRateLimited('a'); // 20ms, but the earlier 10ms ready time wins
    expect(q.numRequeues('a')).toBe(3);
    await clock.advance(10);
    expect(q.len()).toBe(1);
    q.forget('a');
    expect(q.numRequeues('a')).toBe(0);
  });

  it('the item limiter caps at 1000s and the bucket allows a burst of 100 at 10 qps', () => {
    const item = itemExponentialRateLimiter<string>();
    const delays = Array.from({ length: 40 }, () => item.when('k'));
    expect(delays.slice(0, 4)).toEqual([5, 10, 20, 40]);
    expect(delays[39]).toBe(1000_000);
    const clock = new FakeClock();
    const bucket = bucketRateLimiter<string>(clock);
    for (let i = 0; i < 100; i++) expect(bucket.when(String(i))).toBe(0);
    expect(bucket.when('x')).toBe(100);
    expect(bucket.when('y')).toBe(200);
  });
});
