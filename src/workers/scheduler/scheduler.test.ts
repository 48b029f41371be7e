import { describe, expect, it } from 'vitest';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../../api';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { startScheduler } from './scheduler';

function node(name: string, extra: { taints?: Node['spec'] extends infer S ? S extends { taints?: infer T } ? T : never : never; unschedulable?: boolean; ready?: string; labels?: Record<string, string> } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: extra.labels ?? { 'kubernetes.io/hostname': name } },
    spec: { taints: extra.taints, unschedulable: extra.unschedulable },
    status: { conditions: [{ type: 'Ready', status: extra.ready ?? 'True' }], allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
  };
}

const controlPlane = () => node('tabernetes-control-plane', { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] });

function pod(name: string, spec: Record<string, unknown> = {}, ns = 'default') {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec }, status: { phase: 'Pending' } };
}

async function setup(nodes: ReturnType<typeof node>[]) {
  const api = new FakeApiHandler();
  const clock = new FakeClock();
  for (const n of nodes) api.put('nodes', n);
  const sched = startScheduler({ client: new ApiClient(api), clock, ids: seededIds() });
  await sched.ready;
  const nodeOf = (name: string, ns = 'default') => (api.get('pods', ns, name) as unknown as Pod | undefined)?.spec?.nodeName;
  const events = () => api.list('events') as unknown as Event[];
  return { api, clock, sched, nodeOf, events };
}

describe('startScheduler', () => {
  it('binds to the least-loaded eligible node, never the tainted control plane, and records Scheduled', async () => {
    const { api, clock, sched, nodeOf, events } = await setup([controlPlane(), node('tabernetes-worker'), node('tabernetes-worker2')]);
    api.put('pods', { ...pod('busy'), spec: { ...pod('busy').spec, nodeName: 'tabernetes-worker' } });
    api.put('pods', pod('web'));
    await clock.advance(10);
    expect(nodeOf('web')).toBe('tabernetes-worker2');
    api.put('pods', pod('web2'));
    await clock.advance(10);
    // worker and worker2 now hold one pod each: the tie is broken by reservoir sampling (seeded IdSource).
    expect(['tabernetes-worker', 'tabernetes-worker2']).toContain(nodeOf('web2'));
    for (let i = 0; i < 6; i++) api.put('pods', pod(`p${i}`));
    await clock.advance(10);
    const placed = Array.from({ length: 6 }, (_, i) => nodeOf(`p${i}`));
    // LeastAllocated over the default 100m/200Mi requests keeps the two workers within one pod of each other.
    const all = [...placed, nodeOf('busy'), nodeOf('web'), nodeOf('web2')];
    expect(Math.abs(all.filter((n) => n === 'tabernetes-worker').length - all.filter((n) => n === 'tabernetes-worker2').length)).toBeLessThanOrEqual(1);
    expect(placed).not.toContain('tabernetes-control-plane');

    const ev = events().find((e) => e.involvedObject.name === 'web' && e.reason === 'Scheduled')!;
    // kube-scheduler writes events.k8s.io/v1 events: no source, timestamps or count in the core/v1 view.
    expect(ev.source).toBeUndefined();
    expect(ev.count).toBeUndefined();
    expect(ev.firstTimestamp).toBeUndefined();
    expect(ev).toMatchObject({
      type: 'Normal',
      message: 'Successfully assigned default/web to tabernetes-worker2',
      action: 'Binding',
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler-tabernetes',
      eventTime: '2026-01-01T00:00:00.000000Z',
      involvedObject: { kind: 'Pod', apiVersion: 'v1', namespace: 'default', name: 'web' },
    });
    const binding = api.requests.find((r) => r.path === '/api/v1/namespaces/default/pods/web/binding')!;
    expect(binding.method).toBe('POST');
    expect(binding.body).toEqual({ apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web', namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node', name: 'tabernetes-worker2' } });
    sched.dispose();
  });

  it('honours nodeSelector, nodeName, tolerations and skips other schedulers and not-ready nodes', async () => {
    const { api, clock, sched, nodeOf } = await setup([
      controlPlane(),
      node('a', { labels: { disk: 'ssd' } }),
      node('b', { ready: 'False' }),
      node('c'),
    ]);
    api.put('pods', pod('ssd', { nodeSelector: { disk: 'ssd' } }));
    api.put('pods', pod('tolerant', { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }], nodeSelector: { 'kubernetes.io/hostname': 'tabernetes-control-plane' } }));
    api.put('pods', pod('other', { schedulerName: 'my-scheduler' }));
    await clock.advance(10);
    expect(nodeOf('ssd')).toBe('a');
    expect(nodeOf('tolerant')).toBe('tabernetes-control-plane');
    expect(nodeOf('other')).toBeUndefined();
    for (let i = 0; i < 4; i++) api.put('pods', pod(`q${i}`));
    await clock.advance(10);
    expect(Array.from({ length: 4 }, (_, i) => nodeOf(`q${i}`))).not.toContain('b');
    sched.dispose();
  });

  it('reports FailedScheduling with kube-scheduler\'s message and retries when nodes change', async () => {
    const { api, clock, sched, nodeOf, events } = await setup([
      controlPlane(),
      node('tabernetes-worker', { unschedulable: true }),
      node('tabernetes-worker2', { unschedulable: true }),
    ]);
    api.put('pods', pod('web'));
    await clock.advance(10);
    expect(nodeOf('web')).toBeUndefined();
    const msg = '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    const failed = events().find((e) => e.reason === 'FailedScheduling')!;
    expect(failed).toMatchObject({ type: 'Warning', message: msg, action: 'Scheduling', involvedObject: { name: 'web', kind: 'Pod' } });
    const cond = (api.get('pods', 'default', 'web') as unknown as Pod).status?.conditions?.find((c) => c.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable', message: msg, lastTransitionTime: '2026-01-01T00:00:00Z' });

    // Parked: nothing happens on its own within the 5-minute window.
    const bindsBefore = api.requests.filter((r) => r.path.endsWith('/status')).length;
    await clock.advance(60_000);
    expect(api.requests.filter((r) => r.path.endsWith('/status')).length).toBe(bindsBefore);

    // Uncordoning a node moves it back to active.
    const w = api.get('nodes', undefined, 'tabernetes-worker2')!;
    api.put('nodes', { ...w, spec: { ...(w.spec as object), unschedulable: false } });
    await clock.advance(10);
    expect(nodeOf('web')).toBe('tabernetes-worker2');
    expect(events().some((e) => e.reason === 'Scheduled' && e.message === 'Successfully assigned default/web to tabernetes-worker2')).toBe(true);
    sched.dispose();
  });

  it('says "no nodes available to schedule pods" when there are none, then schedules when one registers', async () => {
    const { api, clock, sched, nodeOf, events } = await setup([]);
    api.put('pods', pod('web', {}, 'demo'));
    await clock.advance(10);
    expect(events()[0]).toMatchObject({ reason: 'FailedScheduling', message: 'no nodes available to schedule pods' });
    api.put('nodes', node('n1'));
    await clock.advance(1000);
    expect(nodeOf('web', 'demo')).toBe('n1');
    sched.dispose();
  });

  it('leaves gated pods alone until their schedulingGates are removed', async () => {
    const { api, clock, sched, nodeOf } = await setup([node('n1')]);
    api.put('pods', pod('gated', { schedulingGates: [{ name: 'example.com/wait' }] }));
    await clock.advance(60_000);
    expect(nodeOf('gated')).toBeUndefined();
    expect(api.requests.some((r) => r.path.includes('/gated/'))).toBe(false);
    api.put('pods', pod('gated'));
    await clock.advance(10);
    expect(nodeOf('gated')).toBe('n1');
    sched.dispose();
  });
});
