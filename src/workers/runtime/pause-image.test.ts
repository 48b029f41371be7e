import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { createFsImageSource } from '../../node/fs-image-source';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import type { PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import { createWasmRuntime } from './wasm-runtime';

// Behaviour of registry.k8s.io/pause (images/pause): -v, and a clean exit 0 on SIGTERM.
beforeAll(() => ensureImagesBuilt(), 180_000);

let seq = 0;
async function start(image: string, args?: string[]) {
  // pause sleeps for real: a worker thread per container, as `npm run serve` runs them.
  const clock = new FakeClock();
  const ids = seededIds(++seq);
  const disk = await openNodeDisk(`pause-${seq}`);
  const runtime = createWasmRuntime({ nodeName: 'n', disk, clock, ids, images: createFsImageSource(), launcher: createWorkerThreadsLauncher() });
  await runtime.pullImage({ image });
  const sb: PodSandboxConfig = { metadata: { name: 'p', namespace: 'default', uid: 'u', attempt: 0 }, logDirectory: '/var/log/pods/default_p_u' };
  const sandboxId = await runtime.runPodSandbox(sb);
  const id = await runtime.createContainer(sandboxId, { metadata: { name: 'p', attempt: 0 }, image: { image }, args, logPath: 'p/0.log' }, sb);
  const { seq: s0 } = await runtime.getContainerEvents(0);
  await runtime.startContainer(id);
  const stopped = (async () => {
    for (let s = s0; ; ) {
      const res = await runtime.getContainerEvents(s);
      s = res.seq;
      if (res.events.some((e) => e.containerId === id && e.type === 'CONTAINER_STOPPED_EVENT')) break;
    }
    const status = await runtime.containerStatus(id);
    const lines = (await disk.readLog(status.logPath)) ?? [];
    runtime.dispose();
    return { log: lines.map((l) => l.replace(/^\S+ (\S+) [FP] /, '$1 ')).join('\n'), exitCode: status.exitCode };
  })();
  return { runtime, id, stopped };
}

describe('pause image', () => {
  it('prints its version with -v', async () => {
    const { stopped } = await start('registry.k8s.io/pause:3.10', ['-v']);
    expect(await stopped).toEqual({ log: 'stdout pause.c v3.10', exitCode: 0 });
  });

  it('sleeps until SIGTERM, then exits 0 at once', async () => {
    const { runtime, id, stopped } = await start('registry.k8s.io/pause:3.9');
    const before = await runtime.containerStatus(id);
    expect(before.state).toBe('CONTAINER_RUNNING');
    // Give it time to install its handlers: a SIGTERM before that is ignored, as by any pid 1.
    await new Promise((r) => setTimeout(r, 500));
    void runtime.stopContainer(id, 30);
    expect(await stopped).toEqual({ log: 'stderr Shutting down, got signal', exitCode: 0 });
  }, 30_000);
});
