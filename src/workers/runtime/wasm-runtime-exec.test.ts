import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { createFsImageSource } from '../../node/fs-image-source';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import { RuntimeError, type PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createWasmRuntime } from './wasm-runtime';

// Exec, graceful stop and memory limits through the runtime, with a real thread per process.
beforeAll(() => ensureImagesBuilt(), 120_000);

let seq = 0;
const dec = new TextDecoder();
const TICKER = 'docker.io/tabernetes/ticker:latest';

async function runningTicker(extra: { memoryLimitInBytes?: number } = {}) {
  const clock = new FakeClock();
  const runtime = createWasmRuntime({
    nodeName: 'node-1',
    disk: await openNodeDisk(`exec-test-${++seq}`),
    clock,
    ids: seededIds(seq),
    images: createFsImageSource(),
    launcher: createWorkerThreadsLauncher(),
  });
  await runtime.pullImage({ image: TICKER });
  const sb: PodSandboxConfig = { metadata: { name: 'p', namespace: 'default', uid: 'uid-p', attempt: 0 }, logDirectory: '/var/log/pods/default_p_uid-p' };
  const sandboxId = await runtime.runPodSandbox(sb);
  const id = await runtime.createContainer(sandboxId, {
    metadata: { name: 'main', attempt: 0 },
    image: { image: TICKER },
    args: ['5'],
    logPath: 'main/0.log',
    envs: [{ key: 'GREETING', value: 'hi' }],
    ...(extra.memoryLimitInBytes ? { linux: { resources: { memoryLimitInBytes: extra.memoryLimitInBytes } } } : {}),
  }, sb);
  await runtime.startContainer(id);
  return { runtime, clock, id };
}

describe('WasmRuntime exec', () => {
  it('execSync runs a command of the container image with its own stdio and exit code', async () => {
    const { runtime, id } = await runningTicker();
    const r = await runtime.execSync(id, ['/ticker', '0.01', '2'], 30);
    expect(r.exitCode).toBe(0);
    expect(dec.decode(r.stdout)).toMatch(/^tick 1 \S+\ntick 2 \S+\n$/);
    expect(r.stderr.length).toBe(0);
    expect((await runtime.containerStatus(id)).state).toBe('CONTAINER_RUNNING');
    runtime.dispose();
  }, 60_000);

  it('an unknown program ends with 126 and runc\'s message on stdout', async () => {
    const { runtime, id } = await runningTicker();
    const sid = await runtime.exec({ containerId: id, cmd: ['sh', '-c', 'true'] });
    const chunks = (await runtime.execRead(sid)) ?? [];
    expect(chunks).toEqual([
      { stream: 'stdout', data: new TextEncoder().encode('OCI runtime exec failed: exec failed: unable to start container process: exec: "sh": executable file not found in $PATH: unknown\r\n') },
      { exitCode: 126 },
    ]);
    expect(await runtime.execRead(sid)).toBeNull();
    runtime.dispose();
  }, 60_000);

  it('exec into a container that is not running is refused', async () => {
    const { runtime, id } = await runningTicker();
    await runtime.stopContainer(id, 0);
    await expect(runtime.exec({ containerId: id, cmd: ['ticker'] })).rejects.toBeInstanceOf(RuntimeError);
    runtime.dispose();
  }, 60_000);

  it('stopContainer sends SIGTERM, which a pid-1 without a handler ignores, then kills after the grace period', async () => {
    const { runtime, clock, id } = await runningTicker();
    let stopped = false;
    const stopping = runtime.stopContainer(id, 30).then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(stopped).toBe(false);
    await clock.advance(30_000);
    await stopping;
    expect(await runtime.containerStatus(id)).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 137, reason: 'Error' });
    runtime.dispose();
  }, 60_000);
});
