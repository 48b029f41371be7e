import type { PersistentVolumeClaim, Pod, PodSpec } from 'kubernetes-types/core/v1';
import type { Disposable } from '../../../api/disposable';
import type { KeyValue, Store } from '../../../storage/store';
import { WatchedPrefix, type PrefixChange } from './watched-prefix';
import { parseFieldSelector } from '../../../api/field-selector';
import { NODE_RULES } from './bootstrap-policy';
import { nodeIdentity } from './component-identities';
import { ruleAllows } from './rbac-authorizer';
import type { Attributes } from './request-attributes';
import { podStrategy } from '../registry/pod-strategy';
import { sharedProbe, type Probe } from '../shared-decodes';

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

interface PodEntry {
  node: string;
  /** "<resource>/<namespace>/<name>" of each object the pod references. */
  refs: string[];
}

/**
 * The Node authorizer's graph (kube's graph_populator), kept in memory from the store's watch of pods and
 * PVCs: for each node, the objects its bound pods reference (with counts), each pod's node, and each PV's
 * claims. A pod, or anything a pod bound to the node references, is related to the node; a PV is related
 * through a PVC bound to it (spec.volumeName) that such a pod uses. A change is seen by the next request
 * (see WatchedPrefix). dispose() ends both watches.
 */
export class NodeGraph implements Disposable {
  private readonly pods = new Map<string, PodEntry>();
  private readonly nodeRefs = new Map<string, Map<string, number>>();
  /** PVC store key → its spec.volumeName and "ns/name"; PV name → its claims' "ns/name". */
  private readonly pvcVolume = new Map<string, { volume: string; claim: string }>();
  private readonly pvClaims = new Map<string, Set<string>>();
  private readonly podSource: WatchedPrefix;
  private readonly pvcSource: WatchedPrefix;

  /** Pod writes decoded once for this graph and every pod watch (shared objects: read only). */
  private readonly decodePod: Probe;

  constructor(store: Store) {
    this.decodePod = sharedProbe(store, podStrategy);
    this.podSource = new WatchedPrefix(store, '/registry/pods/', (change, kvs) => this.applyPods(change, kvs));
    this.pvcSource = new WatchedPrefix(store, '/registry/persistentvolumeclaims/', (change, kvs) => this.applyPvcs(change, kvs));
  }

  private setPod(key: string, pod: Pod | undefined): void {
    const old = this.pods.get(key);
    if (old) {
      const refs = this.nodeRefs.get(old.node)!;
      for (const r of old.refs) {
        const n = (refs.get(r) ?? 1) - 1;
        if (n > 0) refs.set(r, n);
        else refs.delete(r);
      }
      this.pods.delete(key);
    }
    const node = pod?.spec?.nodeName;
    if (!pod || !node) return;
    const ns = pod.metadata?.namespace ?? '';
    const refs: string[] = [];
    for (const [resource, names] of Object.entries(podReferences(pod))) for (const name of names) refs.push(`${resource}/${ns}/${name}`);
    this.pods.set(key, { node, refs });
    let m = this.nodeRefs.get(node);
    if (!m) this.nodeRefs.set(node, (m = new Map()));
    for (const r of refs) m.set(r, (m.get(r) ?? 0) + 1);
  }

  private applyPods(change: PrefixChange, kvs: ReadonlyMap<string, KeyValue>): void {
    if (change === 'reset') {
      this.pods.clear();
      this.nodeRefs.clear();
      for (const kv of kvs.values()) this.setPod(kv.key, this.decodePod(kv) as Pod);
      return;
    }
    for (const e of change) this.setPod(e.kv.key, e.type === 'PUT' ? (this.decodePod(e.kv) as Pod) : undefined);
  }

  private setPvc(key: string, pvc: PersistentVolumeClaim | undefined): void {
    const old = this.pvcVolume.get(key);
    if (old) {
      const claims = this.pvClaims.get(old.volume);
      claims?.delete(old.claim);
      if (!claims?.size) this.pvClaims.delete(old.volume);
      this.pvcVolume.delete(key);
    }
    const volume = pvc?.spec?.volumeName;
    if (!pvc || !volume) return;
    const claim = `${pvc.metadata?.namespace ?? ''}/${pvc.metadata?.name ?? ''}`;
    this.pvcVolume.set(key, { volume, claim });
    let set = this.pvClaims.get(volume);
    if (!set) this.pvClaims.set(volume, (set = new Set()));
    set.add(claim);
  }

  private applyPvcs(change: PrefixChange, kvs: ReadonlyMap<string, KeyValue>): void {
    if (change === 'reset') {
      this.pvcVolume.clear();
      this.pvClaims.clear();
      for (const kv of kvs.values()) this.setPvc(kv.key, JSON.parse(kv.value) as PersistentVolumeClaim);
      return;
    }
    for (const e of change) this.setPvc(e.kv.key, e.type === 'PUT' ? (JSON.parse(e.kv.value) as PersistentVolumeClaim) : undefined);
  }

  async related(nodeName: string, resource: string, namespace: string, name: string): Promise<boolean> {
    await Promise.all([this.podSource.ready(), this.pvcSource.ready()]);
    return this.relatedNow(nodeName, resource, namespace, name);
  }

  /** related() on the graph as it is (call after related() or ready() has loaded it). */
  relatedNow(nodeName: string, resource: string, namespace: string, name: string): boolean {
    if (resource === 'pods') return this.pods.get(`/registry/pods/${namespace}/${name}`)?.node === nodeName;
    const refs = this.nodeRefs.get(nodeName);
    if (!refs) return false;
    if (resource === 'persistentvolumes') return [...(this.pvClaims.get(name) ?? [])].some((claim) => refs.has(`persistentvolumeclaims/${claim}`));
    return refs.has(`${resource}/${namespace}/${name}`);
  }

  /** Loads the graph (for callers that then use relatedNow). */
  async ready(): Promise<void> {
    await Promise.all([this.podSource.ready(), this.pvcSource.ready()]);
  }

  dispose(): void {
    this.podSource.dispose();
    this.pvcSource.dispose();
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
