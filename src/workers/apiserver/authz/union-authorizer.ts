import { authorizeNode, type NodeGraph } from './node-authorizer';
import type { PolicySnapshot } from './policy-cache';
import { authorize, type Decision } from './rbac-authorizer';
import type { Attributes } from './request-attributes';

/**
 * kube-apiserver's --authorization-mode=Node,RBAC as kubeadm sets it, behind the system:masters
 * short-circuit: the Node authorizer first (an allow ends it), then RBAC. A denial's reason is the union's:
 * the non-empty reasons of both, joined with "\n". `fieldSelector` is the request's (for a node's pod list/watch).
 */
export async function authorizeNodeAndRbac(graph: NodeGraph, snap: PolicySnapshot, a: Attributes, fieldSelector?: string): Promise<Decision> {
  const rbac = authorize(snap, a);
  if (rbac.allowed && !rbac.reason) return rbac; // system:masters
  const node = await authorizeNode(graph, a, fieldSelector);
  if (node?.allowed) return { allowed: true, reason: '' };
  if (rbac.allowed) return rbac;
  return { allowed: false, reason: [node?.reason ?? '', rbac.reason].filter(Boolean).join('\n') };
}
