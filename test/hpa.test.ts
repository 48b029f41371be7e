import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import 'fake-indexeddb/auto';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { Deployments, Events, HorizontalPodAutoscalers, Pods, type FakeClock } from '../src/api';
import type { LocalCluster } from '../src/cluster';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { startThreadedTestCluster } from '../src/node/threaded-test-cluster';
import { waitFor } from './cluster-helpers';
import { captureKubectl } from '../src/kubectl/testing/capture-kubectl';

// The autoscaling pipeline on the whole cluster: a stress container's measured CPU (worker_threads) → kubelet
// stats summary → metrics.k8s.io → HPA controller → the Deployment's scale. The FakeClock is moved by the test
// (5 s of cluster time per ~250 ms of real time), so a container busy in real time shows as about 50m here.
beforeAll(() => ensureImagesBuilt(), 180_000);

let cluster: LocalCluster | undefined;
afterAll(async () => cluster?.stop());

const load: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'load', namespace: 'default' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'load' } },
    template: {
      metadata: { labels: { app: 'load' } },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'stress', image: 'polinux/stress', command: ['stress'], args: ['--cpu', '1'], resources: { requests: { cpu: '10m' } } }],
      },
    },
  },
};

async function kubectl(c: LocalCluster, clock: FakeClock, line: string) {
  return captureKubectl(line, { client: c.client, clock });
}

describe('HorizontalPodAutoscaler on the whole cluster', () => {
  it('scales a Deployment up from a stress pod’s measured CPU (kubectl top shows it) and back down when the load stops', async () => {
    const booted = await startThreadedTestCluster(`hpa-${process.pid}`, 91);
    cluster = booted.cluster;
    const { clock } = booted;
    const c = cluster.client;
    await c.create(Deployments, load);
    const running = () => c.list<Pod>(Pods, 'default', { labelSelector: 'app=load' }).then((l) => l.items.filter((p) => p.status?.phase === 'Running'));
    await waitFor(async () => (await running()).length === 1, 'the stress pod Running', 60_000);

    // Cluster time moves in 5 s steps while the container burns real CPU: kubelet housekeeping (10 s) gives a window.
    const tick = async () => {
      await clock.advance(5_000);
      await new Promise((r) => setTimeout(r, 250));
    };
    for (let i = 0; i < 4; i++) await tick();
    const top = await kubectl(cluster, clock, 'top pod');
    expect(top.stderr).toBe('');
    expect(top.stdout).toMatch(/^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)\s+\nload-[a-z0-9]+-[a-z0-9]+\s+\d+m\s+\d+Mi\s+\n$/);
    const nodes = await kubectl(cluster, clock, 'top node');
    expect(nodes.stdout.split('\n')[0]).toMatch(/^NAME\s+CPU\(cores\)\s+CPU\(%\)\s+MEMORY\(bytes\)\s+MEMORY\(%\)/);

    await c.create(HorizontalPodAutoscalers, {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'load', namespace: 'default' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'load' }, minReplicas: 1, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
    });
    const hpa = () => c.get<HorizontalPodAutoscaler>(HorizontalPodAutoscalers, 'load', 'default');
    await waitFor(async () => {
      await tick();
      return ((await c.get<Deployment>(Deployments, 'load', 'default')).spec?.replicas ?? 1) > 1;
    }, 'the HPA to scale the Deployment up', 60_000).catch(async (err) => {
      const evs = (await c.list<Event>(Events, 'default')).items.filter((e) => e.involvedObject.kind === 'HorizontalPodAutoscaler').map((e) => `${e.reason} ${e.message}`);
      throw new Error(`${(err as Error).message}: ${JSON.stringify((await hpa()).status)} ${JSON.stringify(evs)}`);
    });
    // The controller writes the scale, then records its event and writes the HPA's status: wait for both.
    const hpaEvents = async () => (await c.list<Event>(Events, 'default')).items.filter((e) => e.involvedObject.kind === 'HorizontalPodAutoscaler').map((e) => `${e.reason} ${e.message}`);
    const eventually = async (line: string) =>
      waitFor(async () => (await hpaEvents()).includes(line), `the event "${line}"`, 30_000).catch(async (err) => {
        throw new Error(`${(err as Error).message}: ${JSON.stringify(await hpaEvents())}`);
      });
    await eventually('SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target');
    const st = await waitFor(async () => {
      const s = (await hpa()).status;
      return s?.desiredReplicas !== undefined && s.desiredReplicas > 1 && s;
    }, 'the HPA status after the rescale', 30_000);
    expect(st.desiredReplicas).toBe(4);
    expect(st.currentMetrics?.[0].resource?.current.averageUtilization).toBeGreaterThan(50);
    expect(st.conditions?.find((x) => x.type === 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
    await waitFor(async () => (await running()).length === 4, '4 stress pods Running', 60_000);
    // The next sync (15 s of cluster time later) reports the new scale in status.currentReplicas.
    await waitFor(async () => {
      await tick();
      return (await hpa()).status?.currentReplicas === 4;
    }, 'status.currentReplicas 4', 30_000);
    const described = await kubectl(cluster, clock, 'get hpa load');
    expect(described.stdout).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\nload\s+Deployment\/load\s+cpu: \d+%\/50%\s+1\s+4\s+4\s+/);

    // What the pipeline costs: one kubelet summary, and one metrics.k8s.io list (scraping all 3 kubelets).
    const busyNode = (await running())[0].spec?.nodeName;
    const node = cluster.nodes.find((n) => n.name === busyNode)!;
    let t0 = performance.now();
    for (let i = 0; i < 200; i++) await node.kubelet.api.statsSummary!();
    const summaryMs = (performance.now() - t0) / 200;
    t0 = performance.now();
    for (let i = 0; i < 50; i++) await c.call({ method: 'GET', path: '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods' });
    const listMs = (performance.now() - t0) / 50;
    console.info(`measured: kubelet statsSummary ${summaryMs.toFixed(3)} ms (${(await node.kubelet.api.statsSummary!()).pods.length} pods), PodMetrics list over 3 nodes ${listMs.toFixed(2)} ms`);

    // Load off (a rollout to idle stress pods): after the 5-minute downscale stabilization window it scales to 1.
    await c.patch(Deployments, 'load', 'default', 'strategic', { spec: { template: { spec: { containers: [{ name: 'stress', args: ['--cpu', '0'] }] } } } });
    await waitFor(async () => {
      await clock.advance(30_000);
      await new Promise((r) => setTimeout(r, 100));
      return (await c.get<Deployment>(Deployments, 'load', 'default')).spec?.replicas === 1;
    }, 'the HPA to scale back down to 1', 90_000);
    // The HPA scaled it (its status says so, written after the scale; no sync runs while the clock stands). Its
    // SuccessfulRescale event is not asserted here: on a slow host the rollout's FailedGetResourceMetric warnings
    // can spend the recorder's spam-filter budget for the HPA (25 events per object, as client-go's), so the
    // event may be dropped, as in Kubernetes (the reason text is covered by hpa-controller.test.ts).
    const down = await waitFor(async () => {
      const s = (await hpa()).status;
      return s?.desiredReplicas === 1 && s;
    }, 'the HPA status after scaling down', 30_000);
    expect(down.conditions?.find((x) => x.type === 'AbleToScale')).toMatchObject({ status: 'True', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 1' });
    expect(Date.parse(down.lastScaleTime!)).toBeGreaterThan(Date.parse(st.lastScaleTime!));
  }, 180_000);
});
