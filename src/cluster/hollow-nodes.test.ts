import type { Node, Pod } from 'kubernetes-types/core/v1';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../api';
import { Nodes, Pods } from '../api/resources';
import { ApiError } from '../api/status';
import { ApiClient } from '../client/api-client';
import { createMemoryStore } from '../storage';
import { createApiServer } from '../workers/apiserver';
import { hollowNodeAddressing, startHollowNodes, type HollowNodes } from './hollow-nodes';

async function waitFor<T>(cond: () => Promise<T | undefined | false>, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const disposers: HollowNodes[] = [];
afterEach(() => disposers.splice(0).forEach((d) => d.dispose()));

async function setup(nodes = ['kwok-0', 'kwok-1']) {
  const clock = new FakeClock();
  const ids = seededIds(3);
  const api = await createApiServer({ store: createMemoryStore(), clock, ids });
  const client = new ApiClient(api, 'test');
  const hollow = startHollowNodes({ client, clock, ids, nodes, labels: { pool: 'kwok' }, taints: [{ key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' }] });
  disposers.push(hollow);
  await hollow.ready;
  return { clock, client, hollow };
}

const bound = (name: string, nodeName: string, extra: Partial<Pod['spec']> = {}): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName, containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }], ...extra },
});

describe('startHollowNodes', () => {
  it('registers every node Ready with capacity, labels, taints, podCIDR and an InternalIP', async () => {
    const { client } = await setup();
    const node = await client.get<Node>(Nodes, 'kwok-1');
    expect(node.metadata?.labels).toMatchObject({ pool: 'kwok', type: 'kwok', 'kubernetes.io/hostname': 'kwok-1' });
    expect(node.spec?.taints).toEqual([{ key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' }]);
    expect(node.spec?.podCIDR).toBe(hollowNodeAddressing(1).podCIDR);
    expect(node.status?.allocatable).toEqual({ cpu: '32', memory: '256Gi', pods: '110' });
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', reason: 'KubeletReady' });
    expect(node.status?.addresses).toContainEqual({ type: 'InternalIP', address: hollowNodeAddressing(1).internalIP });
  });

  it('re-posts the Ready heartbeat every 10 s of cluster time, keeping lastTransitionTime', async () => {
    const { client, clock } = await setup(['kwok-0']);
    const before = (await client.get<Node>(Nodes, 'kwok-0')).status!.conditions!.find((c) => c.type === 'Ready')!;
    await clock.advance(10_000);
    const after = await waitFor(async () => {
      const c = (await client.get<Node>(Nodes, 'kwok-0')).status!.conditions!.find((x) => x.type === 'Ready')!;
      return c.lastHeartbeatTime !== before.lastHeartbeatTime && c;
    }, 'a new heartbeat');
    expect(Date.parse(after.lastHeartbeatTime!) - Date.parse(before.lastHeartbeatTime!)).toBe(10_000);
    expect(after.lastTransitionTime).toBe(before.lastTransitionTime);
  });

  it('reports a pod bound to a hollow node Running and Ready, as a kubelet would, and leaves other pods alone', async () => {
    const { client } = await setup();
    await client.create(Pods, bound('a', 'kwok-1', { initContainers: [{ name: 'init', image: 'busybox' }] }), 'default');
    await client.create(Pods, bound('elsewhere', 'real-node'), 'default');
    const p = await waitFor(async () => {
      const x = await client.get<Pod>(Pods, 'a', 'default');
      return x.status?.phase === 'Running' && x;
    }, 'pod a Running');
    const s = p.status!;
    expect(s.hostIP).toBe(hollowNodeAddressing(1).internalIP);
    expect(s.hostIPs).toEqual([{ ip: s.hostIP }]);
    expect(s.podIP).toBe(`${hollowNodeAddressing(1).podPrefix}2`);
    expect(s.podIPs).toEqual([{ ip: s.podIP }]);
    expect(s.startTime).toBeTruthy();
    expect(Object.fromEntries(s.conditions!.map((c) => [c.type, c.status]))).toEqual({ PodReadyToStartContainers: 'True', Initialized: 'True', ContainersReady: 'True', PodScheduled: 'True', Ready: 'True' });
    expect(s.containerStatuses).toEqual([expect.objectContaining({ name: 'app', ready: true, started: true, restartCount: 0, state: { running: { startedAt: s.startTime } } })]);
    expect(s.initContainerStatuses?.[0].state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    await client.create(Pods, bound('b', 'kwok-1'), 'default');
    const b = await waitFor(async () => (await client.get<Pod>(Pods, 'b', 'default')).status?.podIP, 'pod b has an IP');
    expect(b).not.toBe(s.podIP);
    expect((await client.get<Pod>(Pods, 'elsewhere', 'default')).status?.phase).toBe('Pending');
  });

  it('deletes a terminating pod with grace 0, as the kubelet does once its containers stopped', async () => {
    const { client, hollow } = await setup();
    await client.create(Pods, bound('gone', 'kwok-0'), 'default');
    await waitFor(async () => (await client.get<Pod>(Pods, 'gone', 'default')).status?.phase === 'Running', 'Running');
    const terminating = await client.delete<Pod>(Pods, 'gone', 'default');
    expect(terminating.metadata?.deletionTimestamp).toBeTruthy();
    await waitFor(async () => {
      try {
        await client.get<Pod>(Pods, 'gone', 'default');
        return false;
      } catch (err) {
        return err instanceof ApiError && err.code === 404;
      }
    }, 'the pod to be deleted');
    expect(hollow.stats()).toMatchObject({ started: 1, deleted: 1 });
  });
});
