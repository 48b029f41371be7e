import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { until as untilFixture, wasmNodes } from '../../../test/wasm-node-fixture';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import { drainExec, podOf, pod as wasmPod } from './testing/wasm-node';

// pods/exec, memory limits and graceful stop through the kubelet, with a real thread per container.
const node = wasmNodes({ diskName: 'kubelet-exec', launcher: () => createWorkerThreadsLauncher() });
const until = (cond: () => boolean, what: string, ms = 20_000) => untilFixture(cond, what, ms);

const pod = (name: string, command: string[], extra: Record<string, unknown> = {}): Pod =>
  wasmPod(name, { restartPolicy: 'Never', containers: [{ name: 'bb', image: 'busybox', command, ...extra }] });
const drain = drainExec;

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
    await expect(kubelet.api.execOpen!('default', 'nope', 'bb', { command: ['ls'] })).rejects.toThrow('pod does not exist');
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
