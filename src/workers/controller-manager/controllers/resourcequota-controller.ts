import type { PersistentVolumeClaim, Pod, ResourceQuota, ResourceQuotaStatus, Service } from 'kubernetes-types/core/v1';
import {
  ConfigMaps, CronJobs, DaemonSets, Deployments, Jobs, metaKey, PersistentVolumeClaims, Pods, ReplicaSets, ReplicationControllers, ResourceQuotas, Secrets, Services, StatefulSets, type ResourceRef,
} from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { KubeObject, SharedInformer } from '../../../client/informer';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { claimClass, claimStorage, isTerminalPod, matchesQuotaScopes, POD_COMPUTE, podResourceTerms, QuantitySum, quotaScopeSelectors, serviceNodePorts } from '../quota-usage';

/** Objects counted by `count/<resource>[.<group>]` (and the legacy names of the core ones). */
const COUNTED: ResourceRef[] = [Pods, Services, ConfigMaps, Secrets, ReplicationControllers, ResourceQuotas, PersistentVolumeClaims, Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs];
const LEGACY = new Set(['services', 'configmaps', 'secrets', 'replicationcontrollers', 'resourcequotas', 'persistentvolumeclaims']);
const STORAGE_CLASS_SUFFIX = '.storageclass.storage.k8s.io/';
const countKey = (r: ResourceRef) => `count/${r.resource}${r.group ? `.${r.group}` : ''}`;
const scoped = (q: ResourceQuota) => quotaScopeSelectors(q as never).length > 0;
/** Names some evaluator tracks: with a scope only pods match, the others are used "0" (kube's MatchesNoScopeFunc). */
const countable = (name: string) =>
  LEGACY.has(name) || COUNTED.some((r) => countKey(r) === name) || name === 'services.nodeports' || name === 'services.loadbalancers' || name === 'requests.storage' || name.includes(STORAGE_CLASS_SUFFIX);

/**
 * resourcequota-controller (pkg/controller/resourcequota), per ResourceQuota key: status.hard := spec.hard and
 * status.used := the namespace's usage of every resource named in spec.hard that it knows:
 * - object counts: pods (non-terminal), services, configmaps, secrets, replicationcontrollers, resourcequotas,
 *   persistentvolumeclaims, count/<resource>[.<group>] for those and the apps/batch workloads;
 * - services.nodeports / services.loadbalancers;
 * - compute over non-terminal pods: cpu, memory, requests.*, limits.* (and ephemeral-storage), as PodRequests /
 *   PodLimits (max of containers' sum and each init container, plus overhead);
 * - requests.storage, <class>.storageclass.storage.k8s.io/{requests.storage,persistentvolumeclaims}.
 * A scoped quota (spec.scopes / scopeSelector: Terminating, NotTerminating, BestEffort, NotBestEffort,
 * PriorityClass, CrossNamespacePodAffinity) counts only the pods its scopes match; its other resources stay 0. Unknown resources are left out of used.
 * Sums print as kube's Quantity.String() in the first term's format. Written only on change; 409 requeues.
 */
export function resourceQuotaController(): ControllerDescriptor {
  return {
    name: 'resourcequota-controller',
    component: 'resource-quota-controller',
    requires: [ResourceQuotas],
    optional: COUNTED,
    setup(ctx: ControllerContext): ControllerDef {
      const quotas = ctx.factory.informerFor<ResourceQuota>(ResourceQuotas);
      const informers = new Map<string, SharedInformer<KubeObject>>();
      const enqueueNs = (o: { metadata?: { namespace?: string } }) => {
        for (const q of quotas.lister().list(o.metadata?.namespace)) ctx.queue.add(metaKey(q));
      };
      const subs = [quotas.addEventHandler({ onAdd: (q) => ctx.queue.add(metaKey(q)), onUpdate: (_a, q) => ctx.queue.add(metaKey(q)) })];
      for (const ref of COUNTED) {
        if (!ctx.served(ref) || ref === ResourceQuotas) continue;
        const inf = ctx.factory.informerFor<KubeObject>(ref);
        informers.set(ref.resource, inf);
        subs.push(inf.addEventHandler({ onAdd: enqueueNs, onUpdate: (_a, o) => enqueueNs(o), onDelete: enqueueNs }));
      }
      const listOf = <T>(resource: string, ns: string | undefined): T[] | undefined =>
        resource === 'resourcequotas' ? (quotas.lister().list(ns) as T[]) : (informers.get(resource)?.lister().list(ns) as T[] | undefined);

      function usage(q: ResourceQuota, name: string, ns: string | undefined): string | undefined {
        const pods = () => (listOf<Pod>('pods', ns) ?? []).filter((p) => !isTerminalPod(p) && matchesQuotaScopes(q as never, true, p));
        if (scoped(q) && !(name === 'pods' || name === 'count/pods' || POD_COMPUTE[name])) return countable(name) ? '0' : undefined;
        const claims = () => listOf<PersistentVolumeClaim>('persistentvolumeclaims', ns) ?? [];
        if (name === 'pods' || name === 'count/pods') return listOf('pods', ns) && String(pods().length);
        if (LEGACY.has(name)) return listOf(name, ns)?.length.toString();
        const counted = COUNTED.find((r) => countKey(r) === name);
        if (counted) return listOf(counted.resource, ns)?.length.toString();
        if (name === 'services.nodeports') return listOf<Service>('services', ns)?.reduce((n, s) => n + serviceNodePorts(s), 0).toString();
        if (name === 'services.loadbalancers') return listOf<Service>('services', ns)?.filter((s) => s.spec?.type === 'LoadBalancer').length.toString();
        if (POD_COMPUTE[name]) {
          if (!listOf('pods', ns)) return undefined;
          const [kind, resource] = POD_COMPUTE[name];
          const sum = new QuantitySum();
          for (const p of pods()) for (const t of podResourceTerms(p, kind, resource)) sum.add(t);
          return sum.toString();
        }
        const sum = new QuantitySum();
        if (name === 'requests.storage') {
          for (const c of claims()) sum.add(claimStorage(c));
          return listOf('persistentvolumeclaims', ns) && sum.toString();
        }
        const i = name.indexOf(STORAGE_CLASS_SUFFIX);
        if (i > 0 && listOf('persistentvolumeclaims', ns)) {
          const cls = name.slice(0, i);
          const of = claims().filter((c) => claimClass(c) === cls);
          const what = name.slice(i + STORAGE_CLASS_SUFFIX.length);
          if (what === 'persistentvolumeclaims') return String(of.length);
          if (what === 'requests.storage') {
            for (const c of of) sum.add(claimStorage(c));
            return sum.toString();
          }
        }
        return undefined;
      }

      async function reconcile(key: string) {
        const q = quotas.lister().get(key);
        if (!q || q.metadata?.deletionTimestamp) return;
        const hard = { ...(q.spec?.hard ?? {}) } as Record<string, string>;
        const used: Record<string, string> = {};
        for (const name of Object.keys(hard).sort()) {
          const u = usage(q, name, q.metadata?.namespace);
          if (u !== undefined) used[name] = u;
        }
        const status: ResourceQuotaStatus = { hard, used };
        if (JSON.stringify(q.status ?? {}) === JSON.stringify(status)) return;
        try {
          await ctx.client.update(ResourceQuotas, { ...q, status }, 'status');
        } catch (err) {
          if (err instanceof ApiError && err.code === 404) return;
          if (err instanceof ApiError && err.code === 409) return { requeueAfter: 0 };
          throw err;
        }
      }

      return { reconcile, disposables: subs };
    },
  };
}
