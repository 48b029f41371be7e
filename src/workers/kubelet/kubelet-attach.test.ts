import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../../api';
import type { ExecStreamChunk } from '../../api/protocol';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { createFsImageSource } from '../../node/fs-image-source';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import { createWasmRuntime, openNodeDisk, type WasmRuntime } from '../runtime';
import { startKubelet, type Kubelet } from './kubelet';

// pods/attach through the kubelet (CRI Attach), with a real thread per container.
beforeAll(() => ensureImagesBuilt(), 180_000);

const NODE = 'tabernetes-worker';
let seq = 0;
const live: Array<{ kubelet: Kubelet; runtime: WasmRuntime }> = [];
afterEach(() => {
  for (const n of live.splice(0)) {
    n.kubelet.dispose();
    n.runtime.dispose();
  }
});

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function node() {
  const clock = new FakeClock();
  const api = new FakeApiHandler();
  const ids = seededIds(++seq);
  const disk = await openNodeDisk(`kubelet-attach-${seq}`);
  const runtime = createWasmRuntime({ nodeName: NODE, disk, clock, ids, images: createFsImageSource(), launcher: createWorkerThreadsLauncher() });
  const kubelet = await startKubelet({ nodeName: NODE, client: new ApiClient(api), runtime, disk, clock, ids, nodeIndex: 1 });
  live.push({ kubelet, runtime });
  return { clock, api, kubelet };
}

function pod(name: string, command: string[], extra: Record<string, unknown> = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { nodeName: NODE, restartPolicy: 'Never', containers: [{ name: 'bb', image: 'busybox', command, ...extra }] },
    status: { phase: 'Pending' },
  } as Pod;
}

const podOf = (api: FakeApiHandler, name: string) => api.get('pods', 'default', name) as unknown as Pod | undefined;

async function drain(k: Kubelet, id: string): Promise<ExecStreamChunk[]> {
  const all: ExecStreamChunk[] = [];
  for (let b = await k.api.execRead!(id); b; b = await k.api.execRead!(id)) all.push(...b);
  return all;
}

/** Reads until the stdout+stderr text equals want; returns it per channel. */
async function readUntil(k: Kubelet, id: string, want: string): Promise<{ 1: string; 2: string }> {
  const got = { 1: '', 2: '' };
  while (got[1] + got[2] !== want) {
    const b = await k.api.execRead!(id);
    if (!b) break;
    for (const c of b) if (c.channel !== 3) got[c.channel] += c.data;
  }
  return got;
}

describe('kubelet attach', () => {
  it('attaches to a stdin/tty busybox sh: keystrokes reach it, output comes back, exit ends the stream with Success', async () => {
    const { api, kubelet } = await node();
    api.put('pods', pod('sh', ['sh'], { stdin: true, tty: true }) as never);
    await until(() => podOf(api, 'sh')?.status?.phase === 'Running', 'Running');
    const id = await kubelet.api.attachOpen!('default', 'sh', 'bb', { stdin: true, stdout: true, tty: true });
    await kubelet.api.execResize!(id, { width: 80, height: 24 });
    await kubelet.api.execWrite!(id, 'echo attached-$((2+3))\r');
    await kubelet.api.execWrite!(id, 'exit 4\r');
    const chunks = await drain(kubelet, id);
    const out = chunks.map((c) => ('data' in c ? c.data : '')).join('');
    expect(out).toContain('attached-5\r\n');
    expect(chunks[chunks.length - 1]).toEqual({ channel: 3, status: { metadata: {}, status: 'Success' } });
    await until(() => podOf(api, 'sh')?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode === 4, 'terminated 4');
  }, 60_000);

  it('a detach (cancel) leaves the container running; unknown pods and containers are refused', async () => {
    const { api, kubelet } = await node();
    api.put('pods', pod('keep', ['sh'], { stdin: true }) as never);
    await until(() => podOf(api, 'keep')?.status?.phase === 'Running', 'Running');
    const id = await kubelet.api.attachOpen!('default', 'keep', 'bb', { stdin: true, stdout: true, stderr: true });
    await kubelet.api.execWrite!(id, 'echo one\n');
    expect(await readUntil(kubelet, id, 'one\n')).toEqual({ 1: 'one\n', 2: '' });
    await kubelet.api.execCancel!(id);
    const again = await kubelet.api.attachOpen!('default', 'keep', 'bb', { stdin: true, stdout: true });
    await kubelet.api.execWrite!(again, 'echo two >&2\n');
    expect(await readUntil(kubelet, again, 'two\n')).toEqual({ 1: '', 2: 'two\n' });
    await kubelet.api.execCancel!(again);
    expect(podOf(api, 'keep')?.status?.phase).toBe('Running');
    await expect(kubelet.api.attachOpen!('default', 'nope', 'bb', {})).rejects.toThrow('pod "nope" not found');
    await expect(kubelet.api.attachOpen!('default', 'keep', 'zz', {})).rejects.toThrow('container not found ("zz")');
  }, 60_000);
});
