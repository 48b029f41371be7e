import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { createFsImageSource } from '../../node/fs-image-source';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import type { PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createWasmRuntime } from './wasm-runtime';

// busybox sh on a terminal (`kubectl exec -it bb -- sh`: line editing, history) and `trap … TERM` in a
// container's main process. Real time: a worker thread per process, as `npm run serve` runs them.
beforeAll(() => ensureImagesBuilt(), 180_000);
const launcher = createWorkerThreadsLauncher();
afterAll(() => launcher.dispose());
const enc = new TextEncoder();
const dec = new TextDecoder();

async function start(script: string) {
  const disk = await openNodeDisk('busybox-sh-tty');
  const runtime = createWasmRuntime({ nodeName: 'n', disk, clock: new FakeClock(), ids: seededIds(1), images: createFsImageSource(), launcher });
  const image = 'busybox';
  await runtime.pullImage({ image });
  const sb: PodSandboxConfig = { metadata: { name: 'bb', namespace: 'default', uid: 'u', attempt: 0 }, logDirectory: '/var/log/pods/default_bb_u' };
  const sandboxId = await runtime.runPodSandbox(sb);
  const id = await runtime.createContainer(sandboxId, { metadata: { name: 'bb', attempt: 0 }, image: { image }, command: ['sh', '-c', script], logPath: 'bb/0.log' }, sb);
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
    return { log: lines.map((l) => l.replace(/^\S+ \S+ [FP] /, '')).join('\n'), exitCode: status.exitCode };
  })();
  return { runtime, id, stopped };
}

describe('busybox sh on a TTY and with signals', () => {
  it('kubectl exec -it … sh: prompt, echo, cursor editing, history with the up arrow, Ctrl-D exits', async () => {
    const { runtime, id, stopped } = await start('sleep 3600');
    const sid = await runtime.exec({ containerId: id, cmd: ['sh'], stdin: true, tty: true });
    let out = '';
    let exitCode: number | undefined;
    const pump = (async () => {
      for (let chunks; (chunks = await runtime.execRead(sid)); )
        for (const c of chunks) {
          if ('data' in c) out += dec.decode(c.data);
          else exitCode = c.exitCode;
        }
    })();
    await expect.poll(() => out, { timeout: 10_000 }).toBe('/ # ');
    await runtime.execWrite(sid, enc.encode('X=$((6*7)); eho $X\x01' + '\x1b[C'.repeat(13) + 'c\r'));
    await expect.poll(() => out, { timeout: 10_000 }).toMatch(/42\r\n\/ # $/);
    const afterFirst = out.length;
    await runtime.execWrite(sid, enc.encode('\x1b[A\r'));
    await expect.poll(() => out.slice(afterFirst), { timeout: 10_000 }).toBe('\r\x1b[K/ # X=$((6*7)); echo $X\r\n42\r\n/ # ');
    await runtime.execWrite(sid, enc.encode('\x04'));
    await pump;
    expect(out.slice(0, afterFirst)).toContain('X=$((6*7)); eho $X');
    expect(exitCode).toBe(0);
    await runtime.stopContainer(id, 0);
    await stopped;
    runtime.dispose();
  }, 60_000);

  it("trap '…' TERM runs the handler when the container is stopped", async () => {
    const { runtime, id, stopped } = await start("trap 'echo got TERM; exit 5' TERM; echo ready; while true; do sleep 1; done");
    await new Promise((r) => setTimeout(r, 700));
    void runtime.stopContainer(id, 30);
    expect(await stopped).toEqual({ log: 'ready\ngot TERM', exitCode: 5 });
    runtime.dispose();
  }, 60_000);
});
