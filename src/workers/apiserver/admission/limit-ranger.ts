import type { Container, LimitRange, LimitRangeItem, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import { LimitRanges } from '../../../api/resources';
import { podResourceTerms } from '../../controller-manager/quota-usage';
import { admissionForbidden, isPod, listStored, type AdmissionAttributes, type AdmissionPlugin } from './admission';
import { aggregateMessages, formatMilli, milli, quantityString } from './quantities';

type List = Record<string, string>;
const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';
const sortedKeys = (m: Record<string, unknown> | undefined) => Object.keys(m ?? {}).sort();

/** Pod creates and PVC creates/updates (pod updates cannot change resources, so they are skipped as in 1.32). */
function applies(a: AdmissionAttributes): boolean {
  if (a.subresource) return false;
  if (isPod(a)) return a.operation === 'CREATE';
  return a.ref.group === '' && a.ref.resource === 'persistentvolumeclaims';
}

async function ranges(a: AdmissionAttributes): Promise<LimitRange[]> {
  if (!applies(a) || !a.namespace) return [];
  if (a.old?.metadata?.deletionTimestamp) return [];
  return listStored<LimitRange>(a.ctx, LimitRanges, a.namespace);
}

/** mergeContainerResources: fills missing limits from `default` and requests from `defaultRequest`; returns the annotation parts. */
function mergeContainer(c: Container, item: { requests: List; limits: List }, prefix: string): string[] {
  const res = (c.resources ??= {});
  const limits = (res.limits ??= {}) as List;
  const requests = (res.requests ??= {}) as List;
  const setL = Object.keys(item.limits).filter((k) => limits[k] === undefined);
  const setR = Object.keys(item.requests).filter((k) => requests[k] === undefined);
  for (const k of setL) limits[k] = item.limits[k];
  for (const k of setR) requests[k] = item.requests[k];
  const out: string[] = [];
  if (setR.length) out.push(`${setR.sort().join(', ')} request for ${prefix} ${c.name}`);
  if (setL.length) out.push(`${setL.sort().join(', ')} limit for ${prefix} ${c.name}`);
  return out;
}

function mutatePod(lr: LimitRange, pod: Pod): void {
  const defaults = { requests: {} as List, limits: {} as List };
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'Container') continue;
    Object.assign(defaults.requests, item.defaultRequest ?? {});
    Object.assign(defaults.limits, item.default ?? {});
  }
  const notes: string[] = [];
  for (const c of pod.spec?.containers ?? []) notes.push(...mergeContainer(c, defaults, 'container'));
  for (const c of pod.spec?.initContainers ?? []) notes.push(...mergeContainer(c, defaults, 'init container'));
  if (notes.length) (pod.metadata!.annotations ??= {})[LIMIT_RANGER_ANNOTATION] = `LimitRanger plugin set: ${notes.join('; ')}`;
}

function minConstraint(type: string, r: string, enforced: string, req: List, lim: List): string | undefined {
  const e = milli(enforced);
  if (req[r] === undefined) return `minimum ${r} usage per ${type} is ${quantityString(enforced)}.  No request is specified`;
  if (milli(req[r]) < e) return `minimum ${r} usage per ${type} is ${quantityString(enforced)}, but request is ${quantityString(req[r])}`;
  if (lim[r] !== undefined && milli(lim[r]) < e) return `minimum ${r} usage per ${type} is ${quantityString(enforced)}, but limit is ${quantityString(lim[r])}`;
  return undefined;
}

function maxConstraint(type: string, r: string, enforced: string, req: List, lim: List): string | undefined {
  const e = milli(enforced);
  if (lim[r] === undefined) return `maximum ${r} usage per ${type} is ${quantityString(enforced)}.  No limit is specified`;
  if (milli(lim[r]) > e) return `maximum ${r} usage per ${type} is ${quantityString(enforced)}, but limit is ${quantityString(lim[r])}`;
  if (req[r] !== undefined && milli(req[r]) > e) return `maximum ${r} usage per ${type} is ${quantityString(enforced)}, but request is ${quantityString(req[r])}`;
  return undefined;
}

function maxRequestConstraint(type: string, r: string, enforced: string, req: List): string | undefined {
  if (req[r] === undefined) return `maximum ${r} usage per ${type} is ${quantityString(enforced)}.  No request is specified`;
  if (milli(req[r]) > milli(enforced)) return `maximum ${r} usage per ${type} is ${quantityString(enforced)}, but request is ${quantityString(req[r])}`;
  return undefined;
}

function ratioConstraint(type: string, r: string, enforced: string, req: List, lim: List): string | undefined {
  const rq = milli(req[r]);
  const lm = milli(lim[r]);
  if (req[r] === undefined || rq === 0n) return `${r} max limit to request ratio per ${type} is ${quantityString(enforced)}, but no request is specified or request is 0`;
  if (lim[r] === undefined || lm === 0n) return `${r} max limit to request ratio per ${type} is ${quantityString(enforced)}, but no limit is specified or limit is 0`;
  const ratio = Number(lm) / Number(rq);
  if (ratio * 1000 > Number(milli(enforced))) return `${r} max limit to request ratio per ${type} is ${quantityString(enforced)}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function checkItem(item: LimitRangeItem, req: List, lim: List): string[] {
  const out: Array<string | undefined> = [];
  for (const k of sortedKeys(item.min)) out.push(minConstraint(item.type, k, item.min![k], req, lim));
  for (const k of sortedKeys(item.max)) out.push(maxConstraint(item.type, k, item.max![k], req, lim));
  for (const k of sortedKeys(item.maxLimitRequestRatio)) out.push(ratioConstraint(item.type, k, item.maxLimitRequestRatio![k], req, lim));
  return out.filter((m): m is string => m !== undefined);
}

/** PodRequests / PodLimits for the resources a Pod-type item names. */
function podTotals(pod: Pod, item: LimitRangeItem, kind: 'requests' | 'limits'): List {
  const out: List = {};
  const names = new Set([...sortedKeys(item.min), ...sortedKeys(item.max), ...sortedKeys(item.maxLimitRequestRatio)]);
  for (const r of names) {
    const terms = podResourceTerms(pod, kind, r);
    if (kind === 'limits' && (pod.spec?.containers ?? []).some((c) => c.resources?.limits?.[r] === undefined)) continue;
    if (!terms.length) continue;
    out[r] = formatMilli(terms.reduce((s, t) => s + milli(t), 0n), terms[0]);
  }
  return out;
}

function validatePod(lr: LimitRange, pod: Pod): string[] {
  const errs: string[] = [];
  for (const item of lr.spec?.limits ?? []) {
    if (item.type === 'Container') {
      for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
        errs.push(...checkItem(item, (c.resources?.requests ?? {}) as List, (c.resources?.limits ?? {}) as List));
      }
    } else if (item.type === 'Pod') {
      errs.push(...checkItem(item, podTotals(pod, item, 'requests'), podTotals(pod, item, 'limits')));
    }
  }
  return errs;
}

function validateClaim(lr: LimitRange, pvc: PersistentVolumeClaim): string[] {
  const errs: Array<string | undefined> = [];
  const req = (pvc.spec?.resources?.requests ?? {}) as List;
  for (const item of lr.spec?.limits ?? []) {
    if (item.type !== 'PersistentVolumeClaim') continue;
    for (const k of sortedKeys(item.min)) errs.push(minConstraint(item.type, k, item.min![k], req, {}));
    for (const k of sortedKeys(item.max)) errs.push(maxRequestConstraint(item.type, k, item.max![k], req));
  }
  return errs.filter((m): m is string => m !== undefined);
}

/**
 * LimitRanger (plugin/pkg/admission/limitranger): for each LimitRange in the namespace, pods being created get
 * the Container defaults (`default` → limits, `defaultRequest` → requests, noted in the kubernetes.io/limit-ranger
 * annotation); then min / max / maxLimitRequestRatio are enforced per Container and per Pod, and min/max storage
 * per PersistentVolumeClaim. Refusal: 403 `pods "x" is forbidden: maximum cpu usage per Container is 1, but limit
 * is 2` (several violations of one LimitRange aggregated as "[a, b]").
 */
export const limitRanger: AdmissionPlugin = {
  name: 'LimitRanger',
  async admit(a) {
    if (!isPod(a)) return;
    for (const lr of await ranges(a)) mutatePod(lr, a.obj as unknown as Pod);
  },
  async validate(a) {
    for (const lr of await ranges(a)) {
      const errs = isPod(a) ? validatePod(lr, a.obj as unknown as Pod) : validateClaim(lr, a.obj as unknown as PersistentVolumeClaim);
      if (errs.length) throw admissionForbidden(a, aggregateMessages(errs));
    }
  },
};
