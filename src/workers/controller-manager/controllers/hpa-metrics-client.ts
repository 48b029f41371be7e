import { milliValue } from '../../../api/quantity';
import { PodMetricsResource } from '../../../api/resources';
import type { ApiClient } from '../../../client/api-client';
import type { PodMetrics } from './hpa-replica-calculator';

interface PodMetricsItem {
  metadata?: { name?: string };
  timestamp?: string;
  window?: string;
  containers?: Array<{ name: string; usage?: Record<string, string> }>;
}

/** metav1.Duration text ("15s", "1m0.5s", "250ms") → ms. */
export function parseGoDuration(text: string | undefined): number {
  let ms = 0;
  for (const [, n, unit] of (text ?? '').matchAll(/([0-9.]+)(h|ms|m|s|us|µs|ns)/g)) {
    ms += Number(n) * ({ h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 1e-3, µs: 1e-3, ns: 1e-6 } as Record<string, number>)[unit];
  }
  return ms;
}

/**
 * The resource metrics client (metricsclient.GetResourceMetric): PodMetrics of the namespace matching the
 * selector, per pod the sum of its containers' usage of `resource` in milli-units. A pod missing the resource
 * in any container is left out. Throws kube's texts: 'unable to fetch metrics from resource metrics API: …',
 * 'no metrics returned from resource metrics API'.
 */
export async function getResourceMetric(client: ApiClient, resource: string, namespace: string, selector: string): Promise<PodMetrics> {
  let items: PodMetricsItem[];
  try {
    items = (await client.list<PodMetricsItem>(PodMetricsResource, namespace, { labelSelector: selector })).items;
  } catch (err) {
    throw new Error(`unable to fetch metrics from resource metrics API: ${(err as Error).message}`);
  }
  if (!items.length) throw new Error('no metrics returned from resource metrics API');
  const out: PodMetrics = new Map();
  for (const m of items) {
    const cs = m.containers ?? [];
    if (!cs.length || cs.some((c) => c.usage?.[resource] === undefined)) continue;
    out.set(m.metadata?.name ?? '', {
      value: cs.reduce((a, c) => a + milliValue(c.usage![resource]), 0),
      timestamp: m.timestamp ? Date.parse(m.timestamp) : 0,
      window: parseGoDuration(m.window),
    });
  }
  return out;
}
