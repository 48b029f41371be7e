import type { Node, Pod } from 'kubernetes-types/core/v1';
import { Pods } from '../../../api/resources';
import type { ApiContext, ResourceRequest } from '../context';
import { nodeIdentity } from '../authz/component-identities';
import { forbiddenError } from '../errors';
import { admissionForbidden, getStored, type AdmissionAttributes, type AdmissionPlugin } from './admission';

const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sameLabels = (a?: Record<string, string>, b?: Record<string, string>) => {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b ?? {}).length && ka.every((k) => b?.[k] === a?.[k]);
};

function admitPod(node: string, a: AdmissionAttributes): void {
  const pod = a.obj as Pod;
  if (!a.subresource) {
    if (a.operation !== 'CREATE') throw admissionForbidden(a, `unexpected operation "${a.operation}", node "${node}" can only create and delete mirror pods`);
    if (!pod.metadata?.annotations?.[MIRROR_ANNOTATION]) throw admissionForbidden(a, `pod does not have "${MIRROR_ANNOTATION}" annotation, node "${node}" can only create mirror pods`);
    if (pod.spec?.nodeName !== node) throw admissionForbidden(a, `node "${node}" can only create pods with spec.nodeName set to itself`);
    return;
  }
  if (a.subresource === 'status') {
    if (a.operation !== 'UPDATE') throw admissionForbidden(a, `unexpected operation "${a.operation}"`);
    const old = a.old as Pod | undefined;
    if (old?.spec?.nodeName !== node) throw admissionForbidden(a, `node "${node}" can only update pod status for pods with spec.nodeName set to itself`);
    if (!sameLabels(old.metadata?.labels, pod.metadata?.labels)) throw admissionForbidden(a, `node "${node}" cannot update labels through pod status`);
    return;
  }
  throw admissionForbidden(a, `unexpected subresource "${a.subresource}", node "${node}" can only update pod status and create evictions`);
}

/** kubeletapis.IsKubeletLabel: the well-known labels a kubelet sets on itself, and kubelet.kubernetes.io/, node.kubernetes.io/ keys. */
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'node.kubernetes.io/instance-type',
  'beta.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
]);
const labelNamespace = (key: string) => (key.includes('/') ? key.slice(0, key.indexOf('/')) : '');
const inNamespace = (ns: string, domain: string) => ns === domain || ns.endsWith(`.${domain}`);
const isKubeletLabel = (key: string) => KUBELET_LABELS.has(key) || ['kubelet.kubernetes.io', 'node.kubernetes.io'].some((d) => inNamespace(labelNamespace(key), d));
const isKubernetesLabel = (key: string) => inNamespace(labelNamespace(key), 'kubernetes.io') || inNamespace(labelNamespace(key), 'k8s.io');

/** getModifiedLabels: keys added, removed or changed between the two maps. */
function modifiedLabels(a: Record<string, string> = {}, b: Record<string, string> = {}): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => !(k in a) || !(k in b) || a[k] !== b[k]);
}

/** getForbiddenLabels: node-restriction.kubernetes.io/ keys, and kubernetes.io/k8s.io keys that are not kubelet labels; sorted. */
function forbiddenLabels(keys: string[]): string[] {
  return keys.filter((k) => inNamespace(labelNamespace(k), 'node-restriction.kubernetes.io') || (isKubernetesLabel(k) && !isKubeletLabel(k))).sort();
}

function admitNode(node: string, a: AdmissionAttributes): void {
  if (a.name !== node) throw admissionForbidden(a, `node "${node}" is not allowed to modify node "${a.name}"`);
  const obj = a.obj as Node;
  if (a.operation === 'CREATE') {
    if (obj.spec?.configSource) throw admissionForbidden(a, `node "${node}" is not allowed to create pods with a non-nil configSource`);
    const bad = forbiddenLabels(modifiedLabels(obj.metadata?.labels, undefined));
    if (bad.length) throw admissionForbidden(a, `node "${node}" is not allowed to set the following labels: ${bad.join(', ')}`);
    return;
  }
  if (a.operation !== 'UPDATE') return;
  const old = a.old as Node | undefined;
  if (obj.spec?.configSource && !same(obj.spec.configSource, old?.spec?.configSource)) throw admissionForbidden(a, `node "${node}" is not allowed to update configSource to a new non-nil configSource`);
  if (!same(obj.spec?.taints, old?.spec?.taints)) throw admissionForbidden(a, `node "${node}" is not allowed to modify taints`);
  const bad = forbiddenLabels(modifiedLabels(obj.metadata?.labels, old?.metadata?.labels));
  if (bad.length) throw admissionForbidden(a, `is not allowed to modify labels: ${bad.join(', ')}`);
}

/**
 * plugin/pkg/admission/noderestriction for writes by nodes (users system:node:<name> in system:nodes): pods
 * only as mirror pods bound to the node and pod status only of pods bound to it (labels unchanged); its own
 * Node only: labels within kube's allow-list (kubelet labels; no node-restriction.kubernetes.io/ ones) on
 * create and update, no configSource on create, configSource and taints unchanged on update (status
 * writes included); its own Lease in kube-node-lease. Runs on subresources too.
 * Deletes and evictions: nodeRestrictionDelete / nodeRestrictionEviction, called by those handlers.
 */
export const nodeRestriction: AdmissionPlugin = {
  name: 'NodeRestriction',
  subresources: true,
  async validate(a) {
    if (!a.user) return;
    const node = nodeIdentity(a.user);
    if (node === undefined) return;
    const resource = `${a.ref.group}/${a.ref.resource}`;
    const guarded = resource === '/pods' || resource === '/nodes' || resource === 'coordination.k8s.io/leases';
    if (!guarded) return;
    if (node === '') throw admissionForbidden(a, `could not determine node from user ${JSON.stringify(a.user.username)}`);
    if (resource === '/pods') return admitPod(node, a);
    if (resource === '/nodes') return admitNode(node, a);
    if (a.namespace !== 'kube-node-lease') throw admissionForbidden(a, 'can only access leases in the "kube-node-lease" system namespace');
    if (a.name !== node) throw admissionForbidden(a, 'can only access node lease with the same name as the requesting node');
  },
};

/** The node name of a request by a node ('' when the user is in system:nodes with a bad name), else undefined. */
function requestingNode(rr: ResourceRequest): string | undefined {
  return rr.req.user ? nodeIdentity(rr.req.user) : undefined;
}

/**
 * NodeRestriction for DELETE of one object (the delete handlers call it before deleting, per object for a
 * collection): a node deletes only pods with spec.nodeName set to itself (a missing pod is left to the
 * handler's 404) and only its own Node. Other users and resources pass. Throws the 403 Forbidden.
 */
export async function nodeRestrictionDelete(ctx: ApiContext, rr: ResourceRequest): Promise<void> {
  const node = requestingNode(rr);
  const ref = rr.strategy.ref;
  if (node === undefined || ref.group !== '' || rr.subresource || !rr.name) return;
  if (ref.resource !== 'pods' && ref.resource !== 'nodes') return;
  if (node === '') throw forbiddenError(ref, rr.name, `could not determine node from user ${JSON.stringify(rr.req.user!.username)}`);
  if (ref.resource === 'nodes') {
    if (rr.name !== node) throw forbiddenError(ref, rr.name, `node "${node}" is not allowed to modify node "${rr.name}"`);
    return;
  }
  const pod = await getStored<Pod>(ctx, Pods, rr.namespace, rr.name);
  if (pod && pod.spec?.nodeName !== node) throw forbiddenError(ref, rr.name, `node "${node}" can only delete pods with spec.nodeName set to itself`);
}

/**
 * NodeRestriction for CREATE of pods/<name>/eviction (admitPodEviction): a node evicts only pods with
 * spec.nodeName set to itself. The pod is the URL's name (else the Eviction's); a missing pod is left to
 * the handler's 404. Throws the 403 Forbidden.
 */
export async function nodeRestrictionEviction(ctx: ApiContext, rr: ResourceRequest, evictionName: string | undefined): Promise<void> {
  const node = requestingNode(rr);
  if (node === undefined) return;
  const podName = rr.name || evictionName || '';
  if (node === '') throw forbiddenError(Pods, podName || 'Unknown', `could not determine node from user ${JSON.stringify(rr.req.user!.username)}`);
  if (!podName) throw forbiddenError(Pods, 'Unknown', 'could not determine pod from request data');
  const pod = await getStored<Pod>(ctx, Pods, rr.namespace, podName);
  if (pod && pod.spec?.nodeName !== node) throw forbiddenError(Pods, podName, `node ${node} can only evict pods with spec.nodeName set to itself`);
}
