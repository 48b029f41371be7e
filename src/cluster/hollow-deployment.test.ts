// Whole control plane (apiserver on a memory store, controller-manager, scheduler, kube-proxy) with hollow nodes
// instead of kubelets: a Deployment becomes fully Ready, and scaling it to 0 removes every pod. Real time
// (systemClock), as in the tab. hollow-bench.test.ts is the timed, profiled version (HOLLOW_BENCH=1000@10).
import type { Deployment } from 'kubernetes-types/apps/v1';
import { describe, expect, it } from 'vitest';
import { appDeployment, appPods, waitFor } from '../../test/cluster-helpers';
import { Deployments } from '../api/resources';
import { createFsImageSource } from '../node/fs-image-source';
import { cryptoIds } from '../platform/crypto-ids';
import { systemClock } from '../platform/system-clock';
import { createMemoryStore } from '../storage';
import { createInProcessLauncher } from '../workers/runtime';
import { startHollowNodes } from './hollow-nodes';
import { startLocalCluster } from './local-cluster';

const [replicas, nodeCount] = [40, 3];

describe('hollow nodes under the whole control plane', () => {
  it(`a Deployment of ${replicas} on ${nodeCount} hollow nodes becomes Ready, and scales to 0`, async () => {
    const clock = systemClock();
    const ids = cryptoIds();
    const cluster = await startLocalCluster({ store: createMemoryStore(), clock, ids, nodes: [], images: createFsImageSource(), launcher: createInProcessLauncher({ clock, ids }) });
    const names = Array.from({ length: nodeCount }, (_, i) => `kwok-${i}`);
    const hollow = startHollowNodes({ client: cluster.client, clock, ids, nodes: names, labels: { pool: 'kwok' }, taints: [{ key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' }] });
    try {
      await hollow.ready;
      await cluster.client.create<Deployment>(Deployments, appDeployment('web', replicas, {
        nodeSelector: { pool: 'kwok' },
        tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
        containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
      }), 'default');
      const ms = 60_000 + replicas * 100;
      await waitFor(async () => (await cluster.client.get<Deployment>(Deployments, 'web', 'default')).status?.readyReplicas === replicas, 'readyReplicas', ms);
      const pods = await appPods(cluster.client, 'web');
      expect(pods).toHaveLength(replicas);
      expect(new Set(pods.map((p) => p.spec?.nodeName))).toEqual(new Set(names));
      expect(new Set(pods.map((p) => p.status?.podIP)).size).toBe(replicas);
      await cluster.client.patch(Deployments, 'web', 'default', 'merge', { spec: { replicas: 0 } });
      await waitFor(async () => (await appPods(cluster.client, 'web')).length === 0, 'every pod deleted', ms);
      expect(hollow.stats().deleted).toBe(replicas);
    } finally {
      hollow.dispose();
      await cluster.stop();
    }
  }, 180_000);
});
