import type { Node, NodeCondition, NodeStatus, Taint } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import { rfc3339, rfc3339Micro } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import type { IdSource } from '../../api/ids';
import { Nodes, type ResourceRef } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';
import type { ImageService, NodeDisk, RuntimeService } from '../runtime/cri';

export const Leases: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true };

/** nodeStatusUpdateFrequency and the node lease renew interval. */
export const NODE_STATUS_UPDATE_MS = 10_000;

export interface NodeIdentity {
  nodeName: string;
  nodeIndex: number;
  labels: Record<string, string>;
  taints: Taint[];
  capacity: Record<string, string>;
}

export const DEFAULT_CAPACITY: Record<string, string> = {
  cpu: '4',
  'ephemeral-storage': '61202244Ki',
  'hugepages-1Gi': '0',
  'hugepages-2Mi': '0',
  memory: '8148824Ki',
  pods: '110',
};

/** kind-like addressing: node N is 172.18.0.(N+2) (.1 is the docker bridge) and owns 10.244.N.0/24. */
export function nodeAddressing(index: number): { internalIP: string; podCIDR: string } {
  return { internalIP: `172.18.0.${index + 2}`, podCIDR: `10.244.${index}.0/24` };
}

/** The labels kubelet puts on its Node (updateDefaultLabels). Our os/arch are honestly wasip1/wasm. */
export function defaultNodeLabels(nodeName: string): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': 'wasm',
    'beta.kubernetes.io/os': 'wasip1',
    'kubernetes.io/arch': 'wasm',
    'kubernetes.io/hostname': nodeName,
    'kubernetes.io/os': 'wasip1',
  };
}

function condition(type: string, status: string, reason: string, message: string, now: string, old?: NodeCondition): NodeCondition {
  const lastTransitionTime = old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : now;
  return { lastHeartbeatTime: now, lastTransitionTime, message, reason, status, type };
}

interface StatusDeps {
  clock: Clock;
  runtime: Pick<RuntimeService, 'version'> & Pick<ImageService, 'listImages'>;
  info: { machineID: string; systemUUID: string; bootID: string };
  /** The eviction manager's signals (eviction-manager.ts); absent: no pressure. */
  pressure?(): { memory: boolean; disk?: boolean };
}

/** The node status the kubelet reports (setNodeStatus): capacity, conditions, addresses, nodeInfo, images. */
export async function buildNodeStatus(id: NodeIdentity, deps: StatusDeps, old?: NodeStatus): Promise<NodeStatus> {
  const now = rfc3339(deps.clock.now());
  const prev = (t: string) => old?.conditions?.find((c) => c.type === t);
  const v = await deps.runtime.version();
  const images = await deps.runtime.listImages().catch(() => []);
  return {
    addresses: [
      { address: nodeAddressing(id.nodeIndex).internalIP, type: 'InternalIP' },
      { address: id.nodeName, type: 'Hostname' },
    ],
    allocatable: { ...id.capacity },
    capacity: { ...id.capacity },
    conditions: [
      deps.pressure?.().memory
        ? condition('MemoryPressure', 'True', 'KubeletHasInsufficientMemory', 'kubelet has insufficient memory available', now, prev('MemoryPressure'))
        : condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', now, prev('MemoryPressure')),
      deps.pressure?.().disk
        ? condition('DiskPressure', 'True', 'KubeletHasDiskPressure', 'kubelet has disk pressure', now, prev('DiskPressure'))
        : condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', now, prev('DiskPressure')),
      condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', now, prev('PIDPressure')),
      condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', now, prev('Ready')),
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    images: images.map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.size })),
    nodeInfo: {
      architecture: 'wasm',
      bootID: deps.info.bootID,
      containerRuntimeVersion: `${v.runtimeName}://${v.runtimeVersion}`,
      kernelVersion: 'wasi-preview1',
      kubeProxyVersion: '',
      kubeletVersion: 'v1.32.0',
      machineID: deps.info.machineID,
      operatingSystem: 'wasip1',
      osImage: 'Tabernetes WASI',
      systemUUID: deps.info.systemUUID,
    },
  };
}

/** machineID/systemUUID are kept on the node disk (stable across reloads); bootID is new per start. */
export async function machineInfo(disk: NodeDisk, ids: IdSource): Promise<{ machineID: string; systemUUID: string; bootID: string }> {
  let saved = await disk.getState<{ machineID: string; systemUUID: string }>('kubelet/machine');
  if (!saved) {
    saved = { machineID: ids.uid().replace(/-/g, ''), systemUUID: ids.uid() };
    await disk.putState('kubelet/machine', saved);
  }
  return { ...saved, bootID: ids.uid() };
}

/**
 * Registers the Node as kubelet's registerWithAPIServer does: create it (labels, taints, podCIDR); on
 * AlreadyExists keep its taints and podCIDR and update the default labels. Then writes its status through
 * the status subresource. Resolves with the Node as stored; rejects on any error other than a Conflict
 * (retried up to 8 times).
 */
export async function registerNode(client: ApiClient, id: NodeIdentity, deps: StatusDeps): Promise<Node> {
  const { podCIDR } = nodeAddressing(id.nodeIndex);
  const wanted: Node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: id.nodeName, labels: { ...id.labels }, annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
    spec: { podCIDR, podCIDRs: [podCIDR], ...(id.taints.length ? { taints: id.taints } : {}) },
  };
  let node: Node;
  try {
    // As kubelet's initialNode: the first status goes with the create, so the Node is never seen without Ready.
    node = await client.create<Node>(Nodes, { ...wanted, status: await buildNodeStatus(id, deps) });
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 409)) throw err;
    node = await retryConflicts(client, id.nodeName, async (cur) => {
      const labels = { ...(cur.metadata?.labels ?? {}), ...id.labels };
      const spec = { ...cur.spec };
      if (!spec.podCIDR) Object.assign(spec, { podCIDR, podCIDRs: [podCIDR] });
      if (JSON.stringify(labels) === JSON.stringify(cur.metadata?.labels) && spec.podCIDR === cur.spec?.podCIDR) return cur;
      return client.update<Node>(Nodes, { ...cur, metadata: { ...cur.metadata, labels }, spec });
    });
  }
  return updateNodeStatus(client, id, deps, node);
}

/** Writes a fresh status (all heartbeats now), re-reading and retrying on Conflict. */
export async function updateNodeStatus(client: ApiClient, id: NodeIdentity, deps: StatusDeps, known?: Node): Promise<Node> {
  return retryConflicts(
    client,
    id.nodeName,
    async (cur) => client.update<Node>(Nodes, { ...cur, status: await buildNodeStatus(id, deps, cur.status) }, 'status'),
    known,
  );
}

async function retryConflicts(client: ApiClient, name: string, fn: (cur: Node) => Promise<Node>, known?: Node): Promise<Node> {
  let cur = known ?? (await client.get<Node>(Nodes, name));
  for (let i = 0; ; i++) {
    try {
      return await fn(cur);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409) || i >= 7) throw err;
      cur = await client.get<Node>(Nodes, name);
    }
  }
}

/** Renews the node's Lease in kube-node-lease (created on first renew). Resolves false when leases are not served. */
export async function renewLease(client: ApiClient, nodeName: string, nodeUid: string | undefined, clock: Clock): Promise<boolean> {
  const spec = { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: rfc3339Micro(clock.now()) };
  try {
    const cur = await client.get<{ metadata: { name: string; namespace: string }; spec?: object }>(Leases, nodeName, 'kube-node-lease');
    await client.update(Leases, { ...cur, spec: { ...cur.spec, ...spec } });
    return true;
  } catch (err) {
    if (!(err instanceof ApiError) || err.code !== 404) throw err;
  }
  const ownerReferences = nodeUid ? [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }] : undefined;
  try {
    await client.create(Leases, { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: nodeName, namespace: 'kube-node-lease', ownerReferences }, spec });
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.code === 404) return false;
    throw err;
  }
}

/**
 * Every 10 s: renews the Lease and refreshes the node status heartbeats. Errors are logged once and retried next
 * tick. onNodeGone runs once, the first time the status update finds the Node NotFound (it was deleted; as
 * kubelet, this one does not re-register it).
 */
export function startHeartbeat(client: ApiClient, id: NodeIdentity, deps: StatusDeps, nodeUid: string | undefined, onNodeGone?: () => void): Disposable {
  let gone = false;
  let leases = true;
  let busy = false;
  let warned = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      if (leases) leases = await renewLease(client, id.nodeName, nodeUid, deps.clock);
      await updateNodeStatus(client, id, deps);
    } catch (err) {
      if (!gone && err instanceof ApiError && err.code === 404) {
        gone = true;
        onNodeGone?.();
      }
      if (!warned) console.warn(`kubelet ${id.nodeName}: node status update failed:`, err instanceof Error ? err.message : err);
      warned = true;
    } finally {
      busy = false;
    }
  };
  return deps.clock.every(NODE_STATUS_UPDATE_MS, () => void tick());
}

/**
 * The control-plane taint, which kubeadm hands the control-plane kubelet as --register-with-taints (a kubelet may
 * register with taints). Its role labels are not the kubelet's to set (NodeRestriction forbids
 * node-role.kubernetes.io/*): cluster start-up adds them as the admin (src/cluster markControlPlane).
 */
export const CONTROL_PLANE_TAINT: Readonly<Taint> = { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' };

/** kind's naming: the node called "<cluster>-control-plane" is the control plane. */
export function isControlPlaneName(nodeName: string): boolean {
  return nodeName.endsWith('-control-plane');
}
