import { describe, expect, it } from 'vitest';
import { systemClock } from './system-clock';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('systemClock', () => {
  it('runs cluster time at its speed from a shared epoch', () => {
    const epoch = { wall: Date.now() - 1000, cluster: 0 };
    const clock = systemClock(10, epoch);
    expect(clock.now()).toBeGreaterThanOrEqual(10_000);
    expect(clock.now()).toBeLessThan(11_000);
  });

  it('reschedules pending timers when the speed changes', async () => {
    const clock = systemClock(1);
    let fired = false;
    clock.after(3_000, () => (fired = true)); // 3 s of cluster time
    await wait(20);
    clock.setSpeed(1000); // now about 3 ms of wall time
    await wait(60);
    expect(fired).toBe(true);
  });

  it('keeps periodic timers periodic in cluster time and stops them on dispose', async () => {
    const clock = systemClock(100);
    let n = 0;
    const t = clock.every(1_000, () => n++); // every 10 ms of wall time
    await wait(75);
    t.dispose();
    const seen = n;
    expect(seen).toBeGreaterThanOrEqual(3);
    await wait(40);
    expect(n).toBe(seen);
  });
});
