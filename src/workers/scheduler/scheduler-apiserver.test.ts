import { describe, expect, it } from 'vitest';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import { Events, FakeClock, Nodes, Pods, rfc3339, seededIds } from '../../api';
import { ApiClient } from '../../client/api-client';
import { createSharedInformer } from '../../client/informer';
import { createMemoryStore } from '../../storage';
import { createApiServer } from '../apiserver';
import { startControllerManager } from '../controller-manager';
import { startScheduler } from './scheduler';

/** The scheduler, the controller-manager and an informer against the real apiserver over an in-memory store. */
async function cluster() {
  const clock = new FakeClock();
  const ids = seededIds(7);
  const api = await createApiServer({ store: createMemoryStore({ clock }), clock, ids });
  const admin = new ApiClient(api);
  const node = (name: string, taints?: Node['spec'] extends infer S ? (S extends { taints?: infer T } ? T : never) : never): Node => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: taints ? { taints } : {},
    status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  });
  const heartbeat = async (name: string) => {
    const n = await admin.get<Node>(Nodes, name);
    const t = rfc3339(clock.now());
    const status = { ...n.status, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: t, lastTransitionTime: t }] };
    await admin.update(Nodes, { ...n, status }, 'status');
  };
  return { clock, ids, api, admin, node, heartbeat };
}

const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });

describe('against the real apiserver', () => {
  it('an informer lists, watches and relists', async () => {
    const { clock, admin } = await cluster();
    await admin.create(Pods, pod('a'));
    const inf = createSharedInformer<Pod>(admin, clock, Pods, { namespace: 'default' });
    const seen: string[] = [];
    inf.addEventHandler({ onAdd: (p) => seen.push(`add ${p.metadata?.name}`), onUpdate: (_o, p) => seen.push(`update ${p.metadata?.name}`), onDelete: (p) => seen.push(`delete ${p.metadata?.name}`) });
    inf.run();
    await inf.synced();
    await admin.create(Pods, pod('b'));
    await admin.patch(Pods, 'a', 'default', 'merge', { metadata: { labels: { x: 'y' } } });
    await admin.delete(Pods, 'b', 'default', { gracePeriodSeconds: 0 });
    await clock.advance(10);
    expect(seen).toEqual(['add a', 'add b', 'update a', 'delete b']);
    expect(inf.lister().list(undefined, 'x=y').map((p) => p.metadata?.name)).toEqual(['a']);
    inf.dispose();
  });

  it('schedules onto the least-loaded worker, never the control plane; a silent node goes Unknown and is tainted', async () => {
    const { clock, ids, api, admin, node, heartbeat } = await cluster();
    await admin.create(Nodes, node('tabernetes-control-plane', [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]));
    await admin.create(Nodes, node('tabernetes-worker'));
    await admin.create(Nodes, node('tabernetes-worker2'));
    for (const n of ['tabernetes-control-plane', 'tabernetes-worker', 'tabernetes-worker2']) await heartbeat(n);
    const cm = startControllerManager({ client: new ApiClient(api), clock, ids });
    const sched = startScheduler({ client: new ApiClient(api), clock, ids });
    await Promise.all([cm.ready, sched.ready]);

    for (let i = 0; i < 4; i++) await admin.create(Pods, pod(`web-${i}`));
    await clock.advance(100);
    const pods = (await admin.list<Pod>(Pods, 'default')).items;
    const placement = pods.map((p) => p.spec?.nodeName).sort();
    expect(placement).toEqual(['tabernetes-worker', 'tabernetes-worker', 'tabernetes-worker2', 'tabernetes-worker2']);
    expect(pods.every((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'True'))).toBe(true);
    const events = (await admin.list<Event>(Events, 'default')).items;
    const scheduled = events.filter((e) => e.reason === 'Scheduled');
    expect(scheduled).toHaveLength(4);
    expect(scheduled[0]).toMatchObject({ type: 'Normal', action: 'Binding', reportingComponent: 'default-scheduler' });
    expect(scheduled.map((e) => e.message)).toContain(`Successfully assigned default/web-0 to ${pods.find((p) => p.metadata?.name === 'web-0')?.spec?.nodeName}`);

    // Only the control plane and worker keep heartbeating.
    for (let t = 0; t < 5; t++) {
      await clock.advance(10_000);
      await heartbeat('tabernetes-control-plane');
      await heartbeat('tabernetes-worker');
    }
    const w2 = await admin.get<Node>(Nodes, 'tabernetes-worker2');
    expect(w2.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(w2.spec?.taints?.map((t) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    expect((await admin.get<Node>(Nodes, 'tabernetes-worker')).spec?.taints).toBeUndefined();

    // New pods now avoid the unreachable node.
    await admin.create(Pods, pod('late'));
    await clock.advance(100);
    expect((await admin.get<Pod>(Pods, 'late', 'default')).spec?.nodeName).toBe('tabernetes-worker');
    sched.dispose();
    cm.dispose();
    api.dispose();
  });

  it('records FailedScheduling and the PodScheduled=False condition through the real status endpoint', async () => {
    const { clock, ids, api, admin, node, heartbeat } = await cluster();
    await admin.create(Nodes, node('tabernetes-control-plane', [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]));
    await heartbeat('tabernetes-control-plane');
    const sched = startScheduler({ client: new ApiClient(api), clock, ids });
    await sched.ready;
    await admin.create(Pods, pod('web'));
    await clock.advance(100);
    const msg = '0/1 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.';
    const p = await admin.get<Pod>(Pods, 'web', 'default');
    expect(p.status?.conditions?.find((c) => c.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message: msg });
    const ev = (await admin.list<Event>(Events, 'default')).items.find((e) => e.reason === 'FailedScheduling');
    expect(ev).toMatchObject({ type: 'Warning', message: msg });
    sched.dispose();
    api.dispose();
  });
});
