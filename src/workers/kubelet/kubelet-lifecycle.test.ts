import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { until, wasmNodes } from '../../../test/wasm-node-fixture';
import { eventsOf, messages, pod, podOf, sleepForeverLauncher, type WasmNode } from './testing/wasm-node';

// postStart/preStop hooks and sidecars, with real busybox execs (in-process) in long-running containers.
const node = wasmNodes({ diskName: 'kubelet-lifecycle', launcher: (clock) => sleepForeverLauncher(clock) });

const sleeper = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }], ...extra });
const withData = (name: string, spec: Record<string, unknown>): Pod => pod(name, { volumes: [{ name: 'data', emptyDir: {} }], ...spec });
const dataFile = (n: WasmNode, uid: string, file: string) => {
  const fs = n.runtime.hostFs;
  const node = fs.lookup(fs.root, `/var/lib/kubelet/pods/${uid}/volumes/kubernetes.io~empty-dir/data/${file}`, true).node;
  return node && new TextDecoder().decode(node.bytes());
};
const deleteGracefully = (n: WasmNode, name: string) => {
  const p = podOf(n.api, name)!;
  n.api.put('pods', { ...p, metadata: { ...p.metadata!, deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 } } as never);
};

describe('lifecycle hooks', () => {
  it('postStart runs in the container before it counts as started; preStop runs before SIGTERM on deletion', async () => {
    const n = await node();
    n.api.put('pods', withData('hooks', { containers: [sleeper('app', { lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo started > /data/post'] } }, preStop: { exec: { command: ['sh', '-c', 'echo stopping > /data/pre'] } } } })] }) as never);
    await until(() => podOf(n.api, 'hooks')?.status?.phase === 'Running', 'Running');
    expect(dataFile(n, 'uid-hooks', 'post')).toBe('started\n');
    expect(dataFile(n, 'uid-hooks', 'pre')).toBeUndefined();
    deleteGracefully(n, 'hooks');
    await until(() => !podOf(n.api, 'hooks'), 'deleted');
    expect(messages(n.api, 'Killing')).toEqual(['Stopping container app']);
    expect(eventsOf(n.api).map((e) => e.reason)).not.toContain('FailedPreStopHook');
  });

  it('a failing postStart: FailedPostStartHook with the kubelet text, the container is killed (PostStartHookError)', async () => {
    const n = await node();
    n.api.put('pods', withData('bad', { containers: [sleeper('app', { lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo nope; exit 3'] } } } })] }) as never);
    await until(() => messages(n.api, 'FailedPostStartHook').length > 0, 'FailedPostStartHook');
    await n.kubelet.idle();
    expect(messages(n.api, 'FailedPostStartHook')[0]).toBe(
      'Exec lifecycle hook ([sh -c echo nope; exit 3]) for Container "app" in Pod "bad_default(uid-bad)" failed - error: command \'sh -c echo nope; exit 3\' exited with 3: , message: "nope\\n"',
    );
    expect(messages(n.api, 'Killing')).toContain('FailedPostStartHook');
    const cs = podOf(n.api, 'bad')!.status!.containerStatuses![0];
    expect(cs.state?.waiting?.reason).toMatch(/^(PostStartHookError|CrashLoopBackOff)$/); // the PLEG sees the kill at once
    expect(cs.lastState?.terminated ?? cs.state?.terminated).toBeDefined();
  });

  it('a failing preStop: FailedPreStopHook, then the container is still stopped', async () => {
    const n = await node();
    n.api.put('pods', withData('ps', { containers: [sleeper('app', { lifecycle: { preStop: { exec: { command: ['cat', '/nope'] } } } })] }) as never);
    await until(() => podOf(n.api, 'ps')?.status?.phase === 'Running', 'Running');
    deleteGracefully(n, 'ps');
    await until(() => !podOf(n.api, 'ps'), 'deleted');
    expect(messages(n.api, 'FailedPreStopHook')).toEqual([
      'Exec lifecycle hook ([cat /nope]) for Container "app" in Pod "ps_default(uid-ps)" failed - error: command \'cat /nope\' exited with 1: cat: can\'t open \'/nope\': No such file or directory\n, message: "cat: can\'t open \'/nope\': No such file or directory\\n"',
    ]);
  });
});

describe('sidecars (restartable init containers)', () => {
  it('start in order before the app containers, keep running, and stop after them', async () => {
    const n = await node();
    n.api.put('pods', withData('sc', {
      initContainers: [sleeper('proxy', { restartPolicy: 'Always' }), { name: 'setup', image: 'busybox', command: ['sh', '-c', 'echo ok > /data/setup'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }, sleeper('logger', { restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] }, periodSeconds: 5 } })],
      containers: [sleeper('app')],
    }) as never);
    await until(() => podOf(n.api, 'sc')?.status?.containerStatuses?.[0].state?.running !== undefined, 'app running');
    await n.clock.advance(10);
    await n.kubelet.idle();
    expect(messages(n.api, 'Started')).toEqual(['Started container proxy', 'Started container setup', 'Started container logger', 'Started container app']);
    await until(async () => {
      await n.clock.advance(10);
      return podOf(n.api, 'sc')!.status!.initContainerStatuses![2].ready === true;
    }, 'logger ready (its first readiness probe)');
    await n.kubelet.idle();
    const st = podOf(n.api, 'sc')!.status!;
    expect(st.phase).toBe('Running');
    expect(st.initContainerStatuses!.map((s) => [s.name, Object.keys(s.state!)[0], s.started, s.ready])).toEqual([
      ['proxy', 'running', true, true],
      ['setup', 'terminated', false, false],
      ['logger', 'running', true, true],
    ]);
    expect(st.conditions!.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(st.conditions!.find((c) => c.type === 'Ready')?.status).toBe('True');
    deleteGracefully(n, 'sc');
    await until(() => !podOf(n.api, 'sc'), 'deleted');
    expect(messages(n.api, 'Killing')).toEqual(['Stopping container app', 'Stopping container logger', 'Stopping container proxy']);
  });
});
