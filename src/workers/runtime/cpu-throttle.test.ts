import { describe, expect, it } from 'vitest';
import { seededIds } from '../../api';
import { CpuGroup, CpuThrottle, MAX_DEBT_PERIODS, newCpuGroupBuffer, readCpuGroupStat } from './cpu-throttle';

/**
 * Spinning guests on a loaded host, in 1 ms steps of real time: each runs (its running time is real time outside
 * pauses, as the container Worker measures it) and checks every 1 ms, except that after a check it is sometimes
 * descheduled by the OS for `gapMs` (still running, no check). Returns the group's running time / real time.
 */
function spin(members: number, gapMs: number, group: boolean, ms = 20_000): { share: number; throttles: CpuThrottle[] } {
  const quota = { quotaUs: 50_000, periodUs: 100_000 };
  const buffer = newCpuGroupBuffer();
  const start = 1_000;
  let now = start;
  const ran = new Array<number>(members).fill(0);
  const pausedUntil = new Array<number>(members).fill(0);
  const nextCheck = new Array<number>(members).fill(start);
  const rand = seededIds(7);
  const throttles = ran.map((_, i) => new CpuThrottle(quota, () => now, () => ran[i], (w) => void (pausedUntil[i] = now + w), group ? new CpuGroup(buffer) : undefined));
  for (; now < start + ms; now++) {
    for (let i = 0; i < members; i++) {
      if (pausedUntil[i] > now) continue;
      if (now >= nextCheck[i]) {
        throttles[i].check();
        nextCheck[i] = now + (parseInt(rand.uid().slice(0, 2), 16) < 26 ? gapMs : 1);
        if (pausedUntil[i] > now) continue;
      }
      ran[i]++;
    }
  }
  return { share: ran.reduce((a, b) => a + b, 0) / ms, throttles };
}


describe('CpuThrottle over a CpuGroup (one quota for all processes of a container)', () => {
  it('members report their own time into one total and share aligned periods: the quota is the group’s', () => {
    const buffer = newCpuGroupBuffer();
    let now = 1_000; // absolute ms: period 10 starts here
    const ran = [0, 0];
    const paused: number[][] = [[], []];
    const quota = { quotaUs: 50_000, periodUs: 100_000 };
    const throttles = [0, 1].map((i) => new CpuThrottle(quota, () => now, () => ran[i], (ms) => void paused[i].push(ms), new CpuGroup(buffer)));
    throttles[0].atHostCall();
    throttles[1].atHostCall();
    // Both run 20 ms: 40 ms of the group's 50 ms quota, no throttling.
    now = 1_020;
    ran[0] = ran[1] = 20;
    throttles[0].atHostCall();
    throttles[1].atHostCall();
    expect(paused).toEqual([[], []]);
    expect(new CpuGroup(buffer).totalMs).toBe(40);
    // 6 ms more each: the first to check reports 46 ms, the second makes it 52 and waits for the period's end;
    // the first waits too at its next check.
    now = 1_026;
    ran[0] = ran[1] = 26;
    throttles[0].atHostCall();
    throttles[1].atHostCall();
    expect(paused).toEqual([[], [74]]);
    throttles[0].atHostCall();
    expect(paused).toEqual([[74], [74]]);
    // The next period starts from the group's total at its start: both run again.
    now = 1_100;
    ran[0] = ran[1] = 30;
    throttles[0].atHostCall();
    throttles[1].atHostCall();
    expect(paused).toEqual([[74], [74]]);
    expect(throttles[1].counters.throttledPeriods).toBe(1);
    expect(throttles[1].counters.periods).toBe(2);
    // Alone, a process with 26 ms of its own in a period is not throttled.
    let alone = 0;
    new CpuThrottle(quota, () => 26, () => 26, () => alone++).atHostCall();
    expect(alone).toBe(0);
  });

  it('the group’s cpu.stat counts every member, each period once: nr_periods, nr_throttled, throttled time summed (cluster time)', () => {
    const buffer = newCpuGroupBuffer();
    let now = 1_000;
    const ran = [0, 0, 0];
    const quota = { quotaUs: 50_000, periodUs: 100_000 };
    // Member 0 never runs (an idle main process); 1 and 2 (exec'd processes) spin; a wait takes its time.
    const waits = [0, 0, 0];
    const throttles = [0, 1, 2].map((i) => new CpuThrottle(quota, () => now, () => ran[i], (ms) => void (waits[i] += ms), new CpuGroup(buffer, 10)));
    expect(readCpuGroupStat(buffer)).toEqual({ periods: 0, throttledPeriods: 0, throttledTimeNanos: 0 });
    for (let period = 0; period < 4; period++) {
      now = 1_000 + period * 100;
      throttles[1].atHostCall();
      throttles[2].atHostCall();
      // 30 ms each: 60 of the 50 ms quota; 2 then 1 wait for the period's end (no clock advance here).
      now += 30;
      ran[1] += 30;
      ran[2] += 30;
      throttles[1].atHostCall();
      throttles[2].atHostCall();
      throttles[1].atHostCall();
    }
    expect(throttles[0].counters).toEqual({ periods: 1, throttledPeriods: 0, throttledMs: 0 });
    const st = readCpuGroupStat(buffer);
    expect(st.periods).toBe(4);
    expect(st.throttledPeriods).toBe(4);
    expect(throttles[1].counters.throttledPeriods + throttles[2].counters.throttledPeriods).toBeGreaterThanOrEqual(8);
    // Time: a member that waits 40 ms of real time at 10× speed adds 400 ms of cluster time.
    const g = new CpuGroup(buffer, 10);
    g.throttled(99, 40);
    g.throttled(99, 40);
    const after = readCpuGroupStat(buffer);
    expect(after.throttledPeriods).toBe(st.throttledPeriods + 1);
    expect(after.throttledTimeNanos - st.throttledTimeNanos).toBe(800_000_000);
  });

  it('overrun while descheduled across period ends is debt on the next periods: a loaded host does not raise the share', () => {
    for (const gapMs of [0, 30, 80, 150]) {
      const alone = spin(1, gapMs, false);
      const pair = spin(2, gapMs, true);
      console.info(`gap ${gapMs} ms: one process ${alone.share.toFixed(3)}, two in a group ${pair.share.toFixed(3)}`);
      for (const { share } of [alone, pair]) {
        expect(share, `gap ${gapMs} ms`).toBeLessThan(0.52);
        expect(share, `gap ${gapMs} ms`).toBeGreaterThan(0.4);
      }
      expect(alone.throttles[0].counters.throttledPeriods).toBeGreaterThan(50);
    }
  });

  it('debt is bounded: after a long stall (a suspended machine) the guest runs again within MAX_DEBT_PERIODS periods', () => {
    let now = 0;
    let ran = 0;
    let pausedMs = 0;
    const t = new CpuThrottle({ quotaUs: 50_000, periodUs: 100_000 }, () => now, () => ran, (ms) => void ((now += ms), (pausedMs += ms)));
    now = ran = 60_000;
    t.atHostCall();
    for (let i = 0; i < 10; i++) {
      ran += 10;
      now += 10;
      t.atHostCall();
    }
    // MAX_DEBT_PERIODS quotas of debt, then two quotas of running: one more wait.
    expect(pausedMs).toBeGreaterThan((MAX_DEBT_PERIODS - 1) * 100);
    expect(pausedMs).toBeLessThan((MAX_DEBT_PERIODS + 2) * 100);
  });
});
