import type { EndpointSlice, Endpoint, EndpointPort } from 'kubernetes-types/discovery/v1';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import { EndpointSlices, metaKey, Pods, Services } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import { mapSelectorMatcher } from '../../../client/labels';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { enqueueServicesForPods } from '../service-pods';
import { canonical } from '../deployment-util';
import { isPodReady, newControllerRef } from '../pod-utils';
import { resolveTargetPort } from './endpoints-controller';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const MANAGED_BY = 'endpointslice-controller.k8s.io';
/** maxEndpointsPerSlice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100;

const ipKey = (ip: string) => ip.split('.').map((o) => o.padStart(3, '0')).join('.');

/** Desired (ports, endpoints) groups for a service: one per distinct resolved port set, endpoints sorted by IP. */
export function desiredSliceGroups(svc: Service, pods: Pod[]): { ports: EndpointPort[]; endpoints: Endpoint[] }[] {
  const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
  const publish = !!svc.spec?.publishNotReadyAddresses;
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    const terminating = !!pod.metadata?.deletionTimestamp;
    const ready = isPodReady(pod);
    const ep: Endpoint = {
      addresses: [ip],
      conditions: { ready: publish || (ready && !terminating), serving: publish || ready, terminating },
      targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid },
    };
    if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
    if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name) ep.hostname = pod.spec.hostname;
    const ports: EndpointPort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = resolveTargetPort(sp, pod);
      if (port !== undefined) ports.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
    const key = canonical(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, endpoints: [] }));
    g.endpoints.push(ep);
  }
  for (const g of groups.values()) g.endpoints.sort((a, b) => ipKey(a.addresses[0]).localeCompare(ipKey(b.addresses[0])));
  return [...groups.values()];
}

/**
 * endpointslice-controller: for each Service with a selector, IPv4 EndpointSlices (generateName "<service>-",
 * labels kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by plus the Service's, a controller
 * ownerReference to the Service) holding its selected pods with conditions ready (ready and not terminating),
 * serving (ready) and terminating; one slice per resolved port set, at most 100 endpoints each. Existing slices
 * are reused by port set and written only when their content changes; surplus slices are deleted. Slices of
 * deleted Services go with the garbage collector.
 */
export function endpointSliceController(): ControllerDescriptor {
  return {
    name: 'endpointslice-controller',
    component: 'endpoint-slice-controller',
    requires: [Services, EndpointSlices],
    setup(ctx: ControllerContext): ControllerDef {
      const services = ctx.factory.informerFor<Service>(Services);
      const slices = ctx.factory.informerFor<EndpointSlice>(EndpointSlices);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const enqueueSlice = (s: EndpointSlice) => {
        const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
        if (svc && s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY) ctx.queue.add(`${s.metadata?.namespace}/${svc}`);
      };
      /** Slices created but not yet seen by the informer, per service key: the controller waits for them (no duplicates). */
      const pending = new Map<string, Set<string>>();
      const observe = (s: EndpointSlice) => {
        const key = `${s.metadata?.namespace}/${s.metadata?.labels?.[SERVICE_NAME_LABEL]}`;
        pending.get(key)?.delete(s.metadata?.name ?? '');
        enqueueSlice(s);
      };
      const subs = [
        services.addEventHandler({ onAdd: (s) => ctx.queue.add(metaKey(s)), onUpdate: (_o, s) => ctx.queue.add(metaKey(s)) }),
        enqueueServicesForPods(ctx, services),
        slices.addEventHandler({ onAdd: observe, onUpdate: (_o, s) => enqueueSlice(s), onDelete: enqueueSlice }),
      ];

      async function reconcile(key: string) {
        const svc = services.lister().get(key);
        if (!svc?.spec?.selector || svc.metadata?.deletionTimestamp) return void pending.delete(key);
        if (pending.get(key)?.size) return { requeueAfter: 50 };
        const ns = svc.metadata?.namespace ?? 'default';
        const name = svc.metadata?.name ?? '';
        const match = mapSelectorMatcher(svc.spec.selector);
        const wanted: { ports: EndpointPort[]; endpoints: Endpoint[] }[] = [];
        for (const g of desiredSliceGroups(svc, pods.lister().list(ns).filter((p) => match(p.metadata?.labels)))) {
          for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) wanted.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
        }
        if (!wanted.length) wanted.push({ ports: [], endpoints: [] });
        const labels = { ...svc.metadata?.labels, [SERVICE_NAME_LABEL]: name, [MANAGED_BY_LABEL]: MANAGED_BY };
        if (svc.spec.clusterIP === 'None') (labels as Record<string, string>)['service.kubernetes.io/headless'] = '';
        let existing = slices.lister().list(ns).filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === name && s.metadata?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY);
        const ignore404 = (err: unknown) => {
          if (!(err instanceof ApiError && err.code === 404)) throw err;
        };
        for (const w of wanted) {
          const body = { addressType: 'IPv4', endpoints: w.endpoints, ...(w.ports.length ? { ports: w.ports } : {}) };
          const reuse = existing.find((s) => canonical(s.ports ?? []) === canonical(w.ports)) ?? existing[0];
          if (reuse) {
            existing = existing.filter((s) => s !== reuse);
            if (canonical({ addressType: reuse.addressType, endpoints: reuse.endpoints ?? [], ...(reuse.ports?.length ? { ports: reuse.ports } : {}) }) === canonical(body) && canonical(reuse.metadata?.labels) === canonical(labels)) continue;
            await ctx.client.update(EndpointSlices, { ...reuse, ...body, metadata: { ...reuse.metadata, labels } }).catch(ignore404);
          } else {
            const created = await ctx.client.create<EndpointSlice>(EndpointSlices, {
              apiVersion: 'discovery.k8s.io/v1',
              kind: 'EndpointSlice',
              metadata: { generateName: `${name}-`, namespace: ns, labels, ownerReferences: [newControllerRef(svc, 'v1', 'Service')] },
              ...body,
            }, ns);
            if (!slices.lister().get(metaKey(created))) {
              if (!pending.has(key)) pending.set(key, new Set());
              pending.get(key)!.add(created.metadata?.name ?? '');
            }
          }
        }
        for (const s of existing) await ctx.client.delete(EndpointSlices, s.metadata!.name!, ns).catch(ignore404);
      }

      return { reconcile, workers: 2, disposables: subs };
    },
  };
}
