import { beforeAll, describe, expect, it } from 'vitest';
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import 'fake-indexeddb/auto';
import { DaemonSets, Nodes, Pods } from '../src/api';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { threadedClusterPerTest } from './threaded-cluster-per-test';
import { waitFor } from './cluster-helpers';

beforeAll(() => ensureImagesBuilt(), 120_000);

const boot = threadedClusterPerTest('ds', 78);

const agent = (version: string): DaemonSet => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { terminationGracePeriodSeconds: 0, containers: [{ name: 'ticker', image: 'docker.io/tabernetes/ticker', args: ['1'], env: [{ name: 'VERSION', value: version }] }] } },
  },
});

describe('DaemonSet on the whole cluster', () => {
  it('runs one pod on each untainted node, placed by the scheduler, and rolls out a new template', async () => {
    const cluster = await boot();
    const c = cluster.client;
    const nodes = (await c.list<Node>(Nodes)).items;
    const eligible = nodes.filter((n) => !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')).map((n) => n.metadata!.name!).sort();
    expect(eligible.length).toBeGreaterThan(0);
    const pods = async () => (await c.list<Pod>(Pods, 'default', { labelSelector: 'app=agent' })).items.filter((p) => !p.metadata?.deletionTimestamp);
    const ds = () => c.get<DaemonSet>(DaemonSets, 'agent', 'default');
    await c.create(DaemonSets, agent('1'));
    await waitFor(async () => (await ds()).status?.numberAvailable === eligible.length, 'daemonset available everywhere', 60_000);
    const first = await pods();
    expect(first.map((p) => p.spec?.nodeName).sort()).toEqual(eligible);
    expect((await ds()).status).toMatchObject({ desiredNumberScheduled: eligible.length, currentNumberScheduled: eligible.length, numberMisscheduled: 0, numberReady: eligible.length, updatedNumberScheduled: eligible.length });

    const d = await ds();
    await c.update(DaemonSets, { ...d, spec: { ...d.spec!, template: agent('2').spec!.template } });
    await waitFor(async () => {
      const s = (await ds()).status;
      const ps = await pods();
      return s?.updatedNumberScheduled === eligible.length && s.numberAvailable === eligible.length && ps.length === eligible.length && ps.every((p) => p.spec?.containers[0].env?.[0].value === '2');
    }, 'rollout complete', 60_000);
    expect((await pods()).map((p) => p.spec?.nodeName).sort()).toEqual(eligible);
  }, 150_000);
});
