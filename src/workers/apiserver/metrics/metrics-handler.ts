import type { Node, Pod } from 'kubernetes-types/core/v1';
import { rfc3339 } from '../../../api/clock';
import type { ApiResponse } from '../../../api/protocol';
import type { CpuStats, PodStatsSummary, StatsSummary } from '../../../api/stats-summary';
import { goDuration } from '../../kubelet/go-format';
import type { ApiContext, ResourceRequest } from '../context';
import { ApiServerError, methodNotAllowed } from '../errors';
import { decodeKv, keyPrefix } from '../object-codec';
import { nodeStrategy } from '../registry/node-strategy';
import { podStrategy } from '../registry/pod-strategy';
import type { KubeObject } from '../registry/strategy';
import { listResponse, objectResponse } from '../handlers/respond';
import { predicateFor } from '../selection';
import { formatBytes, formatNanoCores } from './metrics-quantity';
import { METRICS_GROUP } from './metrics-strategies';

/** How long a kubelet may take to answer a scrape (cluster time) before its node is left out, as metrics-server's timeout. */
export const SCRAPE_TIMEOUT_MS = 10_000;

/**
 * metrics.k8s.io/v1beta1 get and list, answered as metrics-server answers them: each request scrapes the
 * kubelets concerned (KubeletApi.statsSummary through dialNode; a node that fails, times out or has no window yet
 * is left out). NodeMetrics carry the Node's labels, PodMetrics the Pod's; label and field selectors apply to
 * those. A pod appears only when every one of its running containers has a CPU rate. A name without metrics is a
 * 404 `nodemetrics.metrics.k8s.io "x" not found` / `podmetrics.metrics.k8s.io "ns/x" not found`. Only GET.
 */
export async function metricsHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  if (rr.req.method !== 'GET' || rr.subresource) throw methodNotAllowed();
  const now = ctx.clock.now();
  const pred = predicateFor(rr.strategy, rr.query, rr.name);
  const isNodes = rr.strategy.ref.kind === 'NodeMetrics';
  const items = isNodes ? await nodeMetrics(ctx, pred.matches, now) : await podMetrics(ctx, rr.namespace, pred.matches, now);
  if (rr.name !== undefined) {
    if (!items.length) throw metricsNotFound(isNodes ? 'nodemetrics' : 'podmetrics', isNodes ? rr.name : `${rr.namespace}/${rr.name}`);
    return objectResponse(rr, items[0], 200, now);
  }
  return listResponse(rr, items, {}, now);
}

function metricsNotFound(resource: string, name: string): ApiServerError {
  return new ApiServerError(404, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: `${resource}.${METRICS_GROUP} "${name}" not found`,
    reason: 'NotFound',
    details: { name, group: METRICS_GROUP, kind: resource },
    code: 404,
  });
}

async function listStored<T>(ctx: ApiContext, prefix: string): Promise<T[]> {
  return (await ctx.store.list(prefix)).kvs.map((kv) => decodeKv(kv) as T);
}

/** One kubelet's summary, or undefined when it has none to give in time. */
async function scrape(ctx: ApiContext, nodeName: string): Promise<StatsSummary | undefined> {
  const kubelet = ctx.dialNode?.(nodeName) as { statsSummary?: () => Promise<StatsSummary> } | undefined;
  if (!kubelet?.statsSummary) return undefined;
  let timer: { dispose(): void } | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = ctx.clock.after(SCRAPE_TIMEOUT_MS, () => resolve(undefined))));
  try {
    return await Promise.race([Promise.resolve(kubelet.statsSummary()).catch(() => undefined), timeout]);
  } finally {
    timer?.dispose();
  }
}

const window = (cpu: CpuStats) => goDuration(cpu.windowMs ?? 0);
const meta = (o: { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } }, now: number) => {
  const m: Record<string, unknown> = { name: o.metadata?.name, creationTimestamp: rfc3339(now) };
  if (o.metadata?.namespace) m.namespace = o.metadata.namespace;
  if (o.metadata?.labels) m.labels = { ...o.metadata.labels };
  return m;
};

async function nodeMetrics(ctx: ApiContext, matches: (o: KubeObject) => boolean, now: number): Promise<KubeObject[]> {
  const nodes = (await listStored<Node>(ctx, keyPrefix(nodeStrategy))).filter((n) => matches(n as KubeObject));
  const summaries = await Promise.all(nodes.map((n) => scrape(ctx, n.metadata?.name ?? '')));
  const out: KubeObject[] = [];
  nodes.forEach((n, i) => {
    const s = summaries[i]?.node;
    if (!s || s.cpu.usageNanoCores === undefined) return;
    out.push({
      metadata: meta(n, now),
      timestamp: s.cpu.time,
      window: window(s.cpu),
      usage: { cpu: formatNanoCores(s.cpu.usageNanoCores), memory: formatBytes(s.memory.workingSetBytes) },
    } as KubeObject);
  });
  return out;
}

async function podMetrics(ctx: ApiContext, namespace: string | undefined, matches: (o: KubeObject) => boolean, now: number): Promise<KubeObject[]> {
  const pods = (await listStored<Pod>(ctx, keyPrefix(podStrategy, namespace))).filter((p) => p.spec?.nodeName && p.status?.phase === 'Running' && matches(p as KubeObject));
  const nodeNames = [...new Set(pods.map((p) => p.spec!.nodeName!))];
  const stats = new Map<string, PodStatsSummary>();
  const summaries = await Promise.all(nodeNames.map((n) => scrape(ctx, n)));
  for (const s of summaries) for (const p of s?.pods ?? []) stats.set(p.podRef.uid, p);
  const out: KubeObject[] = [];
  for (const p of pods) {
    const s = stats.get(p.metadata?.uid ?? '');
    if (!s || !s.containers.length || s.containers.some((c) => c.cpu.usageNanoCores === undefined)) continue;
    out.push({
      metadata: meta(p, now),
      timestamp: s.cpu.time,
      window: window(s.containers[0].cpu),
      containers: s.containers.map((c) => ({ name: c.name, usage: { cpu: formatNanoCores(c.cpu.usageNanoCores!), memory: formatBytes(c.memory.workingSetBytes) } })),
    } as KubeObject);
  }
  return out;
}
