import 'fake-indexeddb/auto';
import { afterAll, beforeAll } from 'vitest';
import { FakeClock, seededIds } from '../src/api';
import { dialTcp, NetworkFabric, type AsyncConn } from '../src/network';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { createFsImageSource } from '../src/node/fs-image-source';
import { createWorkerThreadsLauncher } from '../src/node/worker-threads-launcher';
import type { Mount, PodSandboxConfig } from '../src/workers/runtime/cri';
import { openNodeDisk } from '../src/workers/runtime/node-disk';
import type { ProcessLauncher } from '../src/workers/runtime/process-launcher';
import { createWasmRuntime, type WasmRuntime } from '../src/workers/runtime/wasm-runtime';

export interface ImagePodFixtureOptions {
  /** Source address of get/request/dial; default 10.244.1.3. */
  fromIp?: string;
  /** Pod network size; default 32 slots of 8 KiB rings. */
  fabric?: { slots: number; ringBytes: number };
}

export interface StartPodOptions {
  /** Runs the container's processes on this launcher instead of the fixture's (hand it to adopt()). */
  launcher?: ProcessLauncher;
  /** Overrides the image's entrypoint. */
  command?: string[];
  /** Files written to the runtime's host fs and bind-mounted read-only at containerPath. */
  mount?: { containerPath: string; files: Record<string, string> };
  /** Container name; default "app". */
  container?: string;
  /** logs() keeps each line's stream ("stdout hi") instead of just its text. */
  logStreams?: boolean;
}

/**
 * For image behaviour tests (Node only): builds the images once, runs each "pod" as one container on its
 * own runtime over a shared pod network with worker_threads containers, and disposes everything after the
 * file (runtimes first, then adopted launchers and the fixture's own, in reverse order of creation).
 * startPod(podIP, image, name, envs, args, opts) starts the image's default command (or its entrypoint with
 * args) with HOSTNAME=name in sandbox `name`.
 * dial(ip, port) retries while the port refuses (the server is still starting, ~10 s at most); request()
 * sends raw bytes on such a connection and resolves everything the server sends until it closes;
 * get(ip, port, path) is request() of one HTTP/1.1 GET with Connection: close.
 */
export function imagePodFixture(diskPrefix: string, opts: ImagePodFixtureOptions = {}) {
  beforeAll(() => ensureImagesBuilt(), 300_000);
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const fromIp = opts.fromIp ?? '10.244.1.3';
  const launcher = createWorkerThreadsLauncher();
  const fabric = NetworkFabric.create({ ...(opts.fabric ?? { slots: 32, ringBytes: 8192 }), listeners: 8 });
  const disposables: { dispose(): void }[] = [launcher];
  let seq = 0;
  afterAll(() => disposables.reverse().forEach((d) => d.dispose()));

  function adopt<T extends { dispose(): void }>(d: T): T {
    disposables.push(d);
    return d;
  }

  async function startPod(podIP: string, image: string, name: string, envs: { key: string; value: string }[] = [], args?: string[], o: StartPodOptions = {}) {
    const clock = new FakeClock();
    const ids = seededIds(++seq);
    const disk = await openNodeDisk(`${diskPrefix}-${seq}`);
    const runtime: WasmRuntime = adopt(createWasmRuntime({ nodeName: 'n', disk, clock, ids, images: createFsImageSource(), launcher: o.launcher ?? launcher, network: fabric.buffer }));
    await runtime.pullImage({ image });
    const mounts: Mount[] = [];
    if (o.mount) {
      const fs = runtime.hostFs;
      let dir = fs.root;
      for (const part of ['v', 'mount']) dir = dir.children.get(part) ?? fs.create('dir', dir, part);
      for (const [file, text] of Object.entries(o.mount.files)) fs.create('file', dir, file).write(0, enc.encode(text));
      mounts.push({ containerPath: o.mount.containerPath, hostPath: '/v/mount', readonly: true });
    }
    const container = o.container ?? 'app';
    const sb: PodSandboxConfig = { metadata: { name, namespace: 'default', uid: `u${seq}`, attempt: 0 }, logDirectory: `/var/log/pods/default_${name}_u${seq}`, podIP };
    const sandboxId = await runtime.runPodSandbox(sb);
    const id = await runtime.createContainer(
      sandboxId,
      { metadata: { name: container, attempt: 0 }, image: { image }, logPath: `${container}/0.log`, envs: [{ key: 'HOSTNAME', value: name }, ...envs], ...(args ? { args } : {}), ...(o.command ? { command: o.command } : {}), ...(mounts.length ? { mounts } : {}) },
      sb,
    );
    await runtime.startContainer(id);
    const strip = (l: string) => (o.logStreams ? l.replace(/^\S+ (\S+) [FP] /, '$1 ') : l.replace(/^\S+ \S+ [FP] /, ''));
    const logs = async () => ((await disk.readLog((await runtime.containerStatus(id)).logPath)) ?? []).map(strip).join('\n');
    return { id, name, runtime, logs };
  }

  async function dial(ip: string, port: number): Promise<AsyncConn> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await dialTcp(fabric, ip, port, { fromIp });
      } catch (err) {
        if (attempt > 100 || !String(err).includes('connection refused')) throw err;
        await new Promise((r) => setTimeout(r, 100)); // the server is still starting
      }
    }
  }

  async function request(ip: string, port: number, raw: string): Promise<string> {
    const conn = await dial(ip, port);
    await conn.write(enc.encode(raw));
    const out = dec.decode(await conn.readAll());
    conn.close();
    return out;
  }

  const get = (ip: string, port: number, path: string) => request(ip, port, `GET ${path} HTTP/1.1\r\nHost: ${ip}\r\nConnection: close\r\n\r\n`);
  return { fabric, adopt, startPod, dial, request, get };
}
