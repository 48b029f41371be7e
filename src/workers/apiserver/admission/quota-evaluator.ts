import type { Container, PersistentVolumeClaim, Pod, Service } from 'kubernetes-types/core/v1';
import type { ResourceRef } from '../../../api/resources';
import { claimClass, claimStorage, isTerminalPod, POD_COMPUTE, podResourceTerms, serviceNodePorts } from '../../controller-manager/quota-usage';
import type { KubeObject } from '../registry/strategy';
import { milli } from './quantities';

/** One resource's usage: exact milli-units plus a quantity text whose format (binary/decimal) printing follows. */
export interface Amount {
  m: bigint;
  like?: string;
}
export type Usage = Record<string, Amount>;

const LEGACY_COUNTED = new Set(['services', 'configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas', 'persistentvolumeclaims']);
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const ONE: Amount = { m: 1000n };
const count = (n: number): Amount => ({ m: BigInt(n) * 1000n });

export const countName = (ref: Pick<ResourceRef, 'group' | 'resource'>) => `count/${ref.resource}${ref.group ? `.${ref.group}` : ''}`;

/** The quota resource names an object of ref can consume (evaluator.MatchingResources before intersecting with hard). */
export function matches(ref: ResourceRef, name: string): boolean {
  if (name === countName(ref)) return true;
  if (ref.group !== '') return false;
  if (LEGACY_COUNTED.has(ref.resource) && name === ref.resource) return true;
  if (ref.resource === 'pods') return name === 'pods' || POD_COMPUTE[name] !== undefined;
  if (ref.resource === 'services') return name === 'services.nodeports' || name === 'services.loadbalancers';
  if (ref.resource === 'persistentvolumeclaims') return name === 'requests.storage' || name.includes(STORAGE_CLASS_SUFFIX);
  return false;
}

function sumTerms(terms: string[]): Amount | undefined {
  if (!terms.length) return undefined;
  return { m: terms.reduce((s, t) => s + milli(t), 0n), like: terms[0] };
}

/** evaluator.Usage: what obj consumes of every resource name it can match (pods in a terminal phase: nothing). */
export function usageOf(ref: ResourceRef, obj: KubeObject): Usage {
  const u: Usage = { [countName(ref)]: ONE };
  if (ref.group !== '') return u;
  if (LEGACY_COUNTED.has(ref.resource)) u[ref.resource] = ONE;
  if (ref.resource === 'pods') {
    const pod = obj as unknown as Pod;
    if (isTerminalPod(pod)) return {};
    u.pods = ONE;
    for (const [name, [kind, resource]] of Object.entries(POD_COMPUTE)) {
      const a = sumTerms(podResourceTerms(pod, kind, resource));
      if (a) u[name] = a;
    }
  } else if (ref.resource === 'services') {
    const svc = obj as unknown as Service;
    u['services.nodeports'] = count(serviceNodePorts(svc));
    u['services.loadbalancers'] = count(svc.spec?.type === 'LoadBalancer' ? 1 : 0);
  } else if (ref.resource === 'persistentvolumeclaims') {
    const pvc = obj as unknown as PersistentVolumeClaim;
    const storage = claimStorage(pvc);
    const cls = claimClass(pvc);
    if (storage !== undefined) u['requests.storage'] = { m: milli(storage), like: storage };
    if (cls) {
      u[`${cls}${STORAGE_CLASS_SUFFIX}persistentvolumeclaims`] = ONE;
      if (storage !== undefined) u[`${cls}${STORAGE_CLASS_SUFFIX}requests.storage`] = { m: milli(storage), like: storage };
    }
  }
  return u;
}

const VALIDATION_SET = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'];

/** podEvaluator.Constraints: with cpu/memory quota'd, every container must state them: `must specify limits.cpu for: a,b; memory for: a`. */
export function podConstraints(pod: Pod, tracked: string[]): string | undefined {
  const required = VALIDATION_SET.filter((r) => tracked.includes(r));
  if (!required.length) return undefined;
  const missing = new Map<string, Set<string>>();
  const visit = (c: Container) => {
    const has = new Set<string>();
    for (const r of ['cpu', 'memory']) {
      if (c.resources?.requests?.[r] !== undefined) has.add(r).add(`requests.${r}`);
      if (c.resources?.limits?.[r] !== undefined) has.add(`limits.${r}`);
    }
    for (const r of required) if (!has.has(r)) (missing.get(r) ?? missing.set(r, new Set()).get(r)!).add(c.name);
  };
  for (const c of pod.spec?.containers ?? []) visit(c);
  for (const c of pod.spec?.initContainers ?? []) visit(c);
  if (!missing.size) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}
