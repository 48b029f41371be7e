import { matchesLabelSelector } from '../../../api/label-selector';
import { getStored, listStored, type AdmissionAttributes } from '../admission/admission';
import { builtinTable } from '../registry/registry';
import { kindFor, type PolicyMatch } from './policy-match';

type Obj = Record<string, any>;

/** ParamKind.String() as Go prints it in CollectParams' errors. */
const paramKindText = (pk: Obj) => `&ParamKind{APIVersion:${pk.apiVersion ?? ''},Kind:${pk.kind ?? ''},}`;

/**
 * generic.CollectParams (1.32): the params a binding evaluates its policy with — [null] without paramKind
 * or paramRef; paramRef.name: that object (none when absent); paramRef.selector: every object of paramKind
 * it selects (in key order; {} selects all), in paramRef.namespace or else the request's namespace for a
 * namespaced paramKind. Returns { error } (kube's text) for a configuration error, including no params
 * with parameterNotFoundAction Deny.
 */
export async function collectParams(policy: Obj, binding: Obj, a: AdmissionAttributes): Promise<{ params: unknown[] } | { error: string }> {
  const pk = policy.spec?.paramKind;
  const pr = binding.spec?.paramRef;
  if (!pk || !pr) return { params: [null] };
  const apiVersion = String(pk.apiVersion ?? '');
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const s = (a.ctx.resources ?? builtinTable).all().find((x) => x.ref.group === group && x.ref.version === version && x.ref.kind === pk.kind);
  if (!s) return { error: `paramKind kind \`${paramKindText(pk)}\` not known` };
  let ns: string | undefined;
  if (s.ref.namespaced) {
    ns = pr.namespace || a.namespace;
    if (!ns) return { error: 'cannot use namespaced paramRef in policy binding that matches cluster-scoped resources' };
  } else if (pr.namespace) return { error: 'paramRef.namespace must not be provided for a cluster-scoped `paramKind`' };
  let params: Obj[];
  if (pr.name) {
    if (pr.selector) return { error: 'paramRef.name and paramRef.selector are mutually exclusive' };
    const p = await getStored<Obj>(a.ctx, s.ref, ns, pr.name);
    params = p ? [p] : [];
  } else if (pr.selector) {
    params = (await listStored<Obj>(a.ctx, s.ref, ns)).filter((p) => matchesLabelSelector(pr.selector, p.metadata?.labels ?? {}));
  } else return { error: 'one of name or selector must be provided' };
  if (!params.length && pr.parameterNotFoundAction === 'Deny') return { error: 'no params found for policy binding with `Deny` parameterNotFoundAction' };
  return { params: params.map((p) => ({ apiVersion, kind: pk.kind, ...p })) };
}

/** cel.CreateNamespaceObject: the Namespace as policies see it (spec, status and most of metadata). */
export function namespaceObjectFor(ns: Obj | undefined): Obj | null {
  if (!ns) return null;
  const m = ns.metadata ?? {};
  const keep = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'finalizers'];
  const metadata = Object.fromEntries(keep.filter((k) => m[k] !== undefined).map((k) => [k, m[k]]));
  return { metadata, spec: ns.spec ?? {}, status: ns.status ?? {} };
}

const OPTIONS_KIND = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions' } as const;

/**
 * cel.CreateAdmissionRequest as JSON (admission/v1 AdmissionRequest, omitempty fields left out): uid "",
 * kind/resource the policy's match (the equivalent resource and kind the rule named under matchPolicy
 * Equivalent, else the request's), requestKind/requestResource/requestSubResource the request's own,
 * subResource, name (none yet for generateName), namespace, operation,
 * userInfo {username, uid, groups, extra}, dryRun and options (CreateOptions/UpdateOptions/DeleteOptions; null for CONNECT).
 * A scale subresource write is of kind autoscaling/v1 Scale, resource the scaled resource.
 */
export function admissionRequest(a: AdmissionAttributes, match?: Pick<PolicyMatch, 'kind' | 'resource'>): Obj {
  const requestKind = kindFor(a.ref, a.subresource);
  const requestResource = { group: a.ref.group, version: a.ref.version, resource: a.ref.resource };
  const kind = match?.kind ?? requestKind;
  const resource = match?.resource ?? requestResource;
  const u = a.user;
  const name = a.operation === 'CONNECT' ? a.name : a.obj.metadata?.name || a.old?.metadata?.name || '';
  const userInfo: Obj = {};
  if (u?.username) userInfo.username = u.username;
  if (u?.uid) userInfo.uid = u.uid;
  if (u?.groups?.length) userInfo.groups = u.groups;
  if (u?.extra && Object.keys(u.extra).length) userInfo.extra = u.extra;
  return {
    uid: '',
    kind,
    resource,
    ...(a.subresource ? { subResource: a.subresource } : {}),
    requestKind,
    requestResource,
    ...(a.subresource ? { requestSubResource: a.subresource } : {}),
    ...(name ? { name } : {}),
    ...(a.namespace ? { namespace: a.namespace } : {}),
    operation: a.operation,
    userInfo,
    dryRun: a.dryRun,
    // CONNECT carries no operation options (a null RawExtension)
    options: a.operation === 'CONNECT' ? null : { kind: OPTIONS_KIND[a.operation], apiVersion: 'meta.k8s.io/v1', ...a.options },
  };
}
