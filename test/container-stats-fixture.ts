import 'fake-indexeddb/auto';
import { afterAll, beforeAll } from 'vitest';
import { FakeClock, seededIds } from '../src/api';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { createFsImageSource } from '../src/node/fs-image-source';
import { createWorkerThreadsLauncher } from '../src/node/worker-threads-launcher';
import type { ContainerConfig, ContainerStats, PodSandboxConfig } from '../src/workers/runtime/cri';
import { openNodeDisk } from '../src/workers/runtime/node-disk';
import { createInProcessLauncher } from '../src/workers/runtime/process-launcher';
import { createWasmRuntime, type WasmRuntime } from '../src/workers/runtime/wasm-runtime';

export interface StartContainerOptions {
  /** Runs the container's processes in this thread (createInProcessLauncher) instead of worker_threads. */
  inProcess?: boolean;
  /** linux.resources.memoryLimitInBytes. */
  memoryLimit?: number;
  /** linux.resources.cpuQuota over a 100 ms cpuPeriod. */
  cpuQuotaUs?: number;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * For container stats / CPU limit tests (Node only): builds the images once (beforeAll) and disposes the shared
 * worker_threads launcher after the file. start(image, command) runs one container on its own runtime and disk
 * (named `<diskPrefix>-<pid>-<n>`); the caller disposes each runtime.
 */
export function containerStatsFixture(diskPrefix: string) {
  beforeAll(() => ensureImagesBuilt(), 180_000);
  const launcher = createWorkerThreadsLauncher();
  afterAll(() => launcher.dispose());
  let seq = 0;
  async function start(image: string, command: string[], opts: StartContainerOptions = {}) {
    const clock = new FakeClock();
    const ids = seededIds(++seq);
    const disk = await openNodeDisk(`${diskPrefix}-${process.pid}-${seq}`);
    const runtime: WasmRuntime = createWasmRuntime({ nodeName: 'n', disk, clock, ids, images: createFsImageSource(), launcher: opts.inProcess ? createInProcessLauncher({ clock, ids }) : launcher });
    await runtime.pullImage({ image });
    const sb: PodSandboxConfig = { metadata: { name: 'p', namespace: 'default', uid: `u${seq}`, attempt: 0 }, logDirectory: `/var/log/pods/default_p_u${seq}` };
    const sandbox = await runtime.runPodSandbox(sb);
    const resources = { ...(opts.memoryLimit ? { memoryLimitInBytes: opts.memoryLimit } : {}), ...(opts.cpuQuotaUs ? { cpuQuota: opts.cpuQuotaUs, cpuPeriod: 100_000 } : {}) };
    const config: ContainerConfig = { metadata: { name: 'c', attempt: 0 }, image: { image }, command, logPath: 'c/0.log', ...(Object.keys(resources).length ? { linux: { resources } } : {}) };
    const id = await runtime.createContainer(sandbox, config, sb);
    await runtime.startContainer(id);
    const stats = async (): Promise<ContainerStats | undefined> => (await runtime.listContainerStats!({ id }))[0];
    /** Resolves when the container has exited: its status and log lines (without the CRI prefix). */
    const exited = async () => {
      for (;;) {
        const st = await runtime.containerStatus(id);
        if (st.state === 'CONTAINER_EXITED') return { st, log: ((await disk.readLog(st.logPath)) ?? []).map((l) => l.replace(/^\S+ \S+ [FP] /, '')) };
        await sleep(20);
      }
    };
    return { runtime, id, clock, stats, exited, dispose: () => runtime.dispose() };
  }
  return { start };
}

/** CPU cores the container used over ms of real time (between two stats samples). */
export async function coresOver(stats: () => Promise<{ cpu: { usageCoreNanoSeconds: number } } | undefined>, ms: number): Promise<number> {
  const a = (await stats())!.cpu.usageCoreNanoSeconds;
  const t0 = performance.now();
  await sleep(ms);
  const b = (await stats())!.cpu.usageCoreNanoSeconds;
  return (b - a) / ((performance.now() - t0) * 1e6);
}
