import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { ApiError, Nodes, Pods } from '../src/api';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { bootCluster, getPod, helloPod, podEvents, podLogs, waitFor, type TestCluster } from './cluster-helpers';

beforeAll(() => ensureImagesBuilt(), 120_000);

const running: TestCluster[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.cluster.stop();
});

async function boot(): Promise<TestCluster> {
  const t = await bootCluster();
  running.push(t);
  return t;
}

const summary = (e: { type?: string; reason?: string; message?: string }) => `${e.type} ${e.reason} ${e.message}`;

describe('local cluster', () => {
  it('boots three Ready nodes with kind-like roles and taints', async () => {
    const { cluster } = await boot();
    const nodes = await waitFor(async () => {
      const items = (await cluster.client.list<Node>(Nodes)).items;
      // the node lifecycle controller removes any transient not-ready taint once Ready is True
      return items.every((n) => !n.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/not-ready')) && items;
    }, 'no not-ready taints');
    expect(nodes.map((n) => n.metadata?.name).sort()).toEqual(['tabernetes-control-plane', 'tabernetes-worker', 'tabernetes-worker2']);
    for (const n of nodes) {
      expect(n.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
      expect(n.metadata?.labels?.['kubernetes.io/hostname']).toBe(n.metadata?.name);
    }
    const cp = nodes.find((n) => n.metadata?.name === 'tabernetes-control-plane')!;
    expect(cp.metadata?.labels).toHaveProperty('node-role.kubernetes.io/control-plane', '');
    expect(cp.spec?.taints).toEqual([{ effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }]);
    expect(cp.spec?.podCIDR).toBe('10.244.0.0/24');
    const w2 = nodes.find((n) => n.metadata?.name === 'tabernetes-worker2')!;
    expect(w2.spec?.taints ?? []).toEqual([]);
    expect(w2.spec?.podCIDR).toBe('10.244.2.0/24');
    expect(w2.status?.addresses?.[0]).toEqual({ address: '172.18.0.4', type: 'InternalIP' });
  });

  it('runs hello-world on a worker to Succeeded, with events in order and its logs', async () => {
    const { cluster } = await boot();
    const phases: string[] = [];
    const watch = cluster.client.watch<Pod>(Pods, 'default', {}, {
      onEvent: (ev) => {
        const p = ev.object.status?.phase;
        if (ev.object.metadata?.name === 'hello' && p && phases[phases.length - 1] !== p) phases.push(p);
      },
    });
    try {
      await cluster.client.create<Pod>(Pods, helloPod('hello', {}, 'Never'));
      const pod = await waitFor(async () => {
        const p = await getPod(cluster, 'hello');
        return p.status?.phase === 'Succeeded' && p;
      }, 'pod Succeeded');
      expect(pod.spec?.nodeName).toMatch(/^tabernetes-worker2?$/);
      const cs = pod.status!.containerStatuses![0];
      expect(cs.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
      expect(cs.restartCount).toBe(0);
      expect(pod.status?.podIP).toMatch(/^10\.244\.[12]\.\d+$/);
      await cluster.idle();
      await waitFor(() => phases[phases.length - 1] === 'Succeeded', 'watch saw Succeeded');
      expect(phases[0]).toBe('Pending');
      expect(phases.filter((p) => p !== 'Running')).toEqual(['Pending', 'Succeeded']);
      const events = (await podEvents(cluster, 'hello')).map((e) => e.reason);
      expect(events).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
      const logs = await podLogs(cluster, 'hello');
      expect(logs).toContain('Hello from Tabernetes!');
      expect(logs).toMatch(/Arguments:\n\/hello\n/);
      expect(logs).toContain('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    } finally {
      watch.dispose();
    }
  });

  it('never schedules onto the tainted control plane', async () => {
    const { cluster } = await boot();
    for (const i of [1, 2, 3, 4]) await cluster.client.create<Pod>(Pods, helloPod(`p${i}`, {}, 'Never'));
    for (const i of [1, 2, 3, 4]) {
      const p = await waitFor(async () => {
        const pod = await getPod(cluster, `p${i}`);
        return pod.status?.phase === 'Succeeded' && pod;
      }, `p${i} Succeeded`);
      expect(p.spec?.nodeName).not.toBe('tabernetes-control-plane');
    }
  });

  it('fails a Never pod whose container exits non-zero', async () => {
    const { cluster } = await boot();
    await cluster.client.create<Pod>(Pods, helloPod('fails', { image: 'docker.io/tabernetes/fail', args: ['7'] }, 'Never'));
    const pod = await waitFor(async () => {
      const p = await getPod(cluster, 'fails');
      return p.status?.phase === 'Failed' && p;
    }, 'pod Failed');
    expect(pod.status?.containerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 7, reason: 'Error' });
    expect(await podLogs(cluster, 'fails')).toBe('fail: about to exit with code 7\nfail: something went wrong (exit 7)\n');
  });

  it('restarts an OnFailure container with CrashLoopBackOff and exponential back-off', async () => {
    const { cluster, clock } = await boot();
    await cluster.client.create<Pod>(Pods, helloPod('crash', { image: 'docker.io/tabernetes/fail' }, 'OnFailure'));
    const pod = await waitFor(async () => {
      const p = await getPod(cluster, 'crash');
      return p.status?.containerStatuses?.[0].state?.waiting?.reason === 'CrashLoopBackOff' && p;
    }, 'CrashLoopBackOff');
    const cs = pod.status!.containerStatuses![0];
    expect(cs.restartCount).toBe(1);
    expect(cs.lastState?.terminated?.exitCode).toBe(3);
    expect(cs.state?.waiting?.message).toBe(`back-off 10s restarting failed container=hello pod=crash_default(${pod.metadata?.uid})`);
    expect(pod.status?.phase).toBe('Running');
    await cluster.idle();
    const backoff = (await podEvents(cluster, 'crash')).find((e) => e.reason === 'BackOff');
    expect(backoff && summary(backoff)).toBe(`Warning BackOff Back-off restarting failed container hello in pod crash_default(${pod.metadata?.uid})`);
    await clock.advance(10_000);
    const again = await waitFor(async () => {
      const p = await getPod(cluster, 'crash');
      return p.status?.containerStatuses?.[0].restartCount === 2 && p.status.containerStatuses[0].state?.waiting && p;
    }, 'second restart');
    expect(again.status?.containerStatuses?.[0].state?.waiting?.message).toContain('back-off 20s');
    expect(await podLogs(cluster, 'crash', { previous: 'true' })).toContain('fail: about to exit with code 3');
  });

  it('reports ErrImagePull then ImagePullBackOff for an unknown image', async () => {
    const { cluster, clock } = await boot();
    await cluster.client.create<Pod>(Pods, helloPod('nope', { image: 'no-such-image' }));
    const waiting = async () => (await getPod(cluster, 'nope')).status?.containerStatuses?.[0].state?.waiting;
    await waitFor(async () => (await waiting())?.reason === 'ErrImagePull', 'ErrImagePull');
    await clock.advance(1_000);
    await waitFor(async () => (await waiting())?.reason === 'ImagePullBackOff', 'ImagePullBackOff');
    await cluster.idle();
    const events = (await podEvents(cluster, 'nope')).map(summary);
    expect(events[1]).toBe('Normal Pulling Pulling image "no-such-image"');
    expect(events[2]).toMatch(/^Warning Failed Failed to pull image "no-such-image": /);
    expect(events.slice(3)).toEqual(['Warning Failed Error: ErrImagePull', 'Normal BackOff Back-off pulling image "no-such-image"', 'Warning Failed Error: ImagePullBackOff']);
    const err = await podLogs(cluster, 'nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('container "hello" in pod "nope" is waiting to start: trying and failing to pull image');
  });

  it('finishes the graceful deletion of a running pod (the kubelet deletes it with grace 0)', async () => {
    const { cluster } = await boot();
    await cluster.client.create<Pod>(Pods, helloPod('gone', {}, 'Always'));
    await waitFor(async () => ((await getPod(cluster, 'gone')).status?.containerStatuses?.[0].restartCount ?? 0) >= 1, 'restarted once');
    await cluster.client.delete(Pods, 'gone', 'default');
    await waitFor(async () => {
      try {
        await getPod(cluster, 'gone');
        return false;
      } catch (err) {
        return err instanceof ApiError && err.code === 404;
      }
    }, 'pod gone');
    await cluster.idle();
    for (const n of cluster.nodes) {
      expect((await n.runtime.listPodSandbox()).filter((s) => s.metadata.name === 'gone')).toEqual([]);
      expect((await n.runtime.listContainers()).filter((c) => c.logPath.includes('_gone_'))).toEqual([]);
    }
  });

  it('keeps pods, statuses and logs across a reload without re-running anything', async () => {
    const first = await bootCluster();
    await first.cluster.client.create<Pod>(Pods, helloPod('kept', {}, 'Never'));
    const before = await waitFor(async () => {
      const p = await getPod(first.cluster, 'kept');
      return p.status?.phase === 'Succeeded' && p;
    }, 'Succeeded');
    await first.cluster.idle();
    const logsBefore = await podLogs(first.cluster, 'kept');
    await first.cluster.stop();

    const second = await bootCluster(first);
    running.push(second);
    await second.clock.advance(1_000);
    await second.cluster.idle();
    const after = await getPod(second.cluster, 'kept');
    expect(after.status).toEqual(before.status);
    expect(await podLogs(second.cluster, 'kept')).toBe(logsBefore);
    const started = (await podEvents(second.cluster, 'kept')).filter((e) => e.reason === 'Started');
    expect(started).toHaveLength(1);
  });
});
