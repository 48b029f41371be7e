import { describe, expect, it } from 'vitest';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../../api';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { startScheduler } from './scheduler';

const node = (name: string, cpu = '1') => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: {},
  status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu, memory: '8Gi', pods: '110' } },
});

function pod(name: string, cpu: string, extra: Record<string, unknown> = {}, nodeName?: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }], nodeName, ...extra },
    status: { phase: nodeName ? 'Running' : 'Pending' },
  };
}

async function setup(nodes = [node('n1')]) {
  const api = new FakeApiHandler();
  const clock = new FakeClock();
  for (const n of nodes) api.put('nodes', n);
  api.put('scheduling.k8s.io/priorityclasses', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 } as never);
  const sched = startScheduler({ client: new ApiClient(api), clock, ids: seededIds() });
  await sched.ready;
  const get = (name: string) => api.get('pods', 'default', name) as unknown as Pod | undefined;
  const events = (name: string) => (api.list('events') as unknown as Event[]).filter((e) => e.involvedObject.name === name);
  return { api, clock, sched, get, events };
}

describe('preemption', () => {
  it('evicts the fewest lower-priority pods, nominates the node and then binds there', async () => {
    const { api, clock, sched, get, events } = await setup();
    api.put('pods', pod('big', '600m', { priority: 0 }, 'n1'));
    api.put('pods', pod('small', '300m', { priority: 0 }, 'n1'));
    const vip = api.put('pods', pod('vip', '500m', { priorityClassName: 'high' }));
    await clock.advance(10);
    expect(get('big')).toBeUndefined();
    expect(get('small')?.spec?.nodeName).toBe('n1');
    expect(events('big').find((e) => e.reason === 'Preempted')).toMatchObject({ type: 'Normal', message: `Preempted by pod ${vip.metadata.uid} on node n1`, action: 'Preempting' });
    expect(events('vip').find((e) => e.reason === 'FailedScheduling')?.message).toBe('0/1 nodes are available: 1 Insufficient cpu.');
    // the victim's deletion moves vip back; it lands on its nominated node after backoff
    await clock.advance(1000);
    expect(get('vip')?.status?.nominatedNodeName).toBe('n1');
    expect(get('vip')?.spec?.nodeName).toBe('n1');
    expect(sched.explain('default', 'vip')).toMatchObject({ outcome: 'Scheduled', node: 'n1' });
    sched.dispose();
  });

  it('explains why preemption cannot help', async () => {
    const { api, clock, sched, events } = await setup([node('n1'), node('n2', '4')]);
    api.put('nodes', { ...node('cp', '4'), spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } });
    api.put('pods', pod('peer', '900m', { priority: 1000 }, 'n1'));
    api.put('pods', pod('few', '500m', { priority: 0 }));
    api.put('pods', pod('huge', '8', { priority: 0 }));
    api.put('pods', pod('polite', '8', { priority: 2000, preemptionPolicy: 'Never' }));
    await clock.advance(10);
    expect(events('huge').find((e) => e.reason === 'FailedScheduling')?.message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
    expect(events('polite').find((e) => e.reason === 'FailedScheduling')?.message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
    const ex = sched.explain('default', 'huge')!;
    expect(ex.outcome).toBe('Unschedulable');
    expect(ex.diagnosis.nodes.find((d) => d.node === 'n1')?.filters.at(-1)).toEqual({ plugin: 'NodeResourcesFit', passed: false, reasons: ['Insufficient cpu'], code: 'Unschedulable' });
    sched.dispose();
  });
});

describe('scheduler pause (bench hook)', () => {
  it('holds pods in the queue while paused and schedules them in priority order on resume', async () => {
    const { api, clock, sched, get } = await setup([node('n1', '4')]);
    sched.pause();
    await clock.advance(10);
    api.put('pods', pod('later', '100m', { priority: 0 }));
    api.put('pods', pod('first', '100m', { priority: 5 }));
    await clock.advance(10);
    expect(get('later')?.spec?.nodeName).toBeUndefined();
    expect(sched.bound).toBe(0);
    sched.resume();
    await clock.advance(10);
    expect(get('first')?.spec?.nodeName).toBe('n1');
    expect(get('later')?.spec?.nodeName).toBe('n1');
    expect(sched.bound).toBe(2);
    const order = api.requests.filter((r) => r.path.endsWith('/binding')).map((r) => r.path.split('/')[6]);
    expect(order).toEqual(['first', 'later']);
    sched.dispose();
  });
});
