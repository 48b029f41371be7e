import { describe, expect, it } from 'vitest';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { HorizontalPodAutoscaler as HpaV1 } from 'kubernetes-types/autoscaling/v1';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { Deployments, Events, FakeClock, HorizontalPodAutoscalers, HorizontalPodAutoscalersV1, Pods, rfc3339, seededIds, type KubeletApi, type StatsSummary } from '../../../api';
import { ApiClient } from '../../../client/api-client';
import { createMemoryStore } from '../../../storage';
import { createApiServer } from '../../apiserver';
import { startControllerManager } from '../controller-manager';
import { hpaController } from './hpa-controller';

/** A real apiserver (serving metrics.k8s.io) whose one fake kubelet reports `usage` (millicores per pod), and the HPA controller alone. */
async function setup() {
  const clock = new FakeClock();
  const ids = seededIds(11);
  const usage = new Map<string, number>();
  let client!: ApiClient;
  const kubelet: KubeletApi = {
    containerLogs: async () => '',
    async statsSummary(): Promise<StatsSummary> {
      const time = rfc3339(clock.now());
      const pods = (await client.list<Pod>(Pods, 'default')).items
        .filter((p) => usage.has(p.metadata!.name!))
        .map((p) => {
          const cpu = { time, usageNanoCores: usage.get(p.metadata!.name!)! * 1e6, usageCoreNanoSeconds: 0, windowMs: 15_000 };
          const memory = { time, workingSetBytes: 10 << 20, usageBytes: 10 << 20 };
          return { podRef: { name: p.metadata!.name!, namespace: 'default', uid: p.metadata!.uid! }, containers: [{ name: 'c', cpu, memory }], cpu, memory };
        });
      return { node: { nodeName: 'n1', cpu: { time, usageCoreNanoSeconds: 0, usageNanoCores: 0 }, memory: { time, workingSetBytes: 0, usageBytes: 0 } }, pods };
    },
  };
  const api = await createApiServer({ store: createMemoryStore({ clock }), clock, ids, dialNode: () => kubelet });
  client = new ApiClient(api);
  const cm = startControllerManager({ client, clock, ids, controllers: [hpaController()] });
  await cm.ready;
  const settle = async (ms = 20) => {
    for (let i = 0; i < 10; i++) await clock.advance(ms / 10);
  };
  const labels = { app: 'web' };
  await client.create(Deployments, {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  for (const name of ['web-a', 'web-b']) {
    const p = await client.create<Pod>(Pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] } });
    const started = rfc3339(clock.now() - 600_000);
    await client.update(Pods, { ...p, status: { phase: 'Running', startTime: started, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: started }] } }, 'status');
  }
  const hpa = () => client.get<HorizontalPodAutoscaler>(HorizontalPodAutoscalers, 'web', 'default');
  const replicas = async () => (await client.get<Deployment>(Deployments, 'web', 'default')).spec?.replicas;
  const events = async () => (await client.list<Event>(Events, 'default')).items.filter((e) => e.involvedObject.kind === 'HorizontalPodAutoscaler').map((e) => `${e.type} ${e.reason} ${e.message}`);
  const createHpa = (metrics: object[], extra: object = {}) =>
    client.create(HorizontalPodAutoscalers, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics, ...extra } });
  return { clock, client, cm, usage, settle, hpa, replicas, events, createHpa };
}

const cpuUtil = (pct: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: pct } } });

describe('horizontal-pod-autoscaler controller', () => {
  it('scales a Deployment up through its scale subresource, limited to the scale-up rate, with status, conditions and an event', async () => {
    const t = await setup();
    t.usage.set('web-a', 150).set('web-b', 150);
    await t.createHpa([cpuUtil(50)]);
    await t.settle();
    expect(await t.replicas()).toBe(4);
    const st = (await t.hpa()).status!;
    expect(st).toMatchObject({ currentReplicas: 2, desiredReplicas: 4, lastScaleTime: rfc3339(t.clock.now() - 20) });
    expect(st.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 150, averageValue: '150m' } } }]);
    expect(st.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['AbleToScale', 'True', 'SucceededRescale', 'the HPA controller was able to update the target scale to 4'],
      ['ScalingActive', 'True', 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)'],
      ['ScalingLimited', 'True', 'ScaleUpLimit', 'the desired replica count is increasing faster than the maximum scale rate'],
    ]);
    expect(await t.events()).toEqual(['Normal SuccessfulRescale New size: 4; reason: cpu resource utilization (percentage of request) above target']);
    t.cm.dispose();
  });

  it('scales down only after the 5-minute stabilization window, on its 15 s sync period', async () => {
    const t = await setup();
    t.usage.set('web-a', 50).set('web-b', 50);
    await t.createHpa([cpuUtil(50)]);
    await t.settle();
    expect((await t.hpa()).status?.conditions?.find((c) => c.type === 'AbleToScale')?.reason).toBe('ReadyForNewScale');
    t.usage.set('web-a', 5).set('web-b', 5);
    await t.clock.advance(15_000);
    await t.settle();
    expect(await t.replicas()).toBe(2);
    expect((await t.hpa()).status?.conditions?.find((c) => c.type === 'AbleToScale')?.reason).toBe('ScaleDownStabilized');
    for (let i = 0; i < 20; i++) await t.clock.advance(15_000);
    await t.settle();
    expect(await t.replicas()).toBe(1);
    expect(await t.events()).toContain('Normal SuccessfulRescale New size: 1; reason: All metrics below target');
    t.cm.dispose();
  });

  it('reports missing metrics with kube’s events and ScalingActive=False', async () => {
    const t = await setup();
    await t.createHpa([cpuUtil(50)]);
    await t.settle();
    expect(await t.replicas()).toBe(2);
    const cond = (await t.hpa()).status?.conditions?.find((c) => c.type === 'ScalingActive');
    expect(cond).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API' });
    expect(await t.events()).toEqual([
      'Warning FailedGetResourceMetric failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
      'Warning FailedComputeMetricsReplicas invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    ]);
    t.cm.dispose();
  });

  it('scales on an AverageValue target and on a v1 HPA (targetCPUUtilizationPercentage) through the same object', async () => {
    const t = await setup();
    t.usage.set('web-a', 300).set('web-b', 300);
    await t.createHpa([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'AverageValue', averageValue: '200m' } } }]);
    await t.settle();
    expect(await t.replicas()).toBe(3);
    expect((await t.hpa()).status?.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '300m' } } }]);
    await t.client.delete(HorizontalPodAutoscalers, 'web', 'default');
    await t.client.create(HorizontalPodAutoscalersV1, { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'v1', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, targetCPUUtilizationPercentage: 100 } });
    await t.settle();
    const v1 = await t.client.get<HpaV1>(HorizontalPodAutoscalersV1, 'v1', 'default');
    expect(v1.status).toMatchObject({ currentReplicas: 3, desiredReplicas: 5, currentCPUUtilizationPercentage: 300 });
    expect(await t.replicas()).toBe(5);
    t.cm.dispose();
  });

  it('reports an unknown scale target as FailedGetScale', async () => {
    const t = await setup();
    await t.client.create(HorizontalPodAutoscalers, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope' }, maxReplicas: 3 } });
    await t.settle();
    const cond = (await t.hpa()).status?.conditions?.[0];
    expect(cond).toMatchObject({ type: 'AbleToScale', status: 'False', reason: 'FailedGetScale', message: `the HPA controller was unable to get the target's current scale: deployments.apps "nope" not found` });
    expect(await t.events()).toEqual(['Warning FailedGetScale deployments.apps "nope" not found']);
    t.cm.dispose();
  });
});
