import { rfc3339 } from '../../../api/clock';
import type { Disposable } from '../../../api/disposable';
import type { ApiResponse } from '../../../api/protocol';
import { isDryRun, type ApiContext, type ResourceRequest } from '../context';
import { conflict, notFound } from '../errors';
import { deleteObject, deleteOptions } from '../handlers/delete';
import { listObjects } from '../handlers/list';
import { loadObject } from '../handlers/get';
import { objectResponse } from '../handlers/respond';
import { decodeKv, encodeObject, keyPrefix, objectKey, stripTypeMeta } from '../object-codec';
import type { KubeObject, ResourceStrategy } from '../registry/strategy';
import { CLEANUP_FINALIZER, type Crd, setCrdCondition } from './crd-types';
import { crdStrategy } from './crd-strategy';
import { deleteAllUnder, reconcileUntilDone } from '../reconcile-until-done';

/**
 * DELETE customresourcedefinitions/<name> (the CRD REST's Delete): the first delete sets
 * deletionTimestamp (grace 0), adds the customresourcecleanup finalizer and the Terminating condition
 * (InstanceDeletionPending) and answers the object; cleanup then runs in the background. Later
 * deletes of a Terminating CRD take the generic path. Preconditions are checked as for any delete.
 */
export async function deleteCrdHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  return objectResponse(rr, await markCrdDeleted(ctx, rr), 200, ctx.clock.now());
}

/** DELETE customresourcedefinitions (deletecollection): every matching CRD is deleted as by deleteCrdHandler; answers their last states. */
export async function deleteCrdCollectionHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const listed = await listObjects(ctx, { ...rr, query: { labelSelector: rr.query.labelSelector ?? '', fieldSelector: rr.query.fieldSelector ?? '' } });
  const items: KubeObject[] = [];
  for (const o of listed.items) {
    try {
      items.push(stripTypeMeta(await markCrdDeleted(ctx, { ...rr, name: o.metadata?.name })));
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  return { status: 200, body: { kind: 'CustomResourceDefinitionList', apiVersion: 'apiextensions.k8s.io/v1', metadata: { resourceVersion: String(ctx.store.currentRevision()) }, items } };
}

async function markCrdDeleted(ctx: ApiContext, rr: ResourceRequest): Promise<KubeObject> {
  const opts = deleteOptions(rr);
  for (;;) {
    const { kv, obj } = await loadObject(ctx, rr);
    if (obj.metadata?.deletionTimestamp) return (await deleteObject(ctx, rr, opts)).obj;
    const pre = opts.preconditions ?? {};
    if (pre.uid && pre.uid !== obj.metadata?.uid) throw conflict(rr.strategy.ref, rr.name!, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata?.uid ?? ''}`);
    if (pre.resourceVersion && pre.resourceVersion !== obj.metadata?.resourceVersion) {
      throw conflict(rr.strategy.ref, rr.name!, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata?.resourceVersion}`);
    }
    const crd = structuredClone(obj) as Crd;
    const m = crd.metadata!;
    m.deletionTimestamp = rfc3339(ctx.clock.now());
    m.deletionGracePeriodSeconds = 0;
    if (!(m.finalizers ?? []).includes(CLEANUP_FINALIZER)) m.finalizers = [...(m.finalizers ?? []), CLEANUP_FINALIZER];
    setCrdCondition(crd, {
      type: 'Terminating',
      status: 'True',
      lastTransitionTime: m.deletionTimestamp,
      reason: 'InstanceDeletionPending',
      message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
    });
    if (isDryRun(rr)) return crd;
    const res = await ctx.store.update(kv.key, encodeObject(crd), kv.modRevision);
    if (res.ok) return decodeKv(res.kv!);
    if (!res.kv) throw notFound(rr.strategy.ref, rr.name!);
  }
}

/**
 * The CRD finalizer controller for one Terminating CRD: deletes every custom resource (through the
 * normal delete path, so their own finalizers are honoured), re-runs on any store change under the
 * resource's prefix until none is left, then sets Terminating False (InstanceDeletionCompleted),
 * removes the customresourcecleanup finalizer and, with no finalizers left, removes the CRD.
 * onDone runs once the CRD is gone or no longer Terminating. Idempotent; safe to restart at boot.
 */
export function cleanupCustomResources(ctx: ApiContext, crdName: string, strategies: ResourceStrategy[], onDone: () => void): Disposable {
  const crdKey = objectKey(crdStrategy, undefined, crdName);
  const storage: ResourceStrategy | undefined = strategies[0]; // every version shares one store prefix

  const pass = async (): Promise<boolean> => {
    const { kv } = await ctx.store.get(crdKey);
    if (!kv) return true;
    const crd = decodeKv(kv) as Crd;
    if (!crd.metadata?.deletionTimestamp) return true;
    if (storage) {
      await deleteAllUnder(ctx, storage);
      if ((await ctx.store.list(keyPrefix(storage))).kvs.length) return false;
    }
    const next = structuredClone(crd);
    setCrdCondition(next, { type: 'Terminating', status: 'False', lastTransitionTime: rfc3339(ctx.clock.now()), reason: 'InstanceDeletionCompleted', message: 'removed all instances' });
    const finalizers = (next.metadata!.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    if (finalizers.length) next.metadata!.finalizers = finalizers;
    else delete next.metadata!.finalizers;
    if (!finalizers.length && (next.metadata!.deletionGracePeriodSeconds ?? 0) === 0) {
      const res = await ctx.store.delete(crdKey, kv.modRevision);
      return res.ok || !res.kv;
    }
    const res = await ctx.store.update(crdKey, encodeObject(next), kv.modRevision);
    return res.ok || !res.kv;
  };

  return reconcileUntilDone(ctx, [crdKey, ...(storage ? [keyPrefix(storage)] : [])], pass, onDone);
}
