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

// Behaviour of images/kubernetes-bootcamp (gcr.io/google-samples/kubernetes-bootcamp:v1,
// jocatalin/kubernetes-bootcamp:v2, as the Kubernetes Basics tutorial uses them), dialled from JS.
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
  const disk = await openNodeDisk(`bootcamp-${seq}`);
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

describe('kubernetes-bootcamp image', () => {
  it('kubernetes-bootcamp v1 and v2 answer as the tutorial shows and log the start and each request', async () => {
    const v1 = await startPod('10.244.3.12', 'gcr.io/google-samples/kubernetes-bootcamp:v1', 'kubernetes-bootcamp-5485cc6795-abcde');
    const res = await get('10.244.3.12', 8080, '/');
    expect(res).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Type: text\/plain\r\nDate: .* GMT\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n/);
    expect(res.slice(res.indexOf('\r\n\r\n') + 4)).toBe('54\r\nHello Kubernetes bootcamp! | Running on: kubernetes-bootcamp-5485cc6795-abcde | v=1\n\r\n0\r\n\r\n');
    await expect.poll(v1.logs, { timeout: 10_000 }).toMatch(
      /Kubernetes Bootcamp App Started At: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \| Running On:  kubernetes-bootcamp-5485cc6795-abcde \n\n[\s\S]*Running On: kubernetes-bootcamp-5485cc6795-abcde \| Total Requests: 1 \| App Uptime: [\d.]+ seconds \| Log Time: \d{4}-\d\d-\d\dT/,
    );
    expect(await v1.logs()).toContain('Tabernetes WASI build of gcr.io/google-samples/kubernetes-bootcamp:v1');
    const v2 = await startPod('10.244.3.13', 'jocatalin/kubernetes-bootcamp:v2', 'kb2');
    expect(await get('10.244.3.13', 8080, '/')).toContain('Hello Kubernetes bootcamp! | Running on: kb2 | v=2\n');
    await v1.runtime.stopContainer(v1.id, 0);
    await v2.runtime.stopContainer(v2.id, 0);
  }, 120_000);
});
