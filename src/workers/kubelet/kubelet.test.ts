import { afterEach, describe, expect, it } from 'vitest';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../../api';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { startKubelet, type Kubelet } from './kubelet';
import { FakeRuntime, memoryDisk } from './testing/fake-runtime';
import { CONTAINER_GC_MS } from './container-logs';

const NODE = 'tabernetes-worker';

async function until(cond: () => boolean | Promise<boolean>, what = 'condition', ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

function pod(name: string, image: string, extra: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { nodeName: NODE, restartPolicy: 'Always', containers: [{ name: 'hello', image }], ...extra },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  };
}

interface Env {
  api: FakeApiHandler;
  clock: FakeClock;
  runtime: FakeRuntime;
  kubelet: Kubelet;
  disk: ReturnType<typeof memoryDisk>;
}

let env: Env | undefined;
afterEach(() => {
  env?.kubelet.dispose();
  env?.runtime.close();
  env = undefined;
});

async function boot(): Promise<Env> {
  const clock = new FakeClock();
  const api = new FakeApiHandler(() => new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'));
  const disk = memoryDisk();
  const runtime = new FakeRuntime(clock, disk);
  runtime.addImage('hello-world', { exitCode: 0, stdout: ['Hello from Tabernetes!', 'bye'] }, 4321);
  runtime.addImage('docker.io/tabernetes/fail', { exitCode: 3, stdout: ['fail: about to exit'] });
  runtime.addImage('busybox:1.36', 'forever');
  const kubelet = await startKubelet({ nodeName: NODE, client: new ApiClient(api), runtime, disk, clock, ids: seededIds(7), nodeIndex: 1 });
  env = { api, clock, runtime, kubelet, disk };
  return env;
}

const getPod = (e: Env, name: string) => e.api.get('pods', 'default', name) as unknown as Pod | undefined;
const events = (e: Env) =>
  (e.api.list('events') as unknown as Event[])
    .filter((ev) => ev.source?.component === 'kubelet')
    .map((ev) => `${ev.type} ${ev.reason} ${ev.message}`);

describe('kubelet', () => {
  it('registers its Node Ready with kind-like addressing and honest os/arch labels', async () => {
    const e = await boot();
    const node = e.api.get('nodes', undefined, NODE) as unknown as Node;
    expect(node.metadata?.labels).toMatchObject({ 'kubernetes.io/hostname': NODE, 'kubernetes.io/os': 'wasip1', 'kubernetes.io/arch': 'wasm' });
    expect(node.spec?.podCIDR).toBe('10.244.1.0/24');
    const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    expect(node.status?.addresses).toEqual([
      { address: '172.18.0.3', type: 'InternalIP' },
      { address: NODE, type: 'Hostname' },
    ]);
    expect(node.status?.nodeInfo).toMatchObject({ kubeletVersion: 'v1.32.0', containerRuntimeVersion: 'fake://0.0.1', operatingSystem: 'wasip1' });
    const beat = ready?.lastHeartbeatTime;
    await e.clock.advance(10_000);
    await until(() => (e.api.get('nodes', undefined, NODE) as unknown as Node).status?.conditions?.find((c) => c.type === 'Ready')?.lastHeartbeatTime !== beat, 'heartbeat');
    const after = (e.api.get('nodes', undefined, NODE) as unknown as Node).status?.conditions?.find((c) => c.type === 'Ready');
    expect(after?.lastTransitionTime).toBe(ready?.lastTransitionTime);
  });

  it('on re-registration keeps the existing taints and podCIDR and updates the default labels', async () => {
    const clock = new FakeClock();
    const api = new FakeApiHandler();
    api.put('nodes', { metadata: { name: NODE, labels: { team: 'a', 'kubernetes.io/os': 'linux' } }, spec: { podCIDR: '10.244.9.0/24', taints: [{ key: 'k', effect: 'NoExecute' }] } } as never);
    const disk = memoryDisk();
    const runtime = new FakeRuntime(clock, disk);
    const kubelet = await startKubelet({ nodeName: NODE, client: new ApiClient(api), runtime, disk, clock, ids: seededIds(3), nodeIndex: 1 });
    env = { api, clock, runtime, kubelet, disk };
    const node = api.get('nodes', undefined, NODE) as unknown as Node;
    expect(node.metadata?.labels).toMatchObject({ team: 'a', 'kubernetes.io/os': 'wasip1', 'kubernetes.io/hostname': NODE });
    expect(node.spec).toMatchObject({ podCIDR: '10.244.9.0/24', taints: [{ key: 'k', effect: 'NoExecute' }] });
    expect(node.status?.conditions?.map((c) => c.type)).toEqual(['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready']);
  });

  it('runs a run-once pod to Succeeded with kubelet events, status and logs', async () => {
    const e = await boot();
    e.api.put('pods', pod('hello', 'hello-world', { restartPolicy: 'Never' }) as never);
    await until(() => getPod(e, 'hello')?.status?.phase === 'Succeeded', 'Succeeded');
    await e.kubelet.idle();
    const p = getPod(e, 'hello')!;
    const cs = p.status!.containerStatuses![0];
    expect(cs.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(cs.containerID).toMatch(/^wasm:\/\//);
    expect(cs.image).toBe('docker.io/library/hello-world:latest');
    expect(cs.imageID).toMatch(/^docker\.io\/library\/hello-world@sha256:/);
    expect(p.status?.podIP).toBe('10.244.1.2');
    expect(p.status?.hostIP).toBe('172.18.0.3');
    expect(p.status?.qosClass).toBe('BestEffort');
    expect(p.status?.conditions?.map((c) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`)).toEqual([
      'PodReadyToStartContainers=False',
      'Initialized=True/PodCompleted',
      'Ready=False/PodCompleted',
      'ContainersReady=False/PodCompleted',
      'PodScheduled=True',
    ]);
    expect(events(e)).toEqual([
      'Normal Pulling Pulling image "hello-world"',
      'Normal Pulled Successfully pulled image "hello-world" in 0s (0s including waiting). Image size: 4321 bytes.',
      'Normal Created Created container hello',
      'Normal Started Started container hello',
    ]);
    expect(await e.kubelet.api.containerLogs('default', 'hello', 'hello', {})).toBe('Hello from Tabernetes!\nbye\n');
    expect(await e.kubelet.api.containerLogs('default', 'hello', 'hello', { tailLines: 1 })).toBe('bye\n');
    await expect(e.kubelet.api.containerLogs('default', 'hello', 'hello', { previous: true })).rejects.toThrow(
      'previous terminated container "hello" in pod "hello" not found',
    );
    await expect(e.kubelet.api.containerLogs('default', 'hello', 'nope', {})).rejects.toThrow('container nope is not valid for pod hello');
  });

  it('restarts a failing OnFailure container with CrashLoopBackOff', async () => {
    const e = await boot();
    e.api.put('pods', pod('crash', 'docker.io/tabernetes/fail', { restartPolicy: 'OnFailure' }) as never);
    await until(() => getPod(e, 'crash')?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff', 'CrashLoopBackOff');
    await e.kubelet.idle();
    let cs = getPod(e, 'crash')!.status!.containerStatuses![0];
    expect(cs.restartCount).toBe(1);
    expect(cs.state?.waiting?.message).toBe('back-off 10s restarting failed container=hello pod=crash_default(uid-crash)');
    expect(cs.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(getPod(e, 'crash')!.status?.phase).toBe('Running');
    expect(events(e)).toContain('Warning BackOff Back-off restarting failed container hello in pod crash_default(uid-crash)');
    await e.clock.advance(10_000);
    await until(() => getPod(e, 'crash')?.status?.containerStatuses?.[0]?.restartCount === 2, 'second restart');
    await e.kubelet.idle();
    cs = getPod(e, 'crash')!.status!.containerStatuses![0];
    expect(cs.state?.waiting?.message).toBe('back-off 20s restarting failed container=hello pod=crash_default(uid-crash)');
    expect(await e.kubelet.api.containerLogs('default', 'crash', 'hello', { previous: true })).toBe('fail: about to exit\n');
  });

  it('fails a Never pod whose container exits non-zero', async () => {
    const e = await boot();
    e.api.put('pods', pod('never', 'docker.io/tabernetes/fail', { restartPolicy: 'Never' }) as never);
    await until(() => getPod(e, 'never')?.status?.phase === 'Failed', 'Failed');
    const cs = getPod(e, 'never')!.status!.containerStatuses![0];
    expect(cs.state?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(cs.restartCount).toBe(0);
  });

  it('reports ErrImagePull then ImagePullBackOff for an unknown image and retries on the back-off', async () => {
    const e = await boot();
    e.api.put('pods', pod('bad', 'nosuchimage') as never);
    const waiting = () => getPod(e, 'bad')?.status?.containerStatuses?.[0]?.state?.waiting;
    await until(() => waiting()?.reason === 'ErrImagePull', 'ErrImagePull');
    expect(waiting()?.message).toBe('failed to resolve reference "docker.io/library/nosuchimage:latest": docker.io/library/nosuchimage:latest: not found');
    await e.clock.advance(1_000);
    await until(() => waiting()?.reason === 'ImagePullBackOff', 'ImagePullBackOff');
    expect(waiting()?.message).toBe(
      'Back-off pulling image "nosuchimage": ErrImagePull: failed to resolve reference "docker.io/library/nosuchimage:latest": docker.io/library/nosuchimage:latest: not found',
    );
    await e.kubelet.idle();
    expect(events(e)).toEqual([
      'Normal Pulling Pulling image "nosuchimage"',
      'Warning Failed Failed to pull image "nosuchimage": failed to resolve reference "docker.io/library/nosuchimage:latest": docker.io/library/nosuchimage:latest: not found',
      'Warning Failed Error: ErrImagePull',
      'Normal BackOff Back-off pulling image "nosuchimage"',
      'Warning Failed Error: ImagePullBackOff',
    ]);
    await expect(e.kubelet.api.containerLogs('default', 'bad', 'hello', {})).rejects.toThrow(
      'container "hello" in pod "bad" is waiting to start: trying and failing to pull image',
    );
    await e.clock.advance(9_000);
    await until(() => waiting()?.reason === 'ErrImagePull', 'second pull');
    expect(e.api.list('events').filter((ev) => (ev as unknown as Event).reason === 'Pulling')).toHaveLength(1);
    await e.kubelet.idle();
    expect((e.api.list('events') as unknown as Event[]).find((ev) => ev.reason === 'Pulling')?.count).toBe(2);
  });

  it('runs a long-running pod, then on deletion stops it and finishes the delete', async () => {
    const e = await boot();
    e.api.put('pods', pod('web', 'busybox:1.36') as never);
    await until(() => getPod(e, 'web')?.status?.phase === 'Running', 'Running');
    await e.kubelet.idle();
    const p = getPod(e, 'web')!;
    expect(p.status?.containerStatuses?.[0]).toMatchObject({ ready: true, started: true, restartCount: 0 });
    expect(p.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    expect(events(e)).toContain('Normal Pulled Container image "busybox:1.36" already present on machine');
    await expect(e.kubelet.api.containerLogs('default', 'web', 'hello', {})).resolves.toBe('');
    e.api.put('pods', { ...p, metadata: { ...p.metadata!, deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 } } as never);
    await until(() => !getPod(e, 'web'), 'pod deleted');
    await e.kubelet.idle();
    await until(() => e.runtime.sandboxes.size === 0 && e.runtime.containers.size === 0, 'runtime cleanup');
    expect(events(e)).toContain('Normal Killing Stopping container hello');
    const del = e.api.requests.find((r) => r.method === 'DELETE');
    expect(del?.body).toEqual({ gracePeriodSeconds: 0, preconditions: { uid: 'uid-web' } });
  });

  it('runs init containers to completion before the containers, and fails the pod when one fails under Never', async () => {
    const e = await boot();
    e.api.put('pods', pod('init', 'busybox:1.36', { initContainers: [{ name: 'setup', image: 'hello-world' }] }) as never);
    await until(() => getPod(e, 'init')?.status?.phase === 'Running', 'Running');
    await e.kubelet.idle();
    const st = getPod(e, 'init')!.status!;
    expect(st.initContainerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(st.conditions?.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(events(e).filter((m) => m.includes('Started'))).toEqual(['Normal Started Started container setup', 'Normal Started Started container hello']);

    e.api.put('pods', pod('badinit', 'busybox:1.36', { restartPolicy: 'Never', initContainers: [{ name: 'setup', image: 'docker.io/tabernetes/fail' }] }) as never);
    await until(() => getPod(e, 'badinit')?.status?.phase === 'Failed', 'Failed');
    const bad = getPod(e, 'badinit')!.status!;
    expect(bad.containerStatuses?.[0].state?.waiting?.reason).toBe('PodInitializing');
    expect(bad.conditions?.find((c) => c.type === 'Initialized')).toMatchObject({ status: 'False', reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [setup]' });
  });
});

describe('kubelet: a deleted pod\'s logs', () => {
  it('stay readable after the cleanup (the line a TERM trap wrote last), until the second container GC sweep', async () => {
    const e = await boot();
    e.runtime.addImage('docker.io/tabernetes/trapper:latest', 'forever');
    e.runtime.onTerm.set('docker.io/tabernetes/trapper:latest', { stdout: ['got TERM'], exitCode: 0 });
    e.api.put('pods', pod('trap', 'tabernetes/trapper') as never);
    await until(() => getPod(e, 'trap')?.status?.phase === 'Running', 'Running');
    await e.kubelet.idle();
    const p = getPod(e, 'trap')!;
    e.api.put('pods', { ...p, metadata: { ...p.metadata!, deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 } } as never);
    await until(() => !getPod(e, 'trap'), 'pod deleted');
    await e.kubelet.idle();
    await until(() => e.runtime.sandboxes.size === 0 && e.runtime.containers.size === 0, 'runtime cleanup');
    const logPath = '/var/log/pods/default_trap_uid-trap/hello/0.log';
    expect(await e.disk.readLog(logPath)).toHaveLength(1);
    await expect(e.kubelet.api.containerLogs('default', 'trap', 'hello', {})).resolves.toBe('got TERM\n');
    await expect(e.kubelet.api.containerLogs('default', 'trap', 'nope', {})).rejects.toThrow('container nope is not valid for pod trap');

    // A new pod of the same name is served instead of the deleted one.
    e.api.put('pods', { ...pod('trap', 'busybox:1.36'), metadata: { name: 'trap', namespace: 'default', uid: 'uid-trap-2' } } as never);
    await until(() => getPod(e, 'trap')?.status?.phase === 'Running', 'second pod Running');
    await expect(e.kubelet.api.containerLogs('default', 'trap', 'hello', {})).resolves.toBe('');
    const q = getPod(e, 'trap')!;
    e.api.put('pods', { ...q, metadata: { ...q.metadata!, deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 0 } } as never);
    await until(() => !getPod(e, 'trap'), 'second pod deleted');
    await e.kubelet.idle();

    await e.clock.advance(CONTAINER_GC_MS);
    expect(await e.disk.readLog(logPath)).toHaveLength(1); // the first sweep after the delete keeps them
    await e.clock.advance(CONTAINER_GC_MS);
    await until(async () => (await e.disk.readLog(logPath)) === undefined, 'logs removed by container GC');
    await expect(e.kubelet.api.containerLogs('default', 'trap', 'hello', {})).rejects.toThrow('pod "trap" cannot be found - no logs available');
  });
});
