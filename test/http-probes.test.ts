import { beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { Pods } from '../src/api';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { getPod, waitFor } from './cluster-helpers';
import { afterEach } from 'vitest';
import type { LocalCluster } from '../src/cluster';
import type { FakeClock } from '../src/api';
import { startThreadedTestCluster } from '../src/node/threaded-test-cluster';

// httpGet and tcpSocket probes in a whole cluster: the kubelet dials the pod IP over the pod network.
beforeAll(() => ensureImagesBuilt(), 300_000);

let running: { cluster: LocalCluster; clock: FakeClock } | undefined;
afterEach(async () => {
  await running?.cluster.stop();
  running = undefined;
});

function echoPod(name: string, probe: NonNullable<NonNullable<Pod['spec']>['containers'][number]['readinessProbe']>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [
        {
          name: 'echo',
          image: 'hashicorp/http-echo',
          args: ['-text=ok'],
          readinessProbe: { periodSeconds: 1, ...probe },
        },
      ],
    },
  };
}

const ready = (p: Pod) => p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';

describe('network probes', () => {
  it("httpGet and tcpSocket readiness succeed against http-echo; a closed port fails with the kubelet's words", async () => {
    running = await startThreadedTestCluster(`httpprobe-${process.pid}`, 93);
    const { cluster: c, clock } = running;
    // The cluster runs on a fake clock: tick it so the probe workers' periods come round.
    const ticker = setInterval(() => void clock.advance(250), 50);
    try {
      await c.client.create(Pods, echoPod('http-ok', { httpGet: { path: '/health', port: 5678 } }));
      await c.client.create(Pods, echoPod('tcp-ok', { tcpSocket: { port: 5678 } }));
      await c.client.create(Pods, echoPod('http-bad', { httpGet: { path: '/', port: 9999 } }));
      await waitFor(async () => ready(await getPod(c, 'http-ok')) && ready(await getPod(c, 'tcp-ok')), 'both good probes Ready', 60_000);
      const bad = await getPod(c, 'http-bad');
      expect(ready(bad)).toBe(false);
      const ip = bad.status?.podIP;
      const msg = await waitFor(
        async () => {
          const evs = (
            await c.client.list<{
              reason?: string;
              message?: string;
              involvedObject?: { name?: string };
            }>(
              {
                group: '',
                version: 'v1',
                resource: 'events',
                kind: 'Event',
                namespaced: true,
              },
              'default',
            )
          ).items;
          return evs.find((e) => e.involvedObject?.name === 'http-bad' && e.reason === 'Unhealthy')?.message;
        },
        'an Unhealthy event',
        60_000,
      );
      expect(msg).toBe(`Readiness probe failed: Get "http://${ip}:9999/": dial tcp ${ip}:9999: connect: connection refused`);
    } finally {
      clearInterval(ticker);
    }
  }, 120_000);
});
