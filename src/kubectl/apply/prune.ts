import { resourcePath } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import { kindPrefix } from '../resource-mapper';
import type { ApplyTarget } from './apply-targets';

/** kubectl's default --prune-allowlist (prune.go), in its order: namespaced kinds, then cluster-scoped ones. */
const NAMESPACED = ['v1/ConfigMap', 'v1/Endpoints', 'v1/PersistentVolumeClaim', 'v1/Pod', 'v1/ReplicationController', 'v1/Secret', 'v1/Service', 'batch/v1/Job', 'batch/v1/CronJob', 'networking.k8s.io/v1/Ingress', 'apps/v1/DaemonSet', 'apps/v1/Deployment', 'apps/v1/ReplicaSet', 'apps/v1/StatefulSet'];
const CLUSTER = ['v1/Namespace', 'v1/PersistentVolume'];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** apply's prune flag checks: a selector or --all is required. */
export function checkPruneFlags(ctx: CommandContext): void {
  if (!ctx.bool('prune')) return;
  if (!ctx.bool('all') && !ctx.str('selector')) {
    throw new RawError('error: all resources selected for prune without explicitly passing --all. To prune all resources, pass the --all flag. If you did not mean to prune all resources, specify a label selector');
  }
}

function split(gvk: string): { apiVersion: string; kind: string } {
  const i = gvk.lastIndexOf('/');
  return { apiVersion: gvk.slice(0, i), kind: gvk.slice(i + 1) };
}

/** --prune-allowlist entries are group/version/kind (core: /v1/ConfigMap). */
function allowlist(ctx: CommandContext): { namespaced: string[]; cluster: string[] } | undefined {
  const given = ctx.list('prune-allowlist');
  if (!given.length) return undefined;
  const norm = given.map((g) => g.replace(/^core\/v1\//, 'v1/').replace(/^\/v1\//, 'v1/'));
  return { namespaced: norm, cluster: norm };
}

/**
 * After apply: deletes (propagation Background) every object of the allowlisted kinds that matches -l,
 * carries the last-applied annotation, lives in a namespace the manifests used (or is cluster-scoped),
 * and was not among the applied objects (by uid). Prints `<kind>/<name> pruned<suffix>` per object.
 */
export async function prune(ctx: CommandContext, targets: ApplyTarget[], visitedUids: Set<string>, dry: { server: boolean; client: boolean; suffix: string }): Promise<void> {
  const mapper = await ctx.mapper();
  const namespaces = [...new Set(targets.filter((t) => t.namespace).map((t) => t.namespace!))];
  const lists = allowlist(ctx) ?? { namespaced: NAMESPACED, cluster: CLUSTER };
  const selector = ctx.str('selector');
  const passes: { gvk: string; ns?: string }[] = [];
  for (const ns of namespaces) for (const gvk of lists.namespaced) passes.push({ gvk, ns });
  for (const gvk of lists.cluster) passes.push({ gvk });
  for (const { gvk, ns } of passes) {
    const { apiVersion, kind } = split(gvk);
    const info = mapper.forKind(apiVersion, kind);
    if (!info || info.namespaced !== (ns !== undefined)) continue;
    const res = await ctx.io.client.raw({ method: 'GET', path: resourcePath(info, ns), query: selector ? { labelSelector: selector } : undefined });
    if (res.status < 200 || res.status >= 300) throw new ApiError(res.status, res.body as never);
    for (const item of (res.body as { items?: Record<string, any>[] }).items ?? []) {
      const meta = item.metadata ?? {};
      if (meta.annotations?.[LAST_APPLIED] === undefined || visitedUids.has(meta.uid)) continue;
      if (!dry.client) {
        const del = await ctx.io.client.raw({
          method: 'DELETE',
          path: resourcePath(info, ns, meta.name),
          body: { propagationPolicy: 'Background', ...(dry.server ? { dryRun: ['All'] } : {}) },
          query: dry.server ? { dryRun: 'All' } : undefined,
        });
        if (del.status >= 300 && del.status !== 404) throw new ApiError(del.status, del.body as never);
      }
      ctx.out(`${kindPrefix(info)}/${meta.name} pruned${dry.suffix}\n`);
    }
  }
}
