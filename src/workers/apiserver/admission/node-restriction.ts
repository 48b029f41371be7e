import type { Node, Pod } from 'kubernetes-types/core/v1';
import { nodeIdentity } from '../authz/component-identities';
import { admissionForbidden, type AdmissionAttributes, type AdmissionPlugin } from './admission';

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

function admitNode(node: string, a: AdmissionAttributes): void {
  if (a.name !== node) throw admissionForbidden(a, `node "${node}" is not allowed to modify node "${a.name}"`);
  if (a.operation === 'UPDATE' && !same((a.obj as Node).spec?.taints, (a.old as Node | undefined)?.spec?.taints)) throw admissionForbidden(a, `node "${node}" is not allowed to modify taints`);
}

/**
 * plugin/pkg/admission/noderestriction for writes by nodes (users system:node:<name> in system:nodes): pods
 * only as mirror pods bound to the node and pod status only of pods bound to it (labels unchanged); its own
 * Node only (and, on update, not its taints); its own Lease in kube-node-lease. Runs on subresources too.
 * Not done: the node-label allow-list (our kubelets label themselves node-role.kubernetes.io/control-plane,
 * which kubeadm does as the admin), pod deletes and evictions (delete and eviction run no admission here).
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
    if (a.operation === 'CREATE' && (a.namespace !== 'kube-node-lease' || a.name !== node)) throw admissionForbidden(a, 'can only access node lease with the same name as the requesting node');
  },
};
