import { describe, expect, it } from 'vitest';
import { containerStatsFixture, coresOver, sleep } from '../../../test/container-stats-fixture';

// resources.limits.cpu covers every process of the container (CFS quota is per cgroup): children spawned by sh.
const { start } = containerStatsFixture('cpu-children');
const busybox = (script: string, cpuQuotaUs?: number) => start('busybox', ['sh', '-c', script], { cpuQuotaUs });

describe('limits.cpu for all processes of a container', () => {
  it('a busy loop in a child sh (spawned, no host calls) is held to the 500m budget; unlimited it takes a core', async () => {
    const loop = `sh -c 'while :; do :; done'`;
    const limited = await busybox(loop, 50_000);
    const free = await busybox(loop);
    await sleep(800);
    const [limitedCores, freeCores] = await Promise.all([coresOver(limited.stats, 3_000), coresOver(free.stats, 3_000)]);
    console.info(`measured: child sh busy loop, 500m → ${limitedCores.toFixed(3)} cores; unlimited → ${freeCores.toFixed(3)} cores`);
    expect(limitedCores).toBeGreaterThan(0.3);
    expect(limitedCores).toBeLessThan(0.62);
    expect(freeCores).toBeGreaterThan(0.75);
    const t = (await limited.stats())!.cpu.throttling!;
    expect(t.throttledPeriods).toBeGreaterThan(5);
    limited.runtime.dispose();
    free.runtime.dispose();
  }, 60_000);

  it('kubectl exec processes share the container budget and count in its stats', async () => {
    const loop = ['sh', '-c', 'while :; do :; done'];
    // Main loop alone, then main + one exec'd loop: together still about half a core.
    const c = await busybox('while :; do :; done', 50_000);
    await sleep(300);
    const mainOnly = await coresOver(c.stats, 2_000);
    const s1 = await c.runtime.exec({ containerId: c.id, cmd: loop });
    await sleep(500);
    const withExec = await coresOver(c.stats, 3_000);
    await c.runtime.execCancel(s1);
    c.runtime.dispose();
    // An idle main process and two exec'd loops: the two share the half core.
    const idle = await busybox('sleep 3600', 50_000);
    const s2 = [await idle.runtime.exec({ containerId: idle.id, cmd: loop }), await idle.runtime.exec({ containerId: idle.id, cmd: loop })];
    await sleep(500);
    const twoExecs = await coresOver(idle.stats, 3_000);
    // cpu.stat is the cgroup's: the exec'd processes' throttling counts though the main process never runs.
    const t = (await idle.stats())!.cpu.throttling!;
    console.info(`measured: idle main + 2 exec'd loops, cpu.stat: ${JSON.stringify(t)}`);
    expect(t.throttledPeriods).toBeGreaterThan(5);
    expect(t.periods).toBeGreaterThanOrEqual(t.throttledPeriods);
    expect(t.throttledTimeNanos).toBeGreaterThan(0);
    console.info(`measured: 500m container: main loop alone → ${mainOnly.toFixed(3)} cores; main + exec'd loop → ${withExec.toFixed(3)}; idle main + 2 exec'd loops → ${twoExecs.toFixed(3)}`);
    for (const cores of [mainOnly, withExec, twoExecs]) expect(cores).toBeGreaterThan(0.3);
    // Runnable-but-descheduled time counts (as in stats), so on a loaded host checks overrun; the overrun is
    // debt on the next periods of the shared budget (cpu-throttle.ts). Separate budgets would give 1.0.
    for (const cores of [mainOnly, withExec, twoExecs]) expect(cores).toBeLessThan(0.65);
    for (const s of s2) await idle.runtime.execCancel(s);
    idle.runtime.dispose();
  }, 60_000);
});
