import type { Pod } from 'kubernetes-types/core/v1';
import type { ApiResponse } from '../../../api/protocol';
import { rfc3339 } from '../../../api/clock';
import { groupVersion } from '../../../api/resources';
import { isDryRun, type ApiContext, type ResourceRequest } from '../context';
import { badRequest, conflict, forbiddenError, notFound } from '../errors';
import { decodeFor, decodeKv, encodeFor, encodeObject, objectKey, stripTypeMeta } from '../object-codec';
import type { KubeObject } from '../registry/strategy';
import { objectResponse } from './respond';
import { listObjects } from './list';
import { loadObject } from './get';
import { nodeRestrictionDelete, validateDelete, withAdmissionWarnings } from '../admission';

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';

/**
 * deletionFinalizersForGarbageCollection: Foreground adds foregroundDeletion, Orphan (or the deprecated
 * orphanDependents=true) adds orphan, an explicit Background removes both; unset keeps what the object
 * has. Returns the new finalizer list, or undefined when it is unchanged.
 */
function gcFinalizers(finalizers: string[], opts: DeleteOptions): string[] | undefined {
  let policy = opts.propagationPolicy;
  if (!policy && opts.orphanDependents !== undefined) policy = opts.orphanDependents ? 'Orphan' : 'Background';
  if (!policy) return undefined;
  const add = policy === 'Foreground' ? FOREGROUND : policy === 'Orphan' ? ORPHAN : undefined;
  const next = finalizers.filter((f) => f !== ORPHAN && f !== FOREGROUND);
  if (add) next.push(add);
  const same = next.length === finalizers.length && next.every((f) => finalizers.includes(f));
  return same ? undefined : next;
}

const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export function deleteOptions(rr: ResourceRequest): DeleteOptions {
  const body = (rr.req.body && typeof rr.req.body === 'object' ? rr.req.body : {}) as DeleteOptions;
  const opts: DeleteOptions = { ...body };
  if (rr.query.gracePeriodSeconds !== undefined) opts.gracePeriodSeconds = Number(rr.query.gracePeriodSeconds);
  if (rr.query.propagationPolicy) opts.propagationPolicy = rr.query.propagationPolicy;
  if (opts.gracePeriodSeconds !== undefined && !Number.isFinite(opts.gracePeriodSeconds)) throw badRequest(`invalid gracePeriodSeconds`);
  if (opts.propagationPolicy && !['Orphan', 'Background', 'Foreground'].includes(opts.propagationPolicy)) {
    throw badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${opts.propagationPolicy}": supported values: "Foreground", "Background", "Orphan", "nil"`);
  }
  return opts;
}

/** CheckGracefulDelete: pods get their grace period unless unscheduled or finished; everything else is immediate. */
function gracePeriod(rr: ResourceRequest, obj: KubeObject, opts: DeleteOptions): number {
  if (rr.strategy.ref.resource !== 'pods') return 0;
  const pod = obj as unknown as Pod;
  let period = opts.gracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  if (!pod.spec?.nodeName) period = 0;
  if (pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded') period = 0;
  if (period < 0) period = 1;
  return period;
}

/**
 * Deletes one object. Pods bound to a node are deleted gracefully (deletionTimestamp = now + grace,
 * deletionGracePeriodSeconds = grace; the kubelet finishes with gracePeriodSeconds=0); objects with
 * finalizers get a deletionTimestamp and stay until their finalizers are removed. Preconditions that
 * do not hold are 409 Conflict. `admit` (validating admission) sees the stored object after the preconditions,
 * on every attempt, and refuses by throwing. Returns the last state and whether the key is gone.
 */
export async function deleteObject(ctx: ApiContext, rr: ResourceRequest, opts: DeleteOptions, admit?: (obj: KubeObject) => Promise<void>): Promise<{ obj: KubeObject; deleted: boolean }> {
  const s = rr.strategy;
  const key = objectKey(s, rr.namespace, rr.name!);
  for (;;) {
    const { kv, obj } = await loadObject(ctx, rr);
    const m = obj.metadata!;
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== m.uid) throw conflict(s.ref, rr.name!, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${m.uid ?? ''}`);
    if (pre.resourceVersion && pre.resourceVersion !== m.resourceVersion) {
      throw conflict(s.ref, rr.name!, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${m.resourceVersion}`);
    }
    await admit?.(obj);
    if (s.ref.resource === 'namespaces') return deleteNamespace(ctx, rr, kv.modRevision, obj);
    const grace = gracePeriod(rr, obj, opts);
    const gc = gcFinalizers(m.finalizers ?? [], opts);
    const hasFinalizers = (gc ?? m.finalizers ?? []).length > 0;
    if (grace > 0 || hasFinalizers) {
      const next = structuredClone(obj);
      const nm = next.metadata!;
      if (gc) {
        if (gc.length) nm.finalizers = gc;
        else delete nm.finalizers;
      }
      if (m.deletionTimestamp && gc && hasFinalizers) {
        // already deleting: only the GC finalizers change
        if (isDryRun(rr)) return { obj: next, deleted: false };
        const res = await ctx.store.update(key, encodeFor(s, next), kv.modRevision);
        if (res.ok) return { obj: decodeFor(s, res.kv!), deleted: false };
        if (!res.kv) throw notFound(s.ref, rr.name!);
        continue;
      }
      if (m.deletionTimestamp) {
        const shorter = m.deletionGracePeriodSeconds === undefined || grace < m.deletionGracePeriodSeconds;
        if (!shorter) return { obj, deleted: false };
        if (grace === 0 && !hasFinalizers) {
          const done = await immediate(ctx, rr, key, kv.modRevision, obj);
          if (done) return done;
          continue;
        }
      }
      nm.deletionTimestamp = rfc3339(ctx.clock.now() + grace * 1000);
      nm.deletionGracePeriodSeconds = grace;
      if (s.hasGeneration && nm.generation) nm.generation += 1;
      if (isDryRun(rr)) return { obj: next, deleted: false };
      const res = await ctx.store.update(key, encodeFor(s, next), kv.modRevision);
      if (res.ok) return { obj: decodeFor(s, res.kv!), deleted: false };
      if (!res.kv) throw notFound(s.ref, rr.name!);
      continue;
    }
    const done = await immediate(ctx, rr, key, kv.modRevision, obj);
    if (done) return done;
  }
}

async function immediate(ctx: ApiContext, rr: ResourceRequest, key: string, modRevision: number, obj: KubeObject): Promise<{ obj: KubeObject; deleted: boolean } | undefined> {
  if (isDryRun(rr)) return { obj, deleted: true };
  const res = await ctx.store.delete(key, modRevision);
  if (res.ok) return { obj: { ...obj, metadata: { ...obj.metadata, resourceVersion: String(res.revision) } }, deleted: true };
  if (!res.kv) throw notFound(rr.strategy.ref, rr.name!);
  return undefined;
}

/** Namespace DELETE: Terminating + deletionTimestamp, then the namespace finalizer empties and removes it. */
async function deleteNamespace(ctx: ApiContext, rr: ResourceRequest, modRevision: number, obj: KubeObject): Promise<{ obj: KubeObject; deleted: boolean }> {
  const name = rr.name!;
  if (IMMORTAL_NAMESPACES.has(name)) throw forbiddenError(rr.strategy.ref, name, 'this namespace may not be deleted');
  if (obj.metadata?.deletionTimestamp) return { obj, deleted: false };
  const next = structuredClone(obj);
  next.metadata!.deletionTimestamp = rfc3339(ctx.clock.now());
  next.metadata!.deletionGracePeriodSeconds = 0;
  next.status = { ...((next.status as object) ?? {}), phase: 'Terminating' };
  if (isDryRun(rr)) return { obj: next, deleted: false };
  const res = await ctx.store.update(objectKey(rr.strategy, undefined, name), encodeObject(next), modRevision);
  if (!res.ok) {
    if (!res.kv) throw notFound(rr.strategy.ref, name);
    throw conflict(rr.strategy.ref, name);
  }
  ctx.finalizeNamespace(name);
  return { obj: decodeKv(res.kv!), deleted: false };
}

function successStatus(rr: ResourceRequest, obj: KubeObject): unknown {
  const details: Record<string, string> = { name: obj.metadata?.name ?? '', kind: rr.strategy.ref.resource, uid: obj.metadata?.uid ?? '' };
  if (rr.strategy.ref.group) details.group = rr.strategy.ref.group;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

/** DELETE …/name: the object (pods, namespaces, or anything not yet gone) or a Success Status. */
export async function deleteHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  await nodeRestrictionDelete(ctx, rr);
  const opts = deleteOptions(rr);
  const { obj, deleted } = await deleteObject(ctx, rr, opts, (o) => validateDelete(ctx, rr, o, { ...opts }));
  const res: ApiResponse = deleted && !rr.strategy.returnDeletedObject ? { status: 200, body: successStatus(rr, obj) } : objectResponse(rr, obj, 200, ctx.clock.now());
  return { ...res, ...withAdmissionWarnings(rr, res.headers) };
}

/** DELETE collection (deletecollection): deletes every matching object; answers the list of their last states. */
export async function deleteCollectionHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const opts = deleteOptions(rr);
  const listed = await listObjects(ctx, { ...rr, query: { labelSelector: rr.query.labelSelector ?? '', fieldSelector: rr.query.fieldSelector ?? '' } });
  const items: KubeObject[] = [];
  for (const o of listed.items) {
    try {
      const one = { ...rr, namespace: o.metadata?.namespace, name: o.metadata?.name };
      await nodeRestrictionDelete(ctx, one);
      const r = await deleteObject(ctx, one, opts, (obj) => validateDelete(ctx, one, obj, { ...opts }, rr));
      items.push(stripTypeMeta(r.obj));
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  return {
    status: 200,
    body: { kind: `${rr.strategy.ref.kind}List`, apiVersion: groupVersion(rr.strategy.ref), metadata: { resourceVersion: String(ctx.store.currentRevision()) }, items },
    ...withAdmissionWarnings(rr),
  };
}
