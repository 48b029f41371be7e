import type { ResourceRef } from '../../../api/resources';
import type { UserInfo } from '../../../api/protocol';
import { isDryRun, type ApiContext, type ResourceRequest } from '../context';
import { forbiddenError, type ApiServerError } from '../errors';
import { decodeKv, keyPrefix, objectKey } from '../object-codec';
import { lookupStrategy } from '../registry/registry';
import { addAuditAnnotation } from '../authz/audit-ring';
import type { KubeObject } from '../registry/strategy';

/** admission.Attributes: one write as the plugins see it. obj is mutated in place by mutating plugins. */
export interface AdmissionAttributes {
  ctx: ApiContext;
  /**
   * DELETE only reaches ValidatingAdmissionPolicy (admitDelete); obj is then the object being deleted, as old.
   * CONNECT (pods/exec, attach, portforward) only reaches ValidatingAdmissionPolicy (crd/connect-admission);
   * obj is then the options object (PodExecOptions, …) and name the pod's.
   */
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  ref: ResourceRef;
  /** The request path's namespace ('' for cluster-scoped resources). */
  namespace: string;
  /** metadata.name, else metadata.generateName (name generation has not happened yet), as admission.NewForbidden names the object. */
  name: string;
  subresource?: string;
  obj: KubeObject;
  old?: KubeObject;
  dryRun: boolean;
  /** Warning header texts the plugins add (PodSecurity warn). */
  warnings: string[];
  /** The authenticated user (after impersonation), when the request carried one. */
  user?: UserInfo;
  /** The request's CreateOptions/UpdateOptions fields (dryRun, fieldManager, fieldValidation) as sent. */
  options?: Record<string, unknown>;
  /** admission.Attributes.AddAnnotation: an audit annotation on this request's audit entry (first value wins). */
  addAnnotation?(key: string, value: string): void;
}

/**
 * One admission plugin (plugin/pkg/admission/*). admit mutates attrs.obj (mutating phase, before the
 * strategy's prepare/validate); validate may only refuse (validating phase, after validation, before the
 * write). Both refuse by throwing an ApiServerError.
 */
export interface AdmissionPlugin {
  name: string;
  admit?(a: AdmissionAttributes): Promise<void>;
  validate?(a: AdmissionAttributes): Promise<void>;
  /** Also run for writes to subresources (status, …); other plugins see only the main resource. */
  subresources?: boolean;
}

export function attributesFor(ctx: ApiContext, rr: ResourceRequest, operation: AdmissionAttributes['operation'], obj: KubeObject, old?: KubeObject): AdmissionAttributes {
  const ref = rr.strategy.ref;
  return {
    ctx,
    operation,
    ref,
    namespace: ref.namespaced ? rr.namespace ?? obj.metadata?.namespace ?? '' : '',
    name: obj.metadata?.name || obj.metadata?.generateName || '',
    subresource: rr.subresource,
    obj,
    old,
    dryRun: isDryRun(rr),
    warnings: [],
    ...(rr.req.user ? { user: rr.req.user } : {}),
    options: {
      ...(rr.query.dryRun ? { dryRun: [rr.query.dryRun] } : {}),
      ...(rr.query.fieldManager ? { fieldManager: rr.query.fieldManager } : {}),
      ...(rr.query.fieldValidation ? { fieldValidation: rr.query.fieldValidation } : {}),
    },
    addAnnotation: (key, value) => void addAuditAnnotation(rr.req, key, value),
  };
}

/** admission.NewForbidden: `<resource> "<name>" is forbidden: <reason>` (name "Unknown" when the object has none). */
export function admissionForbidden(a: AdmissionAttributes, reason: string): ApiServerError {
  return forbiddenError(a.ref, a.name || 'Unknown', reason);
}

export const isPod = (a: AdmissionAttributes) => a.ref.group === '' && a.ref.resource === 'pods' && !a.subresource;

function strategyOf(ref: ResourceRef) {
  const s = lookupStrategy(ref.group, ref.version, ref.resource);
  if (!s) throw new Error(`admission: no strategy for ${ref.resource}`);
  return s;
}

/** Lists stored objects of ref (in namespace ns when namespaced), straight from the store. */
export async function listStored<T>(ctx: ApiContext, ref: ResourceRef, ns?: string): Promise<T[]> {
  const { kvs } = await ctx.store.list(keyPrefix(strategyOf(ref), ns));
  return kvs.map((kv) => decodeKv(kv) as unknown as T);
}

/** One stored object, or undefined. */
export async function getStored<T>(ctx: ApiContext, ref: ResourceRef, ns: string | undefined, name: string): Promise<T | undefined> {
  const { kv } = await ctx.store.get(objectKey(strategyOf(ref), ns, name));
  return kv ? (decodeKv(kv) as unknown as T) : undefined;
}
