import type { Binding, Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { ApiResponse } from '../../../api/protocol';
import { rfc3339 } from '../../../api/clock';
import { isDryRun, type ApiContext, type ResourceRequest } from '../context';
import { badRequest, conflict, internalError, notFound } from '../errors';
import { aggregate, notSupported, required, type FieldError } from '../field-errors';
import { decodeKv, encodeObject, objectKey } from '../object-codec';
import { podStrategy } from '../registry/pod-strategy';
import { decodeBody } from './decode';

const BINDING_REF = { group: '', resource: 'pods/binding' };

/**
 * POST pods/<name>/binding (or POST bindings): sets spec.nodeName, merges the binding's annotations and
 * sets PodScheduled=True. 409 Conflict `Operation cannot be fulfilled on pods/binding "x": pod x is already
 * assigned to node "y"`; 201 with a Success Status.
 */
export async function bindingHandler(ctx: ApiContext, rr: ResourceRequest): Promise<ApiResponse> {
  const binding = decodeBody(rr, 'Binding', 'v1') as unknown as Binding;
  const name = rr.name ?? binding.metadata?.name ?? '';
  if (rr.name !== undefined && binding.metadata?.name !== rr.name) throw badRequest('name in URL does not match name in Binding object');
  const errs: FieldError[] = [];
  if (binding.target?.kind && binding.target.kind !== 'Node') errs.push(notSupported('target.kind', binding.target.kind, ['Node', '<empty>']));
  if (!binding.target?.name) errs.push(required('target.name', ''));
  if (errs.length) throw internalError(aggregate(errs));
  const node = binding.target.name;
  const key = objectKey(podStrategy, rr.namespace, name);
  for (;;) {
    const { kv } = await ctx.store.get(key);
    if (!kv) throw notFound(podStrategy.ref, name);
    const pod = decodeKv(kv) as unknown as Pod;
    if (binding.metadata?.uid && binding.metadata.uid !== pod.metadata?.uid) {
      throw conflict(BINDING_REF, name, `Precondition failed: UID in precondition: ${binding.metadata.uid}, UID in object meta: ${pod.metadata?.uid}`);
    }
    if (pod.metadata?.deletionTimestamp) throw conflict(BINDING_REF, name, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (pod.spec?.nodeName) throw conflict(BINDING_REF, name, `pod ${name} is already assigned to node "${pod.spec.nodeName}"`);
    if ((pod.spec?.schedulingGates ?? []).length) throw conflict(BINDING_REF, name, `pod ${name} has non-empty .spec.schedulingGates`);
    pod.spec!.nodeName = node;
    if (binding.metadata?.annotations) pod.metadata!.annotations = { ...(pod.metadata!.annotations ?? {}), ...binding.metadata.annotations };
    const status = ((pod as { status?: NonNullable<Pod['status']> }).status ??= {});
    const conds = (status.conditions ??= []);
    const existing = conds.find((c: PodCondition) => c.type === 'PodScheduled');
    if (!existing) conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(ctx.clock.now()) } as unknown as PodCondition);
    else if (existing.status !== 'True') {
      existing.status = 'True';
      existing.lastTransitionTime = rfc3339(ctx.clock.now());
      delete existing.reason;
      delete existing.message;
    }
    if (isDryRun(rr)) break;
    const res = await ctx.store.update(key, encodeObject(pod as never), kv.modRevision);
    if (res.ok) break;
    if (!res.kv) throw notFound(podStrategy.ref, name);
  }
  return { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
}
