import { describe, expect, it } from 'vitest';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import { FakeClock, rfc3339, seededIds } from '../../../api';
import { ApiClient } from '../../../client/api-client';
import { FakeApiHandler } from '../../../client/testing/fake-api-handler';
import { startControllerManager } from '../controller-manager';

function readyNode(name: string, heartbeat: number, extraTaints: object[] = []) {
  const t = rfc3339(heartbeat);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: extraTaints.length ? { taints: extraTaints } : {},
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: t, lastTransitionTime: t },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: t, lastTransitionTime: t },
      ],
    },
  };
}

async function setup() {
  const api = new FakeApiHandler();
  const clock = new FakeClock();
  const cm = startControllerManager({ client: new ApiClient(api), clock, ids: seededIds() });
  return { api, clock, cm, node: (n: string) => api.get('nodes', undefined, n) as unknown as Node };
}

const ready = (n: Node) => n.status?.conditions?.find((c) => c.type === 'Ready');

describe('node-lifecycle-controller', () => {
  it('TaintNodesByCondition: MemoryPressure True and cordon give their NoSchedule taints, removed when they clear', async () => {
    const { api, clock, cm, node } = await setup();
    const pressured = readyNode('worker', clock.now());
    pressured.status.conditions[0] = { ...pressured.status.conditions[0], status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' };
    api.put('nodes', { ...pressured, spec: { unschedulable: true } });
    await cm.ready;
    await clock.advance(10);
    expect((node('worker').spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']);
    api.put('nodes', { ...readyNode('worker', clock.now()), spec: node('worker').spec, metadata: { name: 'worker', resourceVersion: node('worker').metadata?.resourceVersion } });
    await clock.advance(10);
    expect((node('worker').spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unschedulable:NoSchedule']);
    api.put('nodes', { ...node('worker'), spec: {} } as unknown as Parameters<typeof api.put>[1]);
    await clock.advance(10);
    expect(node('worker').spec?.taints).toBeUndefined();
    cm.dispose();
  });

  it('marks a silent node Unknown after 40s, taints it unreachable, and untaints it when it comes back', async () => {
    const { api, clock, cm, node } = await setup();
    const start = clock.now();
    api.put('nodes', readyNode('worker', start, [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]));
    api.put('nodes', readyNode('healthy', start));
    api.put('pods', { metadata: { name: 'web', namespace: 'default' }, spec: { nodeName: 'worker', containers: [], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });
    await cm.ready;
    // "healthy" keeps heartbeating every 10s; "worker" goes silent.
    const beat = clock.every(10_000, () => api.put('nodes', readyNode('healthy', clock.now())));

    await clock.advance(40_000);
    expect(ready(node('worker'))?.status).toBe('True');
    await clock.advance(2_000);
    const r = ready(node('worker'))!;
    expect(r).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: rfc3339(start) });
    expect(r.lastTransitionTime).not.toBe(rfc3339(start));
    expect(node('worker').status?.conditions?.find((c) => c.type === 'MemoryPressure')?.status).toBe('Unknown');
    expect(node('worker').status?.conditions?.find((c) => c.type === 'DiskPressure')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
    const taints = node('worker').spec?.taints ?? [];
    expect(taints.map((t) => `${t.key}:${t.effect}`)).toEqual(['dedicated:NoSchedule', 'node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect(taints.find((t) => t.effect === 'NoExecute')?.timeAdded).toBeDefined();
    expect(ready(node('healthy'))?.status).toBe('True');
    expect(node('healthy').spec?.taints).toBeUndefined();

    const pod = api.get('pods', 'default', 'web') as unknown as Pod;
    expect(pod.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    const events = api.list('events') as unknown as Event[];
    expect(events.find((e) => e.reason === 'NodeNotReady')).toMatchObject({ message: 'Node worker status is now: NodeNotReady', source: { component: 'node-controller' }, involvedObject: { kind: 'Node', name: 'worker', uid: 'worker' } });
    expect(events.find((e) => e.reason === 'RegisteredNode' && e.involvedObject.name === 'worker')?.message).toBe('Node worker event: Registered Node worker in Controller');

    // The kubelet comes back.
    const cur = node('worker');
    api.put('nodes', { ...readyNode('worker', clock.now()), spec: cur.spec } as never);
    await clock.advance(100);
    expect(node('worker').spec?.taints?.map((t) => t.key)).toEqual(['dedicated']);
    beat.dispose();
    cm.dispose();
  });

  it('marks a node that never posted status Unknown after the startup grace period', async () => {
    const { api, clock, cm, node } = await setup();
    api.put('nodes', { metadata: { name: 'fresh' }, spec: {} });
    await cm.ready;
    await clock.advance(59_000);
    expect(ready(node('fresh'))).toBeUndefined();
    await clock.advance(2_000);
    expect(ready(node('fresh'))).toMatchObject({ status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
    cm.dispose();
  });

  it('taints a NotReady node not-ready', async () => {
    const { api, clock, cm, node } = await setup();
    const n = readyNode('sick', clock.now());
    n.status.conditions[1] = { ...n.status.conditions[1], status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down' };
    api.put('nodes', n);
    await cm.ready;
    await clock.advance(10);
    expect(node('sick').spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/not-ready:NoSchedule', 'node.kubernetes.io/not-ready:NoExecute']);
    cm.dispose();
  });
});
