import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { createFsImageSource } from '../../node/fs-image-source';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import type { ContainerConfig, PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createWasmRuntime } from './wasm-runtime';

// resources.limits.cpu covers every process of the container (CFS quota is per cgroup): children spawned by sh.
beforeAll(() => ensureImagesBuilt(), 180_000);

const launcher = createWorkerThreadsLauncher();
afterAll(() => launcher.dispose());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let seq = 0;

async function busybox(script: string, cpuQuotaUs?: number) {
  const clock = new FakeClock();
  const ids = seededIds(++seq);
  const disk = await openNodeDisk(`cpu-children-${process.pid}-${seq}`);
  const runtime = createWasmRuntime({ nodeName: 'n', disk, clock, ids, images: createFsImageSource(), launcher });
  await runtime.pullImage({ image: 'busybox' });
  const sb: PodSandboxConfig = { metadata: { name: 'p', namespace: 'default', uid: `u${seq}`, attempt: 0 }, logDirectory: `/var/log/pods/default_p_u${seq}` };
  const sandbox = await runtime.runPodSandbox(sb);
  const config: ContainerConfig = { metadata: { name: 'c', attempt: 0 }, image: { image: 'busybox' }, command: ['sh', '-c', script], logPath: 'c/0.log', ...(cpuQuotaUs ? { linux: { resources: { cpuQuota: cpuQuotaUs, cpuPeriod: 100_000 } } } : {}) };
  const id = await runtime.createContainer(sandbox, config, sb);
  await runtime.startContainer(id);
  const stats = async () => (await runtime.listContainerStats!({ id }))[0];
  return { runtime, id, stats };
}

/** CPU cores the container used over ms of real time. */
async function coresOver(stats: () => Promise<{ cpu: { usageCoreNanoSeconds: number } } | undefined>, ms: number): Promise<number> {
  const a = (await stats())!.cpu.usageCoreNanoSeconds;
  const t0 = performance.now();
  await sleep(ms);
  const b = (await stats())!.cpu.usageCoreNanoSeconds;
  return (b - a) / ((performance.now() - t0) * 1e6);
}

describe('limits.cpu for all processes of a container', () => {
  it('a busy loop in a child sh (spawned, no host calls) is held to the 500m budget; unlimited it takes a core', async () => {
    const loop = `sh -c 'while :; do :; done'`;
    const limited = await busybox(loop, 50_000);
    const free = await busybox(loop);
    await sleep(800);
    const limitedCores = await coresOver(limited.stats, 2_000);
    const freeCores = await coresOver(free.stats, 1_000);
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
    const mainOnly = await coresOver(c.stats, 1_000);
    const s1 = await c.runtime.exec({ containerId: c.id, cmd: loop });
    await sleep(500);
    const withExec = await coresOver(c.stats, 2_000);
    await c.runtime.execCancel(s1);
    c.runtime.dispose();
    // An idle main process and two exec'd loops: the two share the half core.
    const idle = await busybox('sleep 3600', 50_000);
    const s2 = [await idle.runtime.exec({ containerId: idle.id, cmd: loop }), await idle.runtime.exec({ containerId: idle.id, cmd: loop })];
    await sleep(500);
    const twoExecs = await coresOver(idle.stats, 2_000);
    console.info(`measured: 500m container: main loop alone → ${mainOnly.toFixed(3)} cores; main + exec'd loop → ${withExec.toFixed(3)}; idle main + 2 exec'd loops → ${twoExecs.toFixed(3)}`);
    for (const cores of [mainOnly, withExec, twoExecs]) expect(cores).toBeGreaterThan(0.3);
    expect(mainOnly).toBeLessThan(0.65);
    expect(withExec).toBeLessThan(0.65);
    // Two spinning Workers on a shared 2-core machine: runnable-but-descheduled time counts (as in stats), so
    // checks overrun more; separate budgets would give 1.0.
    expect(twoExecs).toBeLessThan(0.8);
    for (const s of s2) await idle.runtime.execCancel(s);
    idle.runtime.dispose();
  }, 60_000);
});
