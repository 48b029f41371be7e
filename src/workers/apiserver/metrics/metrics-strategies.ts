import { NodeMetricsResource, PodMetricsResource, type ResourceRef } from '../../../api/resources';
import { defineStrategy } from '../registry/define-strategy';
import { column, type KubeObject, type ResourceStrategy } from '../registry/strategy';

/** The metrics.k8s.io group, served here as metrics-server serves it through aggregation. */
export const METRICS_GROUP = 'metrics.k8s.io';
export const NodeMetricsRef: ResourceRef = NodeMetricsResource;
export const PodMetricsRef: ResourceRef = PodMetricsResource;

type Usage = { cpu?: string; memory?: string };
const usageOf = (o: KubeObject): Usage => {
  if (o.usage) return o.usage as Usage;
  // A pod's usage in the table is its containers' quantities as listed (one per container, comma-joined).
  const cs = (o.containers as Array<{ usage: Usage }> | undefined) ?? [];
  return { cpu: cs.map((c) => c.usage.cpu).join(','), memory: cs.map((c) => c.usage.memory).join(',') };
};

/** metrics-server's table columns (Name, CPU, Memory, Window). */
const columns = [
  column('CPU', 'string', 'CPU usage'),
  column('Memory', 'string', 'Memory usage'),
  column('Window', 'string', 'Interval of the usage measurement'),
];
const row = (o: KubeObject): unknown[] => [o.metadata?.name ?? '', usageOf(o).cpu ?? '', usageOf(o).memory ?? '', o.window ?? ''];

/** Read-only (get, list): the handler in metrics-handler.ts answers every request; nothing is stored. */
export const nodeMetricsStrategy: ResourceStrategy = defineStrategy({ ref: NodeMetricsRef, singularName: '', verbs: ['get', 'list'], columns, row });
export const podMetricsStrategy: ResourceStrategy = defineStrategy({ ref: PodMetricsRef, singularName: '', verbs: ['get', 'list'], columns, row });

export const metricsStrategies: ResourceStrategy[] = [nodeMetricsStrategy, podMetricsStrategy];
