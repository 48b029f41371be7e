import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { until as untilFixture, wasmNodes } from '../../../test/wasm-node-fixture';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import type { Kubelet } from './kubelet';
import { drainExec, podOf, pod as wasmPod } from './testing/wasm-node';

// pods/attach through the kubelet (CRI Attach), with a real thread per container.
const node = wasmNodes({ diskName: 'kubelet-attach', launcher: () => createWorkerThreadsLauncher() });
const until = (cond: () => boolean, what: string, ms = 20_000) => untilFixture(cond, what, ms);

const pod = (name: string, command: string[], extra: Record<string, unknown> = {}): Pod =>
  wasmPod(name, { restartPolicy: 'Never', containers: [{ name: 'bb', image: 'busybox', command, ...extra }] });
const drain = drainExec;

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
    await expect(kubelet.api.attachOpen!('default', 'nope', 'bb', {})).rejects.toThrow('pod does not exist');
    await expect(kubelet.api.attachOpen!('default', 'keep', 'zz', {})).rejects.toThrow('container zz not found in pod keep_default');
  }, 60_000);
});
