import type { Endpoints, Event, LimitRange, ReplicationController, PersistentVolume, PersistentVolumeClaim, Pod, ResourceQuota } from 'kubernetes-types/core/v1';
import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressBackend, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { ClusterRole, RoleBinding } from 'kubernetes-types/rbac/v1';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { describeRole, describeRoleBinding } from '../describe/describe-rbac';
import { describeIngress, describeIngressClass, describeNetworkPolicy } from '../describe/describe-network';
import { describePersistentVolume, describePersistentVolumeClaim, describeStorageClass } from '../describe/describe-storage';
import { describeHorizontalPodAutoscaler, describeLimitRange, describePodDisruptionBudget, describePriorityClass, describeResourceQuota } from '../describe/describe-policy';
import { formatEndpointSlices } from '../describe/describe-service';
import { describeEndpoints, describeEndpointSlice } from '../describe/describe-endpoints';
import { describeReplicaSet } from '../describe/describe-workloads';
import { podPhaseCounts } from '../describe/describe-pod-template';
import { formatLabels } from '../printers/table-printer';
import type { KubeObj } from './visit-objects';

type Describer = (ctx: CommandContext, obj: KubeObj, events: Event[] | undefined) => Promise<string>;

/** Text of an API error as Go's %v prints a StatusError (its message). */
const errText = (err: unknown) => (err instanceof ApiError ? err.message : String(err));

/** Looks up every service backend of the ingress (EndpointSlices by service label, then the Service), as kubectl does. */
async function ingressBackends(ctx: CommandContext, ing: Ingress): Promise<(ns: string, b: IngressBackend) => string> {
  const ns = ing.metadata?.namespace ?? '';
  const backends = [ing.spec?.defaultBackend, ...(ing.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))].filter((b): b is IngressBackend => !!b?.service);
  const text = new Map<IngressBackend, string>();
  for (const b of backends) {
    const svcName = b.service!.name;
    try {
      const slices = await ctx.io.client.call<{ items: EndpointSlice[] }>({ method: 'GET', path: `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, query: { labelSelector: `kubernetes.io/service-name=${svcName}` } });
      const svc = await ctx.io.client.call<{ spec?: { ports?: { name?: string; port: number }[] } }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/services/${svcName}` });
      let portName = '';
      for (const sp of svc.spec?.ports ?? []) {
        if ((b.service!.port?.number && b.service!.port.number === sp.port) || (b.service!.port?.name && b.service!.port.name === sp.name)) portName = sp.name ?? '';
      }
      text.set(b, formatEndpointSlices(slices.items, portName));
    } catch (err) {
      text.set(b, `<error: ${errText(err)}>`);
    }
  }
  return (_ns, b) => text.get(b) ?? '';
}

/** Names of the namespace's pods that mount the claim (directly or as a generic ephemeral volume). */
async function podsUsingClaim(ctx: CommandContext, pvc: PersistentVolumeClaim): Promise<string[]> {
  const ns = pvc.metadata?.namespace ?? '';
  const name = pvc.metadata?.name ?? '';
  const pods = (await ctx.io.client.call<{ items: Pod[] }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/pods` })).items;
  return pods
    .filter((p) => (p.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === name || (v.ephemeral && `${p.metadata?.name}-${v.name}` === name)))
    .map((p) => p.metadata?.name ?? '');
}

/** describeReplicationController: the ReplicaSet layout with a map selector and no "Controlled By" line. */
async function describeRc(ctx: CommandContext, rc: ReplicationController, events: Event[] | undefined): Promise<string> {
  const sel = rc.spec?.selector ?? {};
  const pods = (await ctx.io.client.call<{ items: Pod[] }>({ method: 'GET', path: `/api/v1/namespaces/${rc.metadata?.namespace}/pods`, query: { labelSelector: formatLabels(sel) } })).items;
  const asRs = { metadata: { ...rc.metadata, ownerReferences: undefined }, spec: { ...rc.spec, selector: { matchLabels: sel } }, status: rc.status } as ReplicaSet;
  return describeReplicaSet(asRs, podPhaseCounts(pods, rc.metadata?.uid), events, ctx.io.clock.now());
}

/**
 * Describers for networking, storage, RBAC and policy kinds, by group/resource (merged into describe's
 * table); `events` false where kubectl's describer lists none.
 */
export const MORE_DESCRIBERS: Record<string, { describe: Describer; events: boolean }> = {
  'networking.k8s.io/ingresses': { events: true, describe: async (ctx, o, ev) => describeIngress(o as Ingress, await ingressBackends(ctx, o as Ingress), ev, ctx.io.clock.now()) },
  'networking.k8s.io/ingressclasses': { events: true, describe: async (ctx, o, ev) => describeIngressClass(o as IngressClass, ev, ctx.io.clock.now()) },
  'networking.k8s.io/networkpolicies': { events: false, describe: async (_ctx, o) => describeNetworkPolicy(o as NetworkPolicy) },
  '/persistentvolumeclaims': {
    events: true,
    describe: async (ctx, o, ev) => describePersistentVolumeClaim(o as PersistentVolumeClaim, await podsUsingClaim(ctx, o as PersistentVolumeClaim), ev, ctx.io.clock.now()),
  },
  '/persistentvolumes': { events: true, describe: async (ctx, o, ev) => describePersistentVolume(o as PersistentVolume, ev, ctx.io.clock.now()) },
  'storage.k8s.io/storageclasses': { events: true, describe: async (ctx, o, ev) => describeStorageClass(o as unknown as StorageClass, ev, ctx.io.clock.now()) },
  'autoscaling/horizontalpodautoscalers': { events: true, describe: async (ctx, o, ev) => describeHorizontalPodAutoscaler(o as HorizontalPodAutoscaler, ev, ctx.io.clock.now()) },
  'policy/poddisruptionbudgets': { events: true, describe: async (ctx, o, ev) => describePodDisruptionBudget(o as PodDisruptionBudget, ev, ctx.io.clock.now()) },
  'scheduling.k8s.io/priorityclasses': { events: true, describe: async (ctx, o, ev) => describePriorityClass(o as unknown as PriorityClass, ev, ctx.io.clock.now()) },
  '/replicationcontrollers': { events: true, describe: async (ctx, o, ev) => describeRc(ctx, o as ReplicationController, ev) },
  '/endpoints': { events: true, describe: async (ctx, o, ev) => describeEndpoints(o as Endpoints, ev, ctx.io.clock.now()) },
  'discovery.k8s.io/endpointslices': { events: true, describe: async (ctx, o, ev) => describeEndpointSlice(o as unknown as EndpointSlice, ev, ctx.io.clock.now()) },
  '/limitranges': { events: false, describe: async (_ctx, o) => describeLimitRange(o as LimitRange) },
  '/resourcequotas': { events: false, describe: async (_ctx, o) => describeResourceQuota(o as ResourceQuota) },
  'rbac.authorization.k8s.io/roles': { events: false, describe: async (_ctx, o) => describeRole(o as ClusterRole) },
  'rbac.authorization.k8s.io/clusterroles': { events: false, describe: async (_ctx, o) => describeRole(o as ClusterRole) },
  'rbac.authorization.k8s.io/rolebindings': { events: false, describe: async (_ctx, o) => describeRoleBinding(o as unknown as RoleBinding) },
  'rbac.authorization.k8s.io/clusterrolebindings': { events: false, describe: async (_ctx, o) => describeRoleBinding(o as unknown as RoleBinding) },
};
