import { describe, expect, it } from 'vitest';
import { CpuGroup, CpuThrottle, newCpuGroupBuffer } from './cpu-throttle';

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
});
