import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../api';
import { createFsImageSource } from '../../node/fs-image-source';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import type { PodSandboxConfig } from './cri';
import { openNodeDisk } from './node-disk';
import { createInProcessLauncher } from './process-launcher';
import { createWasmRuntime } from './wasm-runtime';

// Behaviour of the busybox image (images/busybox): its sh and applets, run as a container's command.
beforeAll(() => ensureImagesBuilt(), 180_000);

let seq = 0;
async function sh(script: string, image = 'busybox'): Promise<{ out: string; exitCode?: number }> {
  const clock = new FakeClock();
  const ids = seededIds(++seq);
  const disk = await openNodeDisk(`busybox-${seq}`);
  const runtime = createWasmRuntime({ nodeName: 'n', disk, clock, ids, images: createFsImageSource(), launcher: createInProcessLauncher({ clock, ids }) });
  await runtime.pullImage({ image });
  const sb: PodSandboxConfig = { metadata: { name: 'bb', namespace: 'default', uid: 'u', attempt: 0 }, logDirectory: '/var/log/pods/default_bb_u' };
  const sandboxId = await runtime.runPodSandbox(sb);
  const id = await runtime.createContainer(sandboxId, { metadata: { name: 'bb', attempt: 0 }, image: { image }, command: ['sh', '-c', script], logPath: 'bb/0.log' }, sb);
  let { seq: s } = await runtime.getContainerEvents(0);
  await runtime.startContainer(id);
  for (;;) {
    const res = await runtime.getContainerEvents(s);
    s = res.seq;
    if (res.events.some((e) => e.containerId === id && e.type === 'CONTAINER_STOPPED_EVENT')) break;
  }
  const status = await runtime.containerStatus(id);
  const lines = (await disk.readLog(status.logPath)) ?? [];
  runtime.dispose();
  return { out: lines.map((l) => l.replace(/^\S+ \S+ [FP] /, '')).join('\n'), exitCode: status.exitCode };
}

describe('busybox image', () => {
  it('pipes between applets: echo hi | wc -c', async () => {
    expect(await sh('echo hi | wc -c')).toEqual({ out: '3', exitCode: 0 });
  });

  it('&&, ||, ;, exit codes and $?', async () => {
    expect(await sh('false || echo a; true && echo b; false; echo "rc=$?"; exit 3')).toEqual({ out: 'a\nb\nrc=1', exitCode: 3 });
  });

  it('variables, quoting, export to children, $(...)', async () => {
    const r = await sh(`X='a  b'; echo $X "$X"; export Y=1; printenv Y; Z=$(echo hi | wc -c); echo "z=$Z"; echo '$X' \\$X`);
    expect(r.out).toBe('a b a  b\n1\nz=3\n$X $X');
  });

  it('redirections, files and cd', async () => {
    const r = await sh('mkdir -p /tmp/d && cd /tmp/d && echo one > f && echo two >> f && cat f | wc -l && pwd && ls && cat < f 2>&1 && ls /nope 2>/dev/null || echo missing');
    expect(r.out).toBe('2\n/tmp/d\nf\none\ntwo\nmissing');
  });

  it('if/for/while, test and seq', async () => {
    const r = await sh('for i in $(seq 3); do if [ $i -eq 2 ]; then echo two; else echo $i; fi; done; n=0; while [ $n -lt 3 ]; do n=$(seq 0 $n | wc -l); echo n=$n; done; until true; do echo never; done');
    expect(r.out).toBe('1\ntwo\n3\nn=1\nn=2\nn=3');
  });

  it('unknown commands exit 127; grep, head, tail, yes | head', async () => {
    expect(await sh('nope')).toMatchObject({ out: 'sh: nope: not found', exitCode: 127 });
    expect((await sh('seq 10 | grep 1 | tail -n 1; yes | head -n 2; echo abc | grep -v b; echo rc=$?')).out).toBe('10\ny\ny\nrc=1');
  });

  it('busybox --help names the Tabernetes WASI build; the 1.36 tag resolves', async () => {
    expect((await sh('busybox --help | head -n 1', 'busybox:1.36')).out).toBe('BusyBox v1.36.1 (Tabernetes WASI build, wasm32-wasip1) multi-call binary.');
  });
});
