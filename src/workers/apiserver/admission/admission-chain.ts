import type { ApiContext, ResourceRequest } from '../context';
import type { KubeObject } from '../registry/strategy';
import { warningHeaders } from '../handlers/field-validation';
import { attributesFor, type AdmissionAttributes, type AdmissionPlugin } from './admission';
import { defaultIngressClassPlugin } from './default-ingress-class';
import { defaultStorageClassPlugin } from './default-storage-class';
import { defaultTolerationSeconds } from './default-toleration-seconds';
import { limitRanger } from './limit-ranger';
import { namespaceLifecycle } from './namespace-lifecycle';
import { nodeRestriction } from './node-restriction';
import { podSecurity } from './pod-security';
import { priority } from './priority';
import { resourceQuota } from './resource-quota';
import { serviceAccount } from './service-account';
import { validatingAdmissionPolicy } from '../crd/admission-policy';

/** kube-apiserver 1.32's default-enabled plugins that Tabernetes runs, in its plugin order (AllOrderedPlugins). */
export const ADMISSION_PLUGINS: AdmissionPlugin[] = [
  namespaceLifecycle,
  limitRanger,
  serviceAccount,
  nodeRestriction,
  podSecurity,
  priority,
  defaultTolerationSeconds,
  defaultStorageClassPlugin,
  defaultIngressClassPlugin,
  validatingAdmissionPolicy,
  resourceQuota,
];

/** Keyed by the ApiRequest, which every ResourceRequest derived from it shares (scale writes commit through a copy). */
const warningsByRequest = new WeakMap<ResourceRequest['req'], string[]>();

/** The Warning texts admission produced for this request so far (PodSecurity warn), to add to the response's header. */
export function admissionWarnings(rr: ResourceRequest): string[] {
  return warningsByRequest.get(rr.req) ?? [];
}

/**
 * One write's pass through the chain. Handlers call mutate() after decoding and defaulting, before the strategy's
 * prepare/validate, and validate() after validation, before the store write (and before strategy.admit). Plugins
 * run in ADMISSION_PLUGINS order within each phase; the first refusal (ApiServerError) ends the request. Runs for
 * the main resource only, except plugins marked `subresources` (NodeRestriction, ValidatingAdmissionPolicy), which also see subresource writes. dryRun=All runs every plugin but
 * nothing is written (ResourceQuota does not charge the quota).
 */
export class AdmissionRun {
  private readonly attrs?: AdmissionAttributes;
  /** Subresource writes run only the plugins that ask for them (NodeRestriction, ValidatingAdmissionPolicy). */
  private readonly plugins: AdmissionPlugin[];

  constructor(ctx: ApiContext, rr: ResourceRequest, operation: 'CREATE' | 'UPDATE', obj: KubeObject, old?: KubeObject) {
    this.plugins = rr.subresource ? ADMISSION_PLUGINS.filter((p) => p.subresources) : ADMISSION_PLUGINS;
    if (!this.plugins.length) return;
    this.attrs = attributesFor(ctx, rr, operation, obj, old);
    warningsByRequest.set(rr.req, this.attrs.warnings);
  }

  async mutate(): Promise<void> {
    if (!this.attrs) return;
    for (const p of this.plugins) await p.admit?.(this.attrs);
  }

  /** obj may have been replaced since mutate() (the strategy's prepare); pass the object to be stored. */
  async validate(obj: KubeObject): Promise<void> {
    if (!this.attrs) return;
    this.attrs.obj = obj;
    for (const p of this.plugins) await p.validate?.(this.attrs);
  }
}

/**
 * Validating admission for the DELETE of one stored object (kube runs it inside the registry's Delete, after
 * the preconditions, on every retry): of our plugins only ValidatingAdmissionPolicy acts on DELETE
 * (NodeRestriction's check is nodeRestrictionDelete), with oldObject the stored object, object null and
 * options the request's DeleteOptions. Warnings go to `warningsTo`'s admissionWarnings (the collection
 * request for deletecollection). Throws the refusal.
 */
export async function validateDelete(ctx: ApiContext, rr: ResourceRequest, obj: KubeObject, options: Record<string, unknown>, warningsTo: ResourceRequest = rr): Promise<void> {
  const attrs = attributesFor(ctx, rr, 'DELETE', obj, obj);
  attrs.options = { ...options };
  let warnings = warningsByRequest.get(warningsTo.req);
  if (!warnings) warningsByRequest.set(warningsTo.req, (warnings = []));
  attrs.warnings = warnings;
  await validatingAdmissionPolicy.validate!(attrs);
}

/** Spreads into a response: its headers with admission's Warning texts appended after the field-validation ones. */
export function withAdmissionWarnings(rr: ResourceRequest, headers?: Record<string, string>): { headers?: Record<string, string> } {
  const extra = warningHeaders(admissionWarnings(rr));
  if (!extra) return headers ? { headers } : {};
  return { headers: { ...headers, warning: headers?.warning ? `${headers.warning}, ${extra.warning}` : extra.warning } };
}
