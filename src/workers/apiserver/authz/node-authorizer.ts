import type { PersistentVolumeClaim, Pod, PodSpec } from 'kubernetes-types/core/v1';
import type { Store } from '../../../storage/store';
import { parseFieldSelector } from '../../../api/field-selector';
import { NODE_RULES } from './bootstrap-policy';
import { nodeIdentity } from './component-identities';
import { ruleAllows } from './rbac-authorizer';
import type { Attributes } from './request-attributes';

export interface NodeDecision {
  allowed: boolean;
  /** kube's NODE DENY reason ('' when none); the union authorizer reports it when RBAC denies too. */
  reason: string;
}

const NO_OPINION: NodeDecision = { allowed: false, reason: '' };
const allow: NodeDecision = { allowed: true, reason: '' };
const no = (reason: string): NodeDecision => ({ allowed: false, reason });

/** The objects a pod's spec names: secrets, configmaps, PVCs and its service account (the graph's pod edges). */
function podReferences(pod: Pod): { secrets: Set<string>; configmaps: Set<string>; persistentvolumeclaims: Set<string>; serviceaccounts: Set<string> } {
  const spec: PodSpec = pod.spec ?? { containers: [] };
  const out = { secrets: new Set<string>(), configmaps: new Set<string>(), persistentvolumeclaims: new Set<string>(), serviceaccounts: new Set<string>() };
  for (const s of spec.imagePullSecrets ?? []) if (s.name) out.secrets.add(s.name);
  out.serviceaccounts.add(spec.serviceAccountName || 'default');
  for (const v of spec.volumes ?? []) {
    if (v.secret?.secretName) out.secrets.add(v.secret.secretName);
    if (v.configMap?.name) out.configmaps.add(v.configMap.name);
    if (v.persistentVolumeClaim?.claimName) out.persistentvolumeclaims.add(v.persistentVolumeClaim.claimName);
    if (v.ephemeral) out.persistentvolumeclaims.add(`${pod.metadata?.name}-${v.name}`);
    for (const p of v.projected?.sources ?? []) {
      if (p.secret?.name) out.secrets.add(p.secret.name);
      if (p.configMap?.name) out.configmaps.add(p.configMap.name);
    }
    for (const name of [v.cephfs?.secretRef?.name, v.csi?.nodePublishSecretRef?.name, v.flexVolume?.secretRef?.name, v.iscsi?.secretRef?.name, v.rbd?.secretRef?.name, v.scaleIO?.secretRef?.name, v.storageos?.secretRef?.name, v.azureFile?.secretName]) if (name) out.secrets.add(name);
  }
  for (const c of [...(spec.initContainers ?? []), ...spec.containers, ...(spec.ephemeralContainers ?? [])]) {
    for (const e of c.envFrom ?? []) {
      if (e.secretRef?.name) out.secrets.add(e.secretRef.name);
      if (e.configMapRef?.name) out.configmaps.add(e.configMapRef.name);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.secretKeyRef?.name) out.secrets.add(e.valueFrom.secretKeyRef.name);
      if (e.valueFrom?.configMapKeyRef?.name) out.configmaps.add(e.valueFrom.configMapKeyRef.name);
    }
  }
  return out;
}

type Referenced = 'secrets' | 'configmaps' | 'persistentvolumeclaims' | 'serviceaccounts';

/**
 * The Node authorizer's graph, read from the store per question (no cache): the pods bound to the node,
 * what they reference, and the PVs bound to their PVCs. An object is related when a path leads from it to the node.
 */
export class NodeGraph {
  constructor(private readonly store: Store) {}

  private async podsOn(nodeName: string, namespace?: string): Promise<Pod[]> {
    const { kvs } = await this.store.list(namespace ? `/registry/pods/${namespace}/` : '/registry/pods/');
    return kvs.map((kv) => JSON.parse(kv.value) as Pod).filter((p) => p.spec?.nodeName === nodeName);
  }

  async related(nodeName: string, resource: string, namespace: string, name: string): Promise<boolean> {
    if (resource === 'pods') {
      const kv = (await this.store.get(`/registry/pods/${namespace}/${name}`)).kv;
      return !!kv && (JSON.parse(kv.value) as Pod).spec?.nodeName === nodeName;
    }
    if (resource === 'persistentvolumes') {
      const { kvs } = await this.store.list('/registry/persistentvolumeclaims/');
      for (const kv of kvs) {
        const pvc = JSON.parse(kv.value) as PersistentVolumeClaim;
        if (pvc.spec?.volumeName === name && (await this.related(nodeName, 'persistentvolumeclaims', pvc.metadata?.namespace ?? '', pvc.metadata?.name ?? ''))) return true;
      }
      return false;
    }
    return (await this.podsOn(nodeName, namespace)).some((p) => podReferences(p)[resource as Referenced]?.has(name));
  }
}

/** The node name a list/watch is scoped to by `spec.nodeName=<x>` ('' when none). */
function nodeNameSelector(fieldSelector: string | undefined): string {
  try {
    return parseFieldSelector(fieldSelector).requirements.find((r) => r.field === 'spec.nodeName' && r.operator === '=')?.value ?? '';
  } catch {
    return '';
  }
}

/**
 * plugin/pkg/auth/authorizer/node (1.32, AuthorizeNodeWithSelectors on): undefined for users who are not
 * nodes; for nodes, secrets/configmaps/PVCs/PVs/service account tokens only of pods bound to the node, its
 * own Node and Lease, pods only via a spec.nodeName=<node> selector or a related pod's name, everything else
 * by the static system:node rules. A no-opinion answer falls through to RBAC.
 */
export async function authorizeNode(graph: NodeGraph, a: Attributes, fieldSelector?: string): Promise<NodeDecision | undefined> {
  const node = nodeIdentity(a.user);
  if (node === undefined) return undefined;
  if (node === '') return no(`unknown node for user ${JSON.stringify(a.user.username)}`);
  const relation = async () => {
    if (!a.name) return no('No Object name found');
    return (await graph.related(node, a.resource, a.namespace, a.name)) ? allow : no(`no relationship found between node '${node}' and this object`);
  };
  const statics = () => (NODE_RULES.some((r) => ruleAllows(a, r)) ? allow : NO_OPINION);
  if (!a.isResourceRequest) return statics();
  const { verb, subresource } = a;
  const key = `${a.apiGroup}/${a.resource}`;
  switch (key) {
    case '/secrets':
    case '/configmaps':
      if (!['get', 'list', 'watch'].includes(verb)) return no('can only read resources of this type');
      if (subresource) return no('cannot read subresource');
      if (!a.namespace) return no('can only read namespaced object of this type');
      return relation();
    case '/persistentvolumeclaims':
    case '/persistentvolumes':
      if (a.resource === 'persistentvolumeclaims' && subresource === 'status') return ['update', 'patch'].includes(verb) ? relation() : no('can only get/update/patch this type');
      if (verb !== 'get') return no('can only get individual resources of this type');
      if (subresource) return no('cannot get subresource');
      return relation();
    case '/serviceaccounts':
      if (verb !== 'create' || !a.name) return no('can only create tokens for individual service accounts');
      if (subresource !== 'token') return no('can only create token subresource of serviceaccount');
      return relation();
    case 'coordination.k8s.io/leases':
      if (!['get', 'create', 'update', 'patch', 'delete'].includes(verb)) return no('can only get, create, update, patch, or delete a node lease');
      if (a.namespace !== 'kube-node-lease') return no('can only access leases in the "kube-node-lease" system namespace');
      if (verb !== 'create' && a.name !== node) return no('can only access node lease with the same name as the requesting node');
      return allow;
    case '/nodes':
      if (!subresource && ['create', 'update', 'patch'].includes(verb)) return allow;
      if (!subresource && ['get', 'list', 'watch'].includes(verb)) {
        if (a.name === node) return allow;
        return no(a.name ? `node '${node}' cannot read '${a.name}', only its own Node object` : `node '${node}' cannot read all nodes, only its own Node object`);
      }
      if (subresource === 'status' && ['update', 'patch'].includes(verb)) return allow;
      return NO_OPINION;
    case '/pods':
      if (!subresource) {
        if (verb === 'get') return relation();
        if (verb === 'list' || verb === 'watch') {
          if (nodeNameSelector(fieldSelector) === node) return allow;
          if (a.name) return relation();
          return no('can only list/watch pods with spec.nodeName field selector');
        }
        if (verb === 'create' || verb === 'delete') return allow;
      }
      if (subresource === 'status' && ['update', 'patch'].includes(verb)) return allow;
      if (subresource === 'eviction' && verb === 'create') return allow;
      return NO_OPINION;
    default:
      return statics();
  }
}
