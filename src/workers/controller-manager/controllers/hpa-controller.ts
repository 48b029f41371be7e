import type { HorizontalPodAutoscaler as Hpa, HorizontalPodAutoscalerCondition, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import type { Scale } from 'kubernetes-types/autoscaling/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../../api/clock';
import { milliValue } from '../../../api/quantity';
import { Deployments, HorizontalPodAutoscalers, metaKey, Pods, ReplicaSets, ReplicationControllers, StatefulSets, type ResourceRef } from '../../../api/resources';
import { parseLabelSelector } from '../../../client/labels';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { getResourceMetric } from './hpa-metrics-client';
import { DEFAULT_TOLERANCE, rawResourceReplicas, resourceReplicas } from './hpa-replica-calculator';
import { HpaScalingRules } from './hpa-scaling-rules';

/** Runs fn; its error is rethrown with "prefix: " in front (Go's fmt.Errorf("…: %v", err)). */
async function wrap<T>(prefix: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new Error(`${prefix}: ${(err as Error).message}`);
  }
}

/** --horizontal-pod-autoscaler-sync-period */
export const HPA_SYNC_PERIOD_MS = 15_000;

const SCALE_TARGETS: ResourceRef[] = [Deployments, ReplicaSets, StatefulSets, ReplicationControllers];
type Cond = HorizontalPodAutoscalerCondition;

/** DecimalSI text of a milli-quantity (resource.NewMilliQuantity): 250 → "250m", 1000 → "1", 1500000 → "1500". */
export function milliQuantity(milli: number): string {
  let v = Math.trunc(milli);
  if (v === 0) return '0';
  const suffixes = ['m', '', 'k', 'M', 'G', 'T', 'P', 'E'];
  let i = 0;
  while (v % 1000 === 0 && i < suffixes.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v}${suffixes[i]}`;
}

/**
 * horizontal-pod-autoscaler (pkg/controller/podautoscaler), autoscaling/v2 with Resource metrics (cpu/memory,
 * Utilization and AverageValue) from metrics.k8s.io. Each HPA is reconciled when added or its spec changes and
 * then every syncPeriodMs of cluster time:
 * scale subresource of scaleTargetRef → replica proposal per metric (replica-calculator) → the largest →
 * min/max and stabilization/rate rules (hpa-scaling-rules) → PUT …/scale when it differs (Normal SuccessfulRescale
 * "New size: N; reason: …") → status (currentReplicas = the scale's spec.replicas, desiredReplicas, currentMetrics,
 * lastScaleTime, conditions AbleToScale/ScalingActive/ScalingLimited with kube's reasons and messages), written
 * only when it changed. Failures are Warning events (FailedGetScale, FailedGetResourceMetric,
 * FailedComputeMetricsReplicas, SelectorRequired, FailedRescale) and retried at the next sync.
 */
export function hpaController(opts: { syncPeriodMs?: number; tolerance?: number } = {}): ControllerDescriptor {
  const period = opts.syncPeriodMs ?? HPA_SYNC_PERIOD_MS;
  const tolerance = opts.tolerance ?? DEFAULT_TOLERANCE;
  return {
    name: 'horizontal-pod-autoscaler-controller',
    component: 'horizontal-pod-autoscaler',
    requires: [HorizontalPodAutoscalers],
    setup(ctx: ControllerContext): ControllerDef {
      const hpas = ctx.factory.informerFor<Hpa>(HorizontalPodAutoscalers);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const rules = new HpaScalingRules();
      const subs = [
        hpas.addEventHandler({
          onAdd: (h) => ctx.queue.add(metaKey(h)),
          // Status writes (ours) do not change the generation: only spec changes trigger an early sync.
          onUpdate: (a, b) => a.metadata?.generation !== b.metadata?.generation && ctx.queue.add(metaKey(b)),
          onDelete: (h) => rules.forget(metaKey(h)),
        }),
      ];
      return { reconcile: (key) => reconcile(ctx, key), disposables: subs };

      async function reconcile(c: ControllerContext, key: string) {
        const live = hpas.lister().get(key);
        if (!live) {
          rules.forget(key);
          return;
        }
        const hpa = structuredClone(live);
        const before = JSON.stringify(hpa.status ?? {});
        if (!hpa.spec) return { requeueAfter: period };
        await reconcileAutoscaler(c, key, hpa as Hpa & { spec: NonNullable<Hpa['spec']> });
        if (JSON.stringify(hpa.status ?? {}) !== before) {
          try {
            await c.client.update(HorizontalPodAutoscalers, hpa, 'status');
          } catch {
            // A conflict or a deleted HPA: the next sync starts from the informer's copy.
          }
        }
        return { requeueAfter: period };
      }

      function setCondition(hpa: Hpa, type: string, status: 'True' | 'False', reason: string, message: string) {
        const st = (hpa.status ??= { desiredReplicas: 0 });
        const conds = (st.conditions ??= []);
        const now = rfc3339(ctx.clock.now());
        const existing = conds.find((x) => x.type === type);
        if (existing) {
          if (existing.status !== status) existing.lastTransitionTime = now;
          Object.assign(existing, { status, reason, message });
        } else conds.push({ type, status, lastTransitionTime: now, reason, message } as Cond);
      }

      function setStatus(hpa: Hpa, current: number, desired: number, metrics: MetricStatus[] | undefined, rescaled: boolean) {
        const st = (hpa.status ??= { desiredReplicas: 0 });
        st.currentReplicas = current;
        st.desiredReplicas = desired;
        if (metrics?.length) st.currentMetrics = metrics;
        else delete st.currentMetrics;
        if (rescaled) st.lastScaleTime = rfc3339(ctx.clock.now());
      }

      async function reconcileAutoscaler(c: ControllerContext, key: string, hpa: Hpa & { spec: NonNullable<Hpa['spec']> }) {
        const ns = hpa.metadata?.namespace ?? 'default';
        const ref = hpa.spec.scaleTargetRef;
        const group = (ref.apiVersion ?? '').includes('/') ? ref.apiVersion!.split('/')[0] : '';
        const target = SCALE_TARGETS.find((r) => r.kind === ref.kind && r.group === group);
        let scale: Scale;
        try {
          if (!target) throw new Error(`no matches for kind "${ref.kind}" in group "${group}"`);
          scale = await c.client.get<Scale>(target, ref.name, ns, 'scale');
        } catch (err) {
          const msg = (err as Error).message;
          c.recorder.event(hpa, 'Warning', 'FailedGetScale', msg);
          setCondition(hpa, 'AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${msg}`);
          setStatus(hpa, hpa.status?.currentReplicas ?? 0, hpa.status?.desiredReplicas ?? 0, hpa.status?.currentMetrics, false);
          return;
        }
        setCondition(hpa, 'AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
        const specReplicas = scale.spec?.replicas ?? 0;
        const now = c.clock.now();
        rules.initial(key, specReplicas, now);
        const min = hpa.spec.minReplicas ?? 1;
        const max = hpa.spec.maxReplicas;
        let desired = 0;
        let reason = '';
        let metricStatuses: MetricStatus[] | undefined = hpa.status?.currentMetrics;
        if (specReplicas === 0 && min !== 0) {
          setCondition(hpa, 'ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
        } else if (specReplicas > max) {
          [desired, reason] = [max, 'Current number of replicas above Spec.MaxReplicas'];
        } else if (specReplicas < min) {
          [desired, reason] = [min, 'Current number of replicas below Spec.MinReplicas'];
        } else {
          const computed = await computeReplicasForMetrics(c, hpa, scale, specReplicas, now);
          metricStatuses = computed.statuses;
          if ('error' in computed) {
            setStatus(hpa, specReplicas, hpa.status?.desiredReplicas ?? 0, metricStatuses, false);
            c.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', computed.error);
            return;
          }
          desired = Math.max(computed.replicas, 0);
          if (desired > specReplicas) reason = `${computed.metric} above target`;
          if (desired < specReplicas) reason = 'All metrics below target';
          const n = rules.normalize({ key, current: specReplicas, desired, min, max, behavior: hpa.spec.behavior, now });
          setCondition(hpa, 'AbleToScale', 'True', ...n.ableToScale);
          setCondition(hpa, 'ScalingLimited', n.limited[0], n.limited[1], n.limited[2]);
          desired = n.replicas;
        }
        const rescale = desired !== specReplicas && !(specReplicas === 0 && min !== 0);
        if (rescale) {
          try {
            await c.client.update(target!, { ...scale, spec: { ...scale.spec, replicas: desired } }, 'scale');
          } catch (err) {
            const msg = (err as Error).message;
            c.recorder.event(hpa, 'Warning', 'FailedRescale', `New size: ${desired}; reason: ${reason}; error: ${msg}`);
            setCondition(hpa, 'AbleToScale', 'False', 'FailedUpdateScale', `the HPA controller was unable to update the target scale: ${msg}`);
            setStatus(hpa, specReplicas, hpa.status?.desiredReplicas ?? 0, metricStatuses, false);
            return;
          }
          setCondition(hpa, 'AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${desired}`);
          c.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${reason}`);
          rules.recordScale(key, hpa.spec.behavior, specReplicas, desired, now);
        }
        setStatus(hpa, specReplicas, rescale ? desired : specReplicas, metricStatuses, rescale);
      }

      /** computeReplicasForMetrics: the largest proposal, or kube's "invalid metrics" error with the first metric's condition. */
      async function computeReplicasForMetrics(c: ControllerContext, hpa: Hpa, scale: Scale, specReplicas: number, now: number): Promise<{ replicas: number; metric: string; statuses: MetricStatus[] } | { error: string; statuses: MetricStatus[] }> {
        const specs = hpa.spec?.metrics ?? [];
        const selectorText = scale.status?.selector ?? '';
        if (!selectorText) {
          c.recorder.event(hpa, 'Warning', 'SelectorRequired', 'selector is required');
          setCondition(hpa, 'ScalingActive', 'False', 'InvalidSelector', "the HPA target's scale is missing a selector");
          return { error: 'selector is required', statuses: [] };
        }
        const matches = parseLabelSelector(selectorText);
        const ns = hpa.metadata?.namespace ?? 'default';
        const targetPods = pods.lister().list(ns).filter((p) => matches(p.metadata?.labels));
        const statuses: MetricStatus[] = specs.map(() => ({ type: '' }) as MetricStatus);
        let replicas = 0;
        let metric = '';
        let invalid = 0;
        let firstError = '';
        let firstCondition: [string, string] | undefined;
        for (const [i, spec] of specs.entries()) {
          try {
            const r = await computeResourceMetric(c, hpa, spec, selectorText, targetPods, specReplicas, now);
            statuses[i] = r.status;
            if (replicas === 0 || r.replicas > replicas) [replicas, metric] = [r.replicas, r.metric];
          } catch (err) {
            const msg = (err as Error).message;
            if (invalid++ === 0) {
              firstError = spec.type === 'Resource' ? `failed to get ${spec.resource?.name} resource metric value: ${msg}` : msg;
              firstCondition = [spec.type === 'Resource' ? 'FailedGetResourceMetric' : 'InvalidMetricSourceType', `the HPA was unable to compute the replica count: ${msg}`];
            }
          }
        }
        if (invalid >= specs.length || (invalid > 0 && replicas < specReplicas)) {
          if (firstCondition) setCondition(hpa, 'ScalingActive', 'False', firstCondition[0], firstCondition[1]);
          return { error: `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${firstError}`, statuses };
        }
        setCondition(hpa, 'ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${metric}`);
        return { replicas, metric, statuses };
      }

      /** One Resource metric: its proposal, name and status; throws kube's error texts after the FailedGetResourceMetric event. */
      async function computeResourceMetric(c: ControllerContext, hpa: Hpa, spec: MetricSpec, selector: string, targetPods: Pod[], current: number, now: number) {
        if (spec.type !== 'Resource' || !spec.resource) throw new Error(`unknown metric source type "${spec.type}"`);
        const { name, target } = spec.resource;
        const ns = hpa.metadata?.namespace ?? 'default';
        const input = async () => ({
          currentReplicas: current,
          pods: targetPods,
          metrics: await wrap(`unable to get metrics for resource ${name}`, () => getResourceMetric(c.client, name, ns, selector)),
          resource: name,
          now,
          tolerance,
        });
        try {
          if (target.averageValue !== undefined) {
            const r = await wrap(`failed to get ${name} usage`, async () => rawResourceReplicas(await input(), milliValue(String(target.averageValue))));
            return { replicas: r.replicas, metric: `${name} resource`, status: { type: 'Resource', resource: { name, current: { averageValue: milliQuantity(r.rawAverage) } } } as MetricStatus };
          }
          if (target.averageUtilization === undefined) throw new Error('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
          const utilization = target.averageUtilization;
          const r = await wrap(`failed to get ${name} utilization`, async () => resourceReplicas(await input(), utilization));
          const status = { type: 'Resource', resource: { name, current: { averageUtilization: r.utilization, averageValue: milliQuantity(r.rawAverage) } } } as MetricStatus;
          return { replicas: r.replicas, metric: `${name} resource utilization (percentage of request)`, status };
        } catch (err) {
          c.recorder.event(hpa, 'Warning', 'FailedGetResourceMetric', (err as Error).message);
          throw err;
        }
      }
    },
  };
}
