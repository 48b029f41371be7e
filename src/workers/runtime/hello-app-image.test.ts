import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { dialTcp, NetworkFabric } from '../../network';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { createFsImageSource } from '../../node/fs-image-source';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import type { PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createWasmRuntime, type WasmRuntime } from './wasm-runtime';

// Behaviour of images/hello-app (gcr.io/google-samples/hello-app:1.0 and 2.0), dialled from JS.
beforeAll(() => ensureImagesBuilt(), 300_000);

const enc = new TextEncoder();
const dec = new TextDecoder();
const launcher = createWorkerThreadsLauncher();
const fabric = NetworkFabric.create({ slots: 32, ringBytes: 8192, listeners: 8 });
const runtimes: WasmRuntime[] = [];
let seq = 0;
afterAll(() => {
  runtimes.forEach((r) => r.dispose());
  launcher.dispose();
});

async function startPod(podIP: string, image: string, name: string, envs: { key: string; value: string }[] = []) {
  const clock = new FakeClock();
  const ids = seededIds(++seq);
  const disk = await openNodeDisk(`hello-${seq}`);
  const runtime = createWasmRuntime({ nodeName: 'n', disk, clock, ids, images: createFsImageSource(), launcher, network: fabric.buffer });
  runtimes.push(runtime);
  await runtime.pullImage({ image });
  const sb: PodSandboxConfig = { metadata: { name, namespace: 'default', uid: `u${seq}`, attempt: 0 }, logDirectory: `/var/log/pods/default_${name}_u${seq}`, podIP };
  const sandboxId = await runtime.runPodSandbox(sb);
  const id = await runtime.createContainer(sandboxId, { metadata: { name: 'app', attempt: 0 }, image: { image }, logPath: 'app/0.log', envs: [{ key: 'HOSTNAME', value: name }, ...envs] }, sb);
  await runtime.startContainer(id);
  const logs = async () => ((await disk.readLog((await runtime.containerStatus(id)).logPath)) ?? []).map((l) => l.replace(/^\S+ \S+ [FP] /, '')).join('\n');
  return { id, runtime, logs };
}

async function get(ip: string, port: number, path: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const conn = await dialTcp(fabric, ip, port, { fromIp: '10.244.1.3' });
      await conn.write(enc.encode(`GET ${path} HTTP/1.1\r\nHost: ${ip}\r\nConnection: close\r\n\r\n`));
      const out = dec.decode(await conn.readAll());
      conn.close();
      return out;
    } catch (err) {
      if (attempt > 100) throw err;
      await new Promise((r) => setTimeout(r, 100)); // the server is still starting
    }
  }
}

describe('hello-app image', () => {
  it('hello-app:1.0 answers as the Go sample and logs its two lines; 2.0 on $PORT says Version: 2.0.0', async () => {
    const v1 = await startPod('10.244.3.10', 'gcr.io/google-samples/hello-app:1.0', 'hello-7d9f');
    const res = await get('10.244.3.10', 8080, '/any/path');
    expect(res).toMatch(/^HTTP\/1\.1 200 OK\r\nDate: .* GMT\r\nContent-Length: 50\r\nContent-Type: text\/plain; charset=utf-8\r\nConnection: close\r\n\r\nHello, world!\nVersion: 1\.0\.0\nHostname: hello-7d9f\n$/);
    await expect.poll(v1.logs, { timeout: 10_000 }).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Tabernetes WASI build of gcr\.io\/google-samples\/hello-app:1\.0\n\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Server listening on port 8080\n\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Serving request: \/any\/path$/);
    const v2 = await startPod('10.244.3.11', 'gcr.io/google-samples/hello-app:2.0', 'hello-v2', [{ key: 'PORT', value: '9000' }]);
    expect(await get('10.244.3.11', 9000, '/')).toMatch(/\r\n\r\nHello, world!\nVersion: 2\.0\.0\nHostname: hello-v2\n$/);
    await v1.runtime.stopContainer(v1.id, 5);
    expect((await v1.runtime.containerStatus(v1.id)).exitCode).toBe(2);
    await v2.runtime.stopContainer(v2.id, 0);
  }, 120_000);
});
