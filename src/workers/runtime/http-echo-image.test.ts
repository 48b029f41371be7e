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

// Behaviour of images/http-echo (hashicorp/http-echo) in a pod on the network fabric, dialled from JS as the
// kubelet (probes, port-forward) does.
beforeAll(() => ensureImagesBuilt(), 300_000);

const enc = new TextEncoder();
const dec = new TextDecoder();
const launcher = createWorkerThreadsLauncher();
const fabric = NetworkFabric.create({ slots: 32, ringBytes: 8192, listeners: 8 });
let runtime: WasmRuntime;
let seq = 0;
afterAll(() => {
  runtime?.dispose();
  launcher.dispose();
});

async function startPod(podIP: string, args: string[]) {
  const clock = new FakeClock();
  const ids = seededIds(++seq);
  const disk = await openNodeDisk(`http-echo-${seq}`);
  runtime = createWasmRuntime({ nodeName: 'n', disk, clock, ids, images: createFsImageSource(), launcher, network: fabric.buffer });
  await runtime.pullImage({ image: 'hashicorp/http-echo' });
  const sb: PodSandboxConfig = { metadata: { name: 'echo', namespace: 'default', uid: `u${seq}`, attempt: 0 }, logDirectory: `/var/log/pods/default_echo_u${seq}`, podIP };
  const sandboxId = await runtime.runPodSandbox(sb);
  const id = await runtime.createContainer(sandboxId, { metadata: { name: 'echo', attempt: 0 }, image: { image: 'hashicorp/http-echo' }, args, logPath: 'echo/0.log' }, sb);
  await runtime.startContainer(id);
  const logs = async () => ((await disk.readLog((await runtime.containerStatus(id)).logPath)) ?? []).map((l) => l.replace(/^\S+ \S+ [FP] /, '')).join('\n');
  return { id, logs };
}

async function request(ip: string, port: number, raw: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const conn = await dialTcp(fabric, ip, port, { fromIp: '172.18.0.2' });
      await conn.write(enc.encode(raw));
      const out = dec.decode(await conn.readAll());
      conn.close();
      return out;
    } catch (err) {
      if (attempt > 100) throw err;
      await new Promise((r) => setTimeout(r, 100)); // the server is still starting
    }
  }
}

describe('hashicorp/http-echo image', () => {
  it('answers any path with the text and a newline, 200 OK, and logs the request', async () => {
    const pod = await startPod('10.244.1.5', ['-text=hello world']);
    const res = await request('10.244.1.5', 5678, 'GET /anything HTTP/1.1\r\nHost: echo\r\nUser-Agent: kube-probe/1.32\r\nConnection: close\r\n\r\n');
    expect(res).toMatch(/^HTTP\/1\.1 200 OK\r\nContent-Length: 12\r\nContent-Type: text\/plain; charset=utf-8\r\nDate: .* GMT\r\nConnection: close\r\nX-App-Name: http-echo\r\nX-App-Version: 1\.0\.0\r\n\r\nhello world\n$/);
    await expect.poll(pod.logs, { timeout: 10_000 }).toMatch(/\[INFO\] server is listening on :5678\n.*\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d echo 172\.18\.0\.2:\d+ "GET \/anything HTTP\/1\.1" 200 12 "kube-probe\/1\.32" \d+µs/s);
    await runtime.stopContainer(pod.id, 0);
  }, 120_000);

  it('honours -listen and -status-code, keeps the connection alive between requests, and /health', async () => {
    const pod = await startPod('10.244.1.6', ['-text', 'down', '-listen=:8080', '-status-code', '503']);
    const res = await request('10.244.1.6', 8080, 'GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    const [first, second] = res.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*\r\n\r\ndown\n$/);
    expect(first).not.toContain('Connection: close');
    expect(second).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*\r\n\r\n\{"status":"ok"\}\n$/);
    await expect(dialTcp(fabric, '10.244.1.6', 5678)).rejects.toThrow('dial tcp 10.244.1.6:5678: connect: connection refused');
    await runtime.stopContainer(pod.id, 0);
    await expect(dialTcp(fabric, '10.244.1.6', 8080)).rejects.toThrow('connection refused');
  }, 120_000);
});
