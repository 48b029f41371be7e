// One busybox container running `sh -c SCRIPT` to its exit on an in-process runtime with the real built image:
// shared by the busybox image tests and the tar tests behind kubectl cp.
import { FakeClock, seededIds } from '../src/api';
import { createFsImageSource } from '../src/node/fs-image-source';
import type { PodSandboxConfig } from '../src/workers/runtime/cri';
import { openNodeDisk } from '../src/workers/runtime/node-disk';
import { createInProcessLauncher } from '../src/workers/runtime/process-launcher';
import { createWasmRuntime } from '../src/workers/runtime/wasm-runtime';

let seq = 0;

/** stdout and stderr as the log holds them (CRI prefixes removed, lines joined by \n), and the exit code. */
export async function runSh(script: string, image = 'busybox'): Promise<{ out: string; exitCode?: number }> {
  const clock = new FakeClock();
  const ids = seededIds(++seq);
  const disk = await openNodeDisk(`busybox-sh-${seq}`);
  const runtime = createWasmRuntime({ nodeName: 'n', disk, clock, ids, images: createFsImageSource(), launcher: createInProcessLauncher({ clock, ids }) });
  await runtime.pullImage({ image });
  const sb: PodSandboxConfig = { metadata: { name: 'bb', namespace: 'default', uid: 'u', attempt: 0 }, logDirectory: '/var/log/pods/default_bb_u' };
  const sandboxId = await runtime.runPodSandbox(sb);
  const id = await runtime.createContainer(sandboxId, { metadata: { name: 'bb', attempt: 0 }, image: { image }, command: ['sh', '-c', script], logPath: 'bb/0.log' }, sb);
  let { seq: s } = await runtime.getContainerEvents(0);
  await runtime.startContainer(id);
  for (;;) {
    const res = await runtime.getContainerEvents(s);
    s = res.seq;
    if (res.events.some((e) => e.containerId === id && e.type === 'CONTAINER_STOPPED_EVENT')) break;
  }
  const status = await runtime.containerStatus(id);
  const lines = (await disk.readLog(status.logPath)) ?? [];
  runtime.dispose();
  return { out: lines.map((l) => l.replace(/^\S+ \S+ [FP] /, '')).join('\n'), exitCode: status.exitCode };
}
