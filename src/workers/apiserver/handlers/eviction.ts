import type { Pod } from 'kubernetes-types/core/v1';
import type { Condition } from 'kubernetes-types/meta/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { ApiResponse } from '../../../api/protocol';
import { rfc3339 } from '../../../api/clock';
import { PodDisruptionBudgets } from '../../../api/resources';
import { labelSelectorAsSelector } from '../../../api/label-selector';
import { failureStatus } from '../../../api/status';
import type { ApiContext, ResourceRequest } from '../context';
import { ApiServerError, badRequest, forbiddenError } from '../errors';
import { decodeKv, encodeObject, keyPrefix, objectKey } from '../object-codec';
import { builtinTable } from '../registry/registry';
import type { KubeObject } from '../registry/strategy';
import { decodeBody } from './decode';
import { deleteObject, type DeleteOptions } from './delete';
import { loadObject } from './get';
import { nodeRestrictionEviction } from '../admission';

/** kube's MaxDisruptedPodSize and EvictionsRetry (steps). */
const MAX_DISRUPTED_PODS = 2000;
const RETRIES = 5;
const TOO_MANY = "Cannot evict pod as it would violate the pod's disruption budget.";
const PDB_GR = { group: 'policy', resource: 'poddisruptionbudget' };

/** 429 TooManyRequests with one DisruptionBudget cause (retryAfterSeconds when non-zero, as NewTooManyRequests). */
function tooManyRequests(cause: string, retryAfterSeconds: number): ApiServerError {
  const s = failureStatus('TooManyRequests', TOO_MANY, { causes: [{ reason: 'DisruptionBudget', message: cause }] });
  if (retryAfterSeconds) (s.details as Record<string, unknown>).retryAfterSeconds = retryAfterSeconds;
  return new ApiServerError(429, s);
}
const stillProcessing = (name: string) => tooManyRequests(`The disruption budget ${name} is still being processed by the server.`, 10);

const isReady = (pod: Pod) => (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
const isConflict = (err: unknown) => err instanceof ApiServerError && err.code === 409;

type Pdb = { kv: { modRevision: number }; pdb: PodDisruptionBudget };

/**
 * POST pods/<name>/eviction (policy/v1 or v1beta1 Eviction), as kube's EvictionREST.Create:
 * - name mismatch → 400; dryRun (query or deleteOptions) propagates to the delete and the PDB write;
 * - a Succeeded/Failed/Pending or already-deleting pod is deleted at once (Running ones with a resourceVersion
 *   precondition); conflicts are retried unless the caller set a resourceVersion precondition;
 * - PDBs with a non-empty selector matching the pod: more than one → a 500 Failure Status "This pod has more than
 *   one PodDisruptionBudget, which the eviction subresource does not support."; one → an unready pod is deleted
 *   without spending the budget when the policy is AlwaysAllow or currentHealthy ≥ desiredHealthy > 0; otherwise
 *   checkAndDecrement: observedGeneration behind → 429 "…still being processed by the server." (retry 10s),
 *   disruptionsAllowed < 0 or > 2000 disruptedPods → 403, 0 → 429 "The disruption budget <n> needs <d> healthy pods
 *   and has <c> currently", else disruptionsAllowed−1 (+ DisruptionAllowed=False at 0) and disruptedPods[pod]=now
 *   written with a CAS on the PDB (re-read and re-checked on conflict);
 * Answers 201 with a Success Status.
 */
export async function evictionHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const version = (rr.req.body as { apiVersion?: string } | undefined)?.apiVersion === 'policy/v1beta1' ? 'policy/v1beta1' : 'policy/v1';
  const eviction = decodeBody(rr, 'Eviction', version) as KubeObject & { deleteOptions?: DeleteOptions };
  await nodeRestrictionEviction(ctx, rr, eviction.metadata?.name);
  if (eviction.metadata?.name !== rr.name) throw badRequest('name in URL does not match name in Eviction object');
  const original: DeleteOptions = { ...(eviction.deleteOptions ?? {}) };
  const queryDryRun = rr.query.dryRun ? [rr.query.dryRun] : [];
  if (!original.dryRun?.length) original.dryRun = queryDryRun;
  else if (queryDryRun.length && JSON.stringify(queryDryRun) !== JSON.stringify(original.dryRun)) {
    throw badRequest(`Non-matching dry-run options in request and content: [${queryDryRun.join(' ')}] and [${original.dryRun.join(' ')}]`);
  }
  const dryRun = original.dryRun.includes('All');
  const rvUnset = !original.preconditions?.resourceVersion;
  const podRr: ResourceRequest = { ...rr, subresource: undefined, query: dryRun ? { dryRun: 'All' } : {}, req: { ...rr.req, method: 'DELETE', body: original } };
  const withRv = (rv: string | undefined): DeleteOptions => ({ ...original, preconditions: { ...original.preconditions, resourceVersion: rv } });
  const success: ApiResponse = { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };

  let pod!: Pod;
  for (let attempt = 0; ; attempt++) {
    pod = (await loadObject(ctx, podRr)).obj as unknown as Pod;
    const phase = pod.status?.phase;
    const terminal = phase === 'Succeeded' || phase === 'Failed';
    if (!terminal && phase !== 'Pending' && !pod.metadata?.deletionTimestamp) break;
    try {
      await deleteObject(ctx, podRr, !terminal && !pod.metadata?.deletionTimestamp && rvUnset ? withRv(pod.metadata?.resourceVersion) : original);
      return success;
    } catch (err) {
      if (!isConflict(err) || !rvUnset || attempt >= RETRIES) throw err;
    }
  }

  const pdbStrategy = (ctx.resources ?? builtinTable).lookup('policy', 'v1', PodDisruptionBudgets.resource)!;
  const matching = (await ctx.store.list(keyPrefix(pdbStrategy, rr.namespace))).kvs
    .map((kv) => ({ kv, pdb: decodeKv(kv) as unknown as PodDisruptionBudget }))
    .filter(({ pdb }) => {
      const sel = labelSelectorAsSelector(pdb.spec?.selector);
      return sel !== 'nothing' && !sel.empty && sel.matches(pod.metadata?.labels ?? {});
    });
  if (matching.length > 1) {
    return { status: 500, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.', code: 500 } };
  }
  let updateDeletionOptions = false;
  const pdbName = matching[0]?.pdb.metadata?.name ?? '';
  if (matching.length === 1) {
    const st = matching[0].pdb.status;
    const alwaysAllow = matching[0].pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow';
    if (!isReady(pod) && (alwaysAllow || ((st?.desiredHealthy ?? 0) > 0 && (st?.currentHealthy ?? 0) >= (st?.desiredHealthy ?? 0)))) updateDeletionOptions = true;
    else await checkAndDecrement(ctx, pdbStrategy, matching[0], pod.metadata!.name!, dryRun);
  }
  try {
    await deleteObject(ctx, podRr, updateDeletionOptions && rvUnset ? withRv(pod.metadata?.resourceVersion) : original);
  } catch (err) {
    if (isConflict(err) && updateDeletionOptions && rvUnset) throw stillProcessing(pdbName);
    throw err;
  }
  return success;
}

/** kube's checkAndDecrement, retried on a write conflict with the PDB re-read (RetryOnConflict). */
async function checkAndDecrement(ctx: ApiContext, strategy: Parameters<typeof objectKey>[0], first: Pdb, podName: string, dryRun: boolean): Promise<void> {
  const key = objectKey(strategy, first.pdb.metadata?.namespace, first.pdb.metadata!.name!);
  let { kv, pdb } = first;
  for (let attempt = 0; ; attempt++) {
    const name = pdb.metadata?.name ?? '';
    const st = pdb.status ?? ({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 } as NonNullable<PodDisruptionBudget['status']>);
    if ((st.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) throw stillProcessing(name);
    if (st.disruptionsAllowed < 0) throw forbiddenError(PDB_GR, name, 'pdb disruptions allowed is negative');
    if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) throw forbiddenError(PDB_GR, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
    if (!st.disruptionsAllowed) throw tooManyRequests(`The disruption budget ${name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`, 0);
    if (dryRun) return;
    const now = rfc3339(ctx.clock.now());
    const status = { ...st, disruptionsAllowed: st.disruptionsAllowed - 1, disruptedPods: { ...(st.disruptedPods ?? {}), [podName]: now } };
    if (status.disruptionsAllowed === 0) {
      const old = st.conditions?.find((c) => c.type === 'DisruptionAllowed');
      const c: Condition = { type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods', message: '', observedGeneration: st.observedGeneration, lastTransitionTime: old?.status === 'False' ? old.lastTransitionTime : now };
      status.conditions = [...(st.conditions ?? []).filter((x) => x.type !== 'DisruptionAllowed'), c];
    }
    const res = await ctx.store.update(key, encodeObject({ ...pdb, status } as never), kv.modRevision);
    if (res.ok) return;
    if (!res.kv || attempt >= RETRIES) {
      const s = failureStatus('Timeout', `Timeout: couldn't update PodDisruptionBudget "${name}" due to conflicts`);
      throw new ApiServerError(504, { ...s, details: { retryAfterSeconds: 10 } } as never);
    }
    kv = res.kv;
    pdb = decodeKv(res.kv) as unknown as PodDisruptionBudget;
  }
}
