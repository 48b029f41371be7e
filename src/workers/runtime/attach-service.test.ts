import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { createFsImageSource } from '../../node/fs-image-source';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import { RuntimeError, type PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createWasmRuntime } from './wasm-runtime';

// CRI Attach on a busybox sh main process: stdin reaches it, its output comes back, stdinOnce, tty.
beforeAll(() => ensureImagesBuilt(), 180_000);
const launcher = createWorkerThreadsLauncher();
afterAll(() => launcher.dispose());
const enc = new TextEncoder();
const dec = new TextDecoder();
let seq = 0;

async function shell(opts: { stdinOnce?: boolean; tty?: boolean }) {
  const runtime = createWasmRuntime({ nodeName: 'n', disk: await openNodeDisk(`attach-${++seq}`), clock: new FakeClock(), ids: seededIds(seq), images: createFsImageSource(), launcher });
  await runtime.pullImage({ image: 'busybox' });
  const sb: PodSandboxConfig = { metadata: { name: 'bb', namespace: 'default', uid: 'u', attempt: 0 }, logDirectory: '/var/log/pods/default_bb_u' };
  const sandboxId = await runtime.runPodSandbox(sb);
  const id = await runtime.createContainer(sandboxId, { metadata: { name: 'bb', attempt: 0 }, image: { image: 'busybox' }, command: ['sh'], logPath: 'bb/0.log', stdin: true, ...opts }, sb);
  await runtime.startContainer(id);
  return { runtime, id };
}

function collect(runtime: Awaited<ReturnType<typeof shell>>['runtime'], sid: string) {
  const r = { out: '', exitCode: undefined as number | undefined };
  void (async () => {
    for (let chunks; (chunks = await runtime.execRead(sid)); )
      for (const c of chunks) {
        if ('data' in c) r.out += dec.decode(c.data);
        else r.exitCode = c.exitCode;
      }
  })();
  return r;
}

describe('WasmRuntime attach', () => {
  it('writes to the main process stdin and streams its output; a detach leaves it running; stdinOnce closes stdin', async () => {
    const { runtime, id } = await shell({ stdinOnce: true });
    const sid = await runtime.attach({ containerId: id, stdin: true });
    const r = collect(runtime, sid);
    await runtime.execWrite(sid, enc.encode('echo hello-$((6*7))\n'));
    await expect.poll(() => r.out, { timeout: 10_000 }).toBe('hello-42\n');
    // a second session sees output from now on too
    const sid2 = await runtime.attach({ containerId: id, stdin: false });
    const r2 = collect(runtime, sid2);
    await runtime.execWrite(sid, enc.encode('echo again\n'));
    await expect.poll(() => r2.out, { timeout: 10_000 }).toBe('again\n');
    await runtime.execCancel(sid2);
    expect((await runtime.containerStatus(id)).state).toBe('CONTAINER_RUNNING');
    // stdinOnce: the first session closing stdin ends the shell (EOF), and the session ends with its exit code
    await runtime.execCloseStdin(sid);
    await expect.poll(() => r.exitCode, { timeout: 10_000 }).toBe(0);
    await expect.poll(async () => (await runtime.containerStatus(id)).state, { timeout: 10_000 }).toBe('CONTAINER_EXITED');
    await expect(runtime.attach({ containerId: id })).rejects.toBeInstanceOf(RuntimeError);
    runtime.dispose();
  }, 60_000);

  it('a tty container gets TERM (the shell prompts and echoes) and "\\r\\n" line ends', async () => {
    const { runtime, id } = await shell({ tty: true });
    const sid = await runtime.attach({ containerId: id, stdin: true, tty: true });
    const r = collect(runtime, sid);
    await runtime.execWrite(sid, enc.encode('echo hi\r'));
    await expect.poll(() => r.out, { timeout: 10_000 }).toMatch(/echo hi\r\nhi\r\n\/ # $/);
    // without stdinOnce, a detach keeps stdin open: a new session can still type
    await runtime.execCancel(sid);
    const sid2 = await runtime.attach({ containerId: id, stdin: true, tty: true });
    const r2 = collect(runtime, sid2);
    await runtime.execWrite(sid2, enc.encode('exit 3\r'));
    await expect.poll(() => r2.exitCode, { timeout: 10_000 }).toBe(3);
    runtime.dispose();
  }, 60_000);
});
