import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { createFsImageSource } from '../../node/fs-image-source';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import type { Mount, PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createWasmRuntime, type WasmRuntime } from './wasm-runtime';

// The container's writable layer is one filesystem for its main process, every exec and their children,
// each in its own thread (container-layer.ts).
beforeAll(() => ensureImagesBuilt(), 180_000);

let seq = 0;
const dec = new TextDecoder();
let runtime: WasmRuntime | undefined;
afterEach(() => runtime?.dispose());

const sb: PodSandboxConfig = { metadata: { name: 'bb', namespace: 'default', uid: 'u', attempt: 0 }, logDirectory: '/var/log/pods/default_bb_u' };

async function busybox(script: string, mounts: Mount[] = []) {
  const clock = new FakeClock();
  const rt = createWasmRuntime({ nodeName: 'n', disk: await openNodeDisk(`layer-${++seq}`), clock, ids: seededIds(seq), images: createFsImageSource(), launcher: createWorkerThreadsLauncher() });
  runtime = rt;
  await rt.pullImage({ image: 'busybox' });
  const sandboxId = await rt.runPodSandbox(sb);
  const start = async (attempt: number) => {
    const id = await rt.createContainer(sandboxId, { metadata: { name: 'bb', attempt }, image: { image: 'busybox' }, command: ['sh', '-c', script], logPath: `bb/${attempt}.log`, mounts }, sb);
    await rt.startContainer(id);
    return id;
  };
  const exec = async (id: string, cmd: string) => {
    const r = await rt.execSync(id, ['sh', '-c', cmd], 60);
    return { out: dec.decode(r.stdout), err: dec.decode(r.stderr), exitCode: r.exitCode };
  };
  return { rt, start, exec };
}

describe('container writable layer', () => {
  it('a file one exec writes is there for the next exec; a pipeline and its children share it', async () => {
    const { start, exec } = await busybox('sleep 60');
    const id = await start(0);
    expect(await exec(id, 'touch /tmp/x && echo data > /etc/made')).toMatchObject({ exitCode: 0 });
    expect(await exec(id, 'ls /tmp; cat /etc/made')).toEqual({ out: 'x\ndata\n', err: '', exitCode: 0 });
    expect(await exec(id, 'seq 3 > /tmp/seq; cat /tmp/seq | grep -v 2 | wc -l; sh -c "echo child >> /tmp/seq"')).toMatchObject({ out: '2\n', exitCode: 0 });
    expect(await exec(id, 'cat /tmp/seq; rm /tmp/x; ls /tmp')).toEqual({ out: '1\n2\n3\nchild\nseq\n', err: '', exitCode: 0 });
  }, 120_000);

  it('the main process sees what an exec wrote, and an exec sees what the main process wrote', async () => {
    const { start, exec } = await busybox('echo from-main > /main.txt; while [ ! -f /tmp/go ]; do sleep 0.05; done; cat /tmp/go /main.txt > /tmp/seen; touch /tmp/done; sleep 60');
    const id = await start(0);
    let main = await exec(id, 'cat /main.txt');
    for (let i = 0; i < 100 && main.exitCode !== 0; i++) main = await exec(id, 'cat /main.txt');
    expect(main.out).toBe('from-main\n');
    await exec(id, 'echo go > /tmp/go');
    let seen = await exec(id, 'cat /tmp/done && cat /tmp/seen');
    for (let i = 0; i < 100 && seen.exitCode !== 0; i++) seen = await exec(id, 'cat /tmp/done && cat /tmp/seen');
    expect(seen).toEqual({ out: 'go\nfrom-main\n', err: '', exitCode: 0 });
  }, 120_000);

  it('a recreated container starts from the image again; volumes mounted in the layer are the host\'s', async () => {
    const { rt, start, exec } = await busybox('sleep 60', [{ containerPath: '/data', hostPath: '/v/data' }]);
    const dir = rt.hostFs.create('dir', rt.hostFs.root, 'v');
    rt.hostFs.create('dir', dir, 'data');
    const first = await start(0);
    expect(await exec(first, 'echo a > /data/a && cat /data/a')).toMatchObject({ out: 'a\n', exitCode: 0 });
    expect(dec.decode(rt.hostFs.resolve(rt.hostFs.root, '/v/data/a').bytes())).toBe('a\n');
    await exec(first, 'echo keep > /tmp/k');
    await rt.stopContainer(first, 0);
    const second = await start(1);
    expect(await exec(second, 'ls /tmp; cat /data/a')).toEqual({ out: 'a\n', err: '', exitCode: 0 });
    expect(await exec(second, 'cat /tmp/k')).toMatchObject({ exitCode: 1 });
  }, 120_000);
});
