import { afterEach, describe, expect, it } from 'vitest';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { Events, Pods, ReplicaSets } from '../src/api';
import { bootCluster, waitFor, type TestCluster } from './cluster-helpers';

const running: TestCluster[] = [];
afterEach(async () => {
  for (const c of running.splice(0)) await c.cluster.stop();
});

describe('event correlation on the whole cluster', () => {
  it('a ReplicaSet creating 50 pods writes 9 events and one "(combined from similar events)" event, 25 occurrences in all', async () => {
    const tc = await bootCluster();
    running.push(tc);
    const { client } = tc.cluster;
    // No node matches: the pods stay Pending, so only the ReplicaSet controller's events are at stake.
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'many', namespace: 'default' },
      spec: {
        replicas: 50,
        selector: { matchLabels: { app: 'many' } },
        template: { metadata: { labels: { app: 'many' } }, spec: { nodeSelector: { nowhere: 'true' }, containers: [{ name: 'c', image: 'docker.io/tabernetes/ticker' }] } },
      },
    };
    await client.create(ReplicaSets, rs, 'default');
    await waitFor(async () => (await client.list<Pod>(Pods, 'default', { labelSelector: 'app=many' })).items.length === 50, '50 pods', 60_000);
    const rsEvents = () => client.list<Event>(Events, 'default').then((l) => l.items.filter((e) => e.involvedObject.kind === 'ReplicaSet' && e.involvedObject.name === 'many'));
    const evs = await waitFor(async () => {
      const list = await rsEvents();
      return list.reduce((n, e) => n + (e.count ?? 0), 0) >= 25 && list;
    }, 'the ReplicaSet events', 30_000);
    expect(evs.every((e) => e.reason === 'SuccessfulCreate' && e.source?.component === 'replicaset-controller')).toBe(true);
    const combined = evs.filter((e) => e.message!.startsWith('(combined from similar events): Created pod: many-'));
    expect(combined).toHaveLength(1);
    expect(combined[0].count).toBe(16);
    expect(evs.filter((e) => e.message!.startsWith('Created pod: many-') && e.count === 1)).toHaveLength(9);
    expect(evs).toHaveLength(10);
  }, 120_000);
});
