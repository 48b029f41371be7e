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

// pods/exec, memory limits and graceful stop through the kubelet, with a real thread per container.
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
  const disk = await openNodeDisk(`kubelet-exec-${seq}`);
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

describe('kubelet exec', () => {
  it('runs a shell pipeline in a running busybox container and reports the exit as a channel-3 Status', async () => {
    const { api, kubelet } = await node();
    api.put('pods', pod('bb', ['sleep', '3600']) as never);
    await until(() => podOf(api, 'bb')?.status?.phase === 'Running', 'Running');
    const id = await kubelet.api.execOpen!('default', 'bb', 'bb', { command: ['sh', '-c', 'echo hi | wc -c; echo oops >&2; exit 3'], stdout: true, stderr: true });
    const chunks = await drain(kubelet, id);
    const text = (ch: 1 | 2) => chunks.filter((c): c is { channel: 1 | 2; data: string } => c.channel === ch).map((c) => c.data).join('');
    expect(text(1)).toBe('3\n');
    expect(text(2)).toBe('oops\n');
    expect(chunks[chunks.length - 1]).toEqual({
      channel: 3,
      status: expect.objectContaining({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } }),
    });
  }, 60_000);

  it('feeds stdin to an interactive sh and, with a tty, echoes keystrokes and translates newlines', async () => {
    const { api, kubelet } = await node();
    api.put('pods', pod('it', ['sleep', '3600']) as never);
    await until(() => podOf(api, 'it')?.status?.phase === 'Running', 'Running');
    const id = await kubelet.api.execOpen!('default', 'it', 'bb', { command: ['sh'], stdin: true, stdout: true, tty: true });
    await kubelet.api.execWrite!(id, 'echo $((1))x | wc -c\r');
    await kubelet.api.execWrite!(id, 'exit 0\r');
    const chunks = await drain(kubelet, id);
    const out = chunks.map((c) => ('data' in c ? c.data : '')).join('');
    expect(out).toContain('/ # echo');
    expect(out).toContain('\r\n');
    expect(chunks[chunks.length - 1]).toEqual({ channel: 3, status: { metadata: {}, status: 'Success' } });
  }, 60_000);

  it('refuses exec into a container that is not running', async () => {
    const { api, kubelet } = await node();
    await expect(kubelet.api.execOpen!('default', 'nope', 'bb', { command: ['ls'] })).rejects.toThrow('pod "nope" not found');
    api.put('pods', pod('done', ['true']) as never);
    await until(() => podOf(api, 'done')?.status?.phase === 'Succeeded', 'Succeeded');
    await expect(kubelet.api.execOpen!('default', 'done', 'bb', { command: ['ls'] })).rejects.toThrow('container not found ("bb")');
  }, 60_000);

  it('resources.limits.memory ends a program that outgrows it as OOMKilled (137)', async () => {
    const { api, kubelet } = await node();
    // The shell doubles a variable until an allocation fails.
    api.put('pods', pod('oom', ['sh', '-c', 'x=a; while true; do x="$x$x"; done'], { resources: { limits: { memory: '16Mi' } } }) as never);
    await until(() => ['Failed', 'Succeeded'].includes(podOf(api, 'oom')?.status?.phase ?? ''), 'Failed', 40_000);
    await kubelet.idle();
    expect(podOf(api, 'oom')!.status!.containerStatuses![0].state?.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
  }, 60_000);
});
