import 'fake-indexeddb/auto';
import { afterAll, beforeAll } from 'vitest';
import { FakeClock, seededIds } from '../src/api';
import { dialTcp, NetworkFabric } from '../src/network';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { createFsImageSource } from '../src/node/fs-image-source';
import { createWorkerThreadsLauncher } from '../src/node/worker-threads-launcher';
import type { PodSandboxConfig } from '../src/workers/runtime/cri';
import { openNodeDisk } from '../src/workers/runtime/node-disk';
import { createWasmRuntime, type WasmRuntime } from '../src/workers/runtime/wasm-runtime';

/**
 * For image behaviour tests (Node only): builds the images once, runs each "pod" as one container on its
 * own runtime over a shared pod network with worker_threads containers, and disposes everything after the
 * file. startPod(podIP, image, name, envs, args) starts the image's default command (or its entrypoint with
 * args) with HOSTNAME=name;
 * get(ip, port, path) sends one HTTP/1.1 GET from 10.244.1.3 and resolves the raw response, retrying
 * while the server is still starting.
 */
export function imagePodFixture(diskPrefix: string) {
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

  async function startPod(podIP: string, image: string, name: string, envs: { key: string; value: string }[] = [], args?: string[]) {
    const clock = new FakeClock();
    const ids = seededIds(++seq);
    const disk = await openNodeDisk(`${diskPrefix}-${seq}`);
    const runtime = createWasmRuntime({ nodeName: 'n', disk, clock, ids, images: createFsImageSource(), launcher, network: fabric.buffer });
    runtimes.push(runtime);
    await runtime.pullImage({ image });
    const sb: PodSandboxConfig = { metadata: { name, namespace: 'default', uid: `u${seq}`, attempt: 0 }, logDirectory: `/var/log/pods/default_${name}_u${seq}`, podIP };
    const sandboxId = await runtime.runPodSandbox(sb);
    const id = await runtime.createContainer(sandboxId, { metadata: { name: 'app', attempt: 0 }, image: { image }, logPath: 'app/0.log', envs: [{ key: 'HOSTNAME', value: name }, ...envs], ...(args ? { args } : {}) }, sb);
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
  return { startPod, get };
}
