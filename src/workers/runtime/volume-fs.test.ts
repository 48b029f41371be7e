import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { createFsImageSource } from '../../node/fs-image-source';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import type { Mount, NodeDisk, PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createInProcessLauncher, type ProcessLauncher } from './process-launcher';
import { createWasmRuntime, type WasmRuntime } from './wasm-runtime';
import { ERRNO_NOSPC, VolumeServer } from './volume-server';

// Volumes: the runtime's host filesystem mounted into containers through VolumeServers.
beforeAll(() => ensureImagesBuilt(), 180_000);

let seq = 0;
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const disks = new Map<WasmRuntime, NodeDisk>();
async function node(launcherKind: 'in-process' | 'threads' = 'in-process'): Promise<WasmRuntime> {
  const clock = new FakeClock();
  const ids = seededIds(++seq);
  const disk = await openNodeDisk(`volume-fs-${seq}`);
  let launcher: ProcessLauncher = createInProcessLauncher({ clock, ids });
  if (launcherKind === 'threads') {
    const threads = createWorkerThreadsLauncher();
    cleanups.push(() => threads.dispose());
    launcher = threads;
  }
  const runtime = createWasmRuntime({ nodeName: 'n', disk, clock, ids, images: createFsImageSource(), launcher });
  cleanups.push(() => runtime.dispose());
  disks.set(runtime, disk);
  await runtime.pullImage({ image: 'busybox' });
  return runtime;
}

async function run(runtime: WasmRuntime, script: string, mounts: Mount[]): Promise<{ out: string; exitCode?: number; message?: string }> {
  const sb: PodSandboxConfig = { metadata: { name: 'bb', namespace: 'default', uid: `u${++seq}`, attempt: 0 }, logDirectory: `/var/log/pods/default_bb_u${seq}` };
  const sandboxId = await runtime.runPodSandbox(sb);
  const id = await runtime.createContainer(sandboxId, { metadata: { name: 'bb', attempt: 0 }, image: { image: 'busybox' }, command: ['sh', '-c', script], logPath: 'bb/0.log', mounts }, sb);
  let { seq: s } = await runtime.getContainerEvents(0);
  await runtime.startContainer(id).catch(() => undefined);
  for (let st = await runtime.containerStatus(id); st.state !== 'CONTAINER_EXITED'; st = await runtime.containerStatus(id)) {
    const res = await runtime.getContainerEvents(s);
    s = res.seq;
  }
  const status = await runtime.containerStatus(id);
  const lines = (await disks.get(runtime)!.readLog(status.logPath)) ?? [];
  return { out: lines.map((l) => l.replace(/^\S+ \S+ [FP] /, '')).join('\n'), exitCode: status.exitCode, ...(status.message ? { message: status.message } : {}) };
}

function mkdirp(runtime: WasmRuntime, path: string) {
  const fs = runtime.hostFs;
  let dir = fs.root;
  for (const part of path.split('/').filter(Boolean)) dir = dir.children.get(part) ?? fs.create('dir', dir, part);
  return dir;
}

describe('volumes mounted from the host filesystem', () => {
  it('a second container sees what the first wrote; the kubelet side sees it too', async () => {
    const rt = await node();
    mkdirp(rt, '/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/data');
    const m: Mount[] = [{ containerPath: '/data', hostPath: '/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/data' }];
    expect(await run(rt, 'echo hello > /data/a && mkdir /data/d && echo x >> /data/d/b && ls /data', m)).toMatchObject({ exitCode: 0, out: 'a\nd' });
    const r = await run(rt, 'cat /data/a /data/d/b && wc -c < /data/d/b && rm -r /data/d && ls /data && cat /data/a > /tmp/c && rm /data/a && cat /tmp/c && ls /data | wc -l', m);
    expect(r).toEqual({ exitCode: 0, out: 'hello\nx\n2\na\nhello\n0' });
    expect(rt.hostFs.resolve(rt.hostFs.root, '/var/lib/kubelet/pods/u/volumes/kubernetes.io~empty-dir/data').children.size).toBe(0);
  });

  it('read-only mounts fail writes with EROFS; sizeLimit gives ENOSPC; a missing hostPath fails the start', async () => {
    const rt = await node();
    mkdirp(rt, '/v/ro');
    mkdirp(rt, '/v/small');
    const ro = await run(rt, 'echo x > /cfg/f; echo rc=$?', [{ containerPath: '/cfg', hostPath: '/v/ro', readonly: true }]);
    expect(ro.out).toMatch(/Read-only file system\nrc=1$/);
    // The image's applets ignore write errors, so the refusal is checked on the host side.
    const full = await run(rt, 'echo 0123456789 > /s/a && echo 0123456789 > /s/b; cat /s/a', [{ containerPath: '/s', hostPath: '/v/small', sizeLimitBytes: 16 }]);
    expect(full.out).toBe('0123456789');
    expect(rt.hostFs.resolve(rt.hostFs.root, '/v/small/b').size).toBe(1); // echo's 10 digits refused, its newline fits
    const server = new VolumeServer(rt.hostFs, '/v/small', { sizeLimitBytes: 16 });
    const b = server.call({ op: 'lookup', h: server.call({ op: 'root' }).stat!.h, name: 'b' }).stat!.h;
    expect(server.call({ op: 'write', h: b, pos: 0, data: new Uint8Array(6) }).errno).toBe(ERRNO_NOSPC);
    expect(server.call({ op: 'write', h: b, pos: 0, data: new Uint8Array(5) }).errno).toBe(0);
    const missing = await run(rt, 'true', [{ containerPath: '/x', hostPath: '/nope' }]);
    expect(missing.exitCode).toBe(128);
    expect(missing.message).toContain('error mounting "/nope" to rootfs at "/x": stat /nope: no such file or directory');
  });

  it('works from a container Worker (worker_threads) over the SharedArrayBuffer reply slot', async () => {
    const rt = await node('threads');
    mkdirp(rt, '/v/w');
    const m: Mount[] = [{ containerPath: '/w', hostPath: '/v/w' }];
    expect(await run(rt, 'seq 3 > /w/n && cat /w/n | wc -l && ls -l /w | grep -c n', m)).toMatchObject({ exitCode: 0, out: '3\n1' });
    const file = rt.hostFs.resolve(rt.hostFs.root, '/v/w/n');
    expect(new TextDecoder().decode(file.bytes())).toBe('1\n2\n3\n');
  });
});
