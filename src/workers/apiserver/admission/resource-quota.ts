import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1';
import type { KeyValue } from '../../../storage/store';
import { internalError } from '../errors';
import { decodeKv, encodeObject, keyPrefix } from '../object-codec';
import { lookupStrategy } from '../registry/registry';
import { admissionForbidden, type AdmissionAttributes, type AdmissionPlugin } from './admission';
import { formatMilli, milli, quantityString } from './quantities';
import { matches, podConstraints, usageOf, type Usage } from './quota-evaluator';
import { matchesQuotaScopes } from '../../controller-manager/quota-usage';

const MAX_RETRIES = 3;
type Quota = { kv: KeyValue; q: ResourceQuota };

const str = (v: unknown) => (v === undefined ? undefined : String(v));
const prettyPrint = (names: string[], value: (n: string) => string) => names.map((n) => `${n}=${value(n)}`).join(',');

/** The usage delta of this write: the object's usage on create; new minus old on update. */
function requestedUsage(a: AdmissionAttributes): Usage {
  const now = usageOf(a.ref, a.obj);
  if (a.operation === 'CREATE' || !a.old) return now;
  const before = usageOf(a.ref, a.old);
  const out: Usage = {};
  for (const k of new Set([...Object.keys(now), ...Object.keys(before)])) out[k] = { m: (now[k]?.m ?? 0n) - (before[k]?.m ?? 0n), like: now[k]?.like ?? before[k]?.like };
  return out;
}

async function loadQuotas(a: AdmissionAttributes): Promise<Quota[]> {
  const s = lookupStrategy('', 'v1', 'resourcequotas')!;
  const { kvs } = await a.ctx.store.list(keyPrefix(s, a.namespace));
  return kvs.map((kv) => ({ kv, q: decodeKv(kv) as unknown as ResourceQuota }));
}

/**
 * Checks the request against every quota; returns the quotas whose status.used must grow (new objects), or throws
 * the plugin's 403: `failed quota: q: must specify ...`, `status unknown for quota: q, resources: a,b`,
 * `exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2`.
 */
function check(a: AdmissionAttributes, quotas: Quota[]): Quota[] {
  const delta = requestedUsage(a);
  const interesting: Array<{ quota: Quota; tracked: string[] }> = [];
  const isPod = a.ref.group === '' && a.ref.resource === 'pods';
  for (const quota of quotas) {
    const hard = (quota.q.status?.hard ?? {}) as Record<string, unknown>;
    const tracked = Object.keys(hard).filter((n) => matches(a.ref, n)).sort();
    if (!tracked.length || !matchesQuotaScopes(quota.q as never, isPod, a.obj)) continue;
    const name = quota.q.metadata?.name ?? '';
    if (a.ref.group === '' && a.ref.resource === 'pods') {
      const msg = podConstraints(a.obj as unknown as Pod, tracked);
      if (msg) throw admissionForbidden(a, `failed quota: ${name}: ${msg}`);
    }
    const used = (quota.q.status?.used ?? {}) as Record<string, unknown>;
    if (tracked.some((n) => used[n] === undefined)) throw admissionForbidden(a, `status unknown for quota: ${name}, resources: ${tracked.join(',')}`);
    interesting.push({ quota, tracked });
  }
  const changed: Quota[] = [];
  for (const { quota, tracked } of interesting) {
    const hard = quota.q.status!.hard as Record<string, unknown>;
    const used = quota.q.status!.used as Record<string, unknown>;
    const requested = tracked.filter((n) => (delta[n]?.m ?? 0n) !== 0n);
    if (!requested.length) continue;
    const next = (n: string) => milli(str(used[n])) + delta[n].m;
    const exceeded = requested.filter((n) => next(n) > milli(str(hard[n])));
    if (exceeded.length) {
      const name = quota.q.metadata?.name ?? '';
      throw admissionForbidden(
        a,
        `exceeded quota: ${name}, requested: ${prettyPrint(exceeded, (n) => formatMilli(delta[n].m, delta[n].like ?? str(hard[n])))}, ` +
          `used: ${prettyPrint(exceeded, (n) => quantityString(str(used[n])))}, limited: ${prettyPrint(exceeded, (n) => quantityString(str(hard[n])))}`,
      );
    }
    const newUsed: Record<string, string> = { ...(used as Record<string, string>) };
    for (const n of requested) newUsed[n] = formatMilli(next(n), str(used[n]) !== '0' ? str(used[n]) : delta[n].like ?? str(hard[n]));
    changed.push({ kv: quota.kv, q: { ...quota.q, status: { ...quota.q.status, used: newUsed } } });
  }
  return changed;
}

/**
 * ResourceQuota (staging/.../admission/plugin/resourcequota), last in the validating phase, on creates and
 * updates of namespaced objects (not subresources). Only quotas whose status.hard the resourcequota-controller has
 * filled in are enforced (as in kube: a quota is inert until its first sync). Usage is counted the way the
 * controller counts it (quota-evaluator.ts); a scoped quota (spec.scopes, spec.scopeSelector) only sees the pods
 * its scopes match (matchesQuotaScopes). On success (not dryRun) each affected
 * quota's status.used is raised by compare-and-swap before the object is written; a lost race re-reads the
 * quotas and checks again (up to 3 tries, then 500 `Internal error occurred: resource quota evaluation timed out`).
 */
export const resourceQuota: AdmissionPlugin = {
  name: 'ResourceQuota',
  async validate(a) {
    if (!a.namespace || a.subresource || !a.ref.namespaced) return;
    if (a.operation === 'UPDATE' && !(a.ref.group === '' && (a.ref.resource === 'services' || a.ref.resource === 'persistentvolumeclaims'))) return;
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const quotas = await loadQuotas(a);
      if (!quotas.length) return;
      const changed = check(a, quotas);
      if (a.dryRun || !changed.length) return;
      let lost = false;
      for (const { kv, q } of changed) {
        const res = await a.ctx.store.update(kv.key, encodeObject(q as never), kv.modRevision);
        if (!res.ok) lost = true;
      }
      if (!lost) return;
    }
    throw internalError(new Error('resource quota evaluation timed out'));
  },
};
