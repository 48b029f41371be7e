import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { Pods } from '../src/api';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { bootCluster, getPod, helloPod, podEvents, waitFor, type TestCluster } from './cluster-helpers';

beforeAll(() => ensureImagesBuilt(), 120_000);

const running: TestCluster[] = [];
afterEach(async () => {
  for (const t of running.splice(0)) await t.cluster.stop();
});

const cpuPod = (name: string, cpu: string): Pod => helloPod(name, { image: 'ticker', resources: { requests: { cpu } } });

describe('scheduler against a whole cluster', () => {
  it('fills a worker by cpu requests, sends the next pod elsewhere, then reports Insufficient cpu with the preemption part', async () => {
    const t = await bootCluster();
    running.push(t);
    const { cluster, clock } = t;
    const bound = (name: string) => waitFor(async () => (await getPod(cluster, name)).spec?.nodeName, `${name} bound`);

    await cluster.client.create<Pod>(Pods, cpuPod('a', '3500m'));
    const first = await bound('a');
    expect(first).toMatch(/^tabernetes-worker2?$/);
    await cluster.client.create<Pod>(Pods, cpuPod('b', '1'));
    const second = await bound('b');
    expect(second).not.toBe(first);
    expect(second).toMatch(/^tabernetes-worker2?$/);

    await cluster.client.create<Pod>(Pods, cpuPod('c', '3500m'));
    const msg =
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    const failed = await waitFor(async () => (await podEvents(cluster, 'c')).find((e) => e.reason === 'FailedScheduling'), 'FailedScheduling for c');
    expect(failed.type).toBe('Warning');
    expect(failed.message).toBe(msg);
    const pending = await waitFor(async () => {
      const p = await getPod(cluster, 'c');
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False') && p;
    }, 'PodScheduled=False');
    expect(pending.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ reason: 'Unschedulable', message: msg });
    expect(pending.spec?.nodeName).toBeUndefined();

    // Freeing the first worker moves the parked pod back; it binds there once its backoff has passed.
    await cluster.client.delete(Pods, 'a', 'default', { gracePeriodSeconds: 0 });
    await waitFor(async () => {
      await clock.advance(1000);
      return (await getPod(cluster, 'c')).spec?.nodeName === first;
    }, 'c bound to the freed worker');
  }, 60_000);
});
