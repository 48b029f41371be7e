import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import { toGoJsonCompact } from '../printers/go-json';
import type { KubeObj, Target } from './visit-objects';

type Obj = Record<string, unknown>;
interface ControllerRevision extends KubeObj {
  revision?: number;
  data?: { spec?: { template?: Obj } };
}

/** The rollout status message of a StatefulSet or DaemonSet (kubectl's status viewers), and whether it is done. */
export function workloadStatus(t: Target): { message: string; done: boolean } {
  const o = t.obj as Obj & { spec?: Obj; status?: Obj; metadata?: { name?: string; generation?: number } };
  const spec = (o.spec ?? {}) as { replicas?: number; updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } } };
  const st = (o.status ?? {}) as Record<string, number | string | undefined>;
  const num = (k: string) => Number(st[k] ?? 0);
  const gen = o.metadata?.generation ?? 0;
  const name = o.metadata?.name ?? '';
  if ((spec.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') throw new RawError('error: rollout status is only available for RollingUpdate strategy type');
  if (t.kind === 'DaemonSet') {
    if (gen > num('observedGeneration')) return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
    if (num('updatedNumberScheduled') < num('desiredNumberScheduled'))
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${num('updatedNumberScheduled')} out of ${num('desiredNumberScheduled')} new pods have been updated...\n`, done: false };
    if (num('numberAvailable') < num('desiredNumberScheduled'))
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${num('numberAvailable')} of ${num('desiredNumberScheduled')} updated pods are available...\n`, done: false };
    return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  if (num('observedGeneration') === 0 || gen > num('observedGeneration')) return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
  const replicas = spec.replicas;
  if (replicas !== undefined && num('readyReplicas') < replicas) return { message: `Waiting for ${replicas - num('readyReplicas')} pods to be ready...\n`, done: false };
  const rolling = spec.updateStrategy?.rollingUpdate;
  if (rolling) {
    if (replicas !== undefined && rolling.partition !== undefined && num('updatedReplicas') < replicas - rolling.partition)
      return { message: `Waiting for partitioned roll out to finish: ${num('updatedReplicas')} out of ${replicas - rolling.partition} new pods have been updated...\n`, done: false };
    return { message: `partitioned roll out complete: ${num('updatedReplicas')} new pods have been updated...\n`, done: true };
  }
  if (st.updateRevision !== st.currentRevision)
    return { message: `waiting for statefulset rolling update to complete ${num('updatedReplicas')} pods at revision ${st.updateRevision ?? ''}...\n`, done: false };
  return { message: `statefulset rolling update complete ${num('currentReplicas')} pods at revision ${st.currentRevision ?? ''}...\n`, done: true };
}

/** The ControllerRevisions the StatefulSet/DaemonSet controls (matching its selector), by revision number. */
export async function controllerRevisions(ctx: CommandContext, t: Target): Promise<Map<number, ControllerRevision>> {
  const sel = ((t.obj.spec as Obj | undefined)?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
  const selector = Object.entries(sel).map(([k, v]) => `${k}=${v}`).join(',');
  const list = await ctx.io.client.call<{ items: ControllerRevision[] }>({
    method: 'GET',
    path: `/apis/apps/v1/namespaces/${t.namespace ?? ctx.namespace}/controllerrevisions`,
    query: selector ? { labelSelector: selector } : undefined,
  });
  const uid = (t.obj.metadata as { uid?: string } | undefined)?.uid;
  const out = new Map<number, ControllerRevision>();
  for (const cr of list.items) {
    const owners = (cr.metadata as { ownerReferences?: { uid?: string; controller?: boolean }[] } | undefined)?.ownerReferences ?? [];
    if (uid && !owners.some((o) => o.uid === uid && o.controller)) continue;
    out.set(Number(cr.revision ?? 0), cr);
  }
  return out;
}

/**
 * kubectl's getStatefulSetPatch/getDaemonSetPatch bytes: Go's json.Marshal (sorted keys) of
 * {spec: {template: <typed template>, $patch: replace}}; the typed template carries metadata.creationTimestamp
 * null and each container's resources {}. kubectl compares them with the revision's raw data byte for byte.
 */
function rollbackPatch(template: Obj | undefined): string {
  const t = structuredClone(template ?? {}) as Obj & { metadata?: Obj; spec?: { containers?: Obj[]; initContainers?: Obj[] } };
  t.metadata = { creationTimestamp: null, ...(t.metadata ?? {}) };
  for (const c of [...(t.spec?.containers ?? []), ...(t.spec?.initContainers ?? [])]) c.resources ??= {};
  return toGoJsonCompact({ spec: { template: { ...t, $patch: 'replace' } } });
}

/**
 * kubectl's StatefulSet/DaemonSet rollbacker: to --to-revision (0: the one before the latest) by a strategic
 * merge patch with the revision's data; "skipped rollback" when the revision's data is byte-identical to
 * kubectl's patch for the current template.
 * Errors: "no last revision to roll back to", "unable to find specified revision N in history".
 */
export async function undoWithRevisions(ctx: CommandContext, t: Target, toRevision: number): Promise<string> {
  const revs = await controllerRevisions(ctx, t);
  let to = toRevision;
  if (to === 0) {
    const sorted = [...revs.keys()].sort((x, y) => y - x);
    if (sorted.length < 2) throw new RawError('error: no last revision to roll back to');
    to = sorted[1];
  }
  const cr = revs.get(to);
  if (!cr) throw new RawError(`error: unable to find specified revision ${to} in history`);
  if (JSON.stringify(cr.data) === rollbackPatch((t.obj.spec as Obj | undefined)?.template as Obj | undefined)) return `skipped rollback (current template already matches revision ${to})`;
  await ctx.io.client.call({ method: 'PATCH', path: resourcePath(t.info!, t.namespace, t.name), body: cr.data, contentType: 'application/strategic-merge-patch+json', query: { fieldManager: 'kubectl-rollout' } });
  return 'rolled back';
}
