import type { EndpointAddress, EndpointPort, Endpoints, EndpointSubset, Pod, Service, ServicePort } from 'kubernetes-types/core/v1';
import { EndpointsRef, metaKey, Pods, Services } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import { mapSelectorMatcher } from '../../../client/labels';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';
import { enqueueServicesForPods } from '../service-pods';
import { isPodReady } from '../pod-utils';
import { canonical } from '../deployment-util';

/** The targetPort a service port resolves to on a pod: a number, or a named container port (undefined if absent). */
export function resolveTargetPort(sp: ServicePort, pod: Pod): number | undefined {
  const t = sp.targetPort ?? sp.port;
  if (typeof t === 'number') return t;
  if (/^\d+$/.test(t)) return Number(t);
  for (const c of pod.spec?.containers ?? []) {
    const p = c.ports?.find((x) => x.name === t && (x.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'));
    if (p) return p.containerPort;
  }
  return undefined;
}

const ipKey = (ip: string) => ip.split('.').map((o) => o.padStart(3, '0')).join('.');

/** The subsets for a service over its selected pods: one subset per distinct port set, addresses sorted by IP. */
export function endpointSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  const publish = !!svc.spec?.publishNotReadyAddresses;
  for (const pod of pods) {
    const ip = pod.status?.podIP;
    if (!ip || pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    if (pod.metadata?.deletionTimestamp && !publish) continue;
    const addr: EndpointAddress = { ip };
    if (pod.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
    if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name) addr.hostname = pod.spec.hostname;
    addr.targetRef = { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid };
    const ports: EndpointPort[] = [];
    for (const sp of svc.spec?.ports ?? []) {
      const port = resolveTargetPort(sp, pod);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) ep.name = sp.name;
      if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
      ports.push(ep);
    }
    if (svc.spec?.ports?.length && !ports.length) continue;
    const key = canonical(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports, ready: [], notReady: [] }));
    (publish || isPodReady(pod) ? g.ready : g.notReady).push(addr);
  }
  return [...groups.values()].map((g) => {
    const s: EndpointSubset = {};
    const byIp = (a: EndpointAddress, b: EndpointAddress) => ipKey(a.ip).localeCompare(ipKey(b.ip));
    if (g.ready.length) s.addresses = g.ready.sort(byIp);
    if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(byIp);
    if (g.ports.length) s.ports = g.ports;
    return s;
  });
}

/**
 * endpoint-controller: for each Service with a selector, keeps the same-named Endpoints equal to its selected
 * pods (with a podIP, not finished; ready ones in addresses, others in notReadyAddresses, all in addresses when
 * publishNotReadyAddresses; terminating pods left out unless published), ports resolved per pod (named targetPorts
 * through container ports). Labels are the Service's, plus service.kubernetes.io/headless for clusterIP None.
 * Writes only when subsets or labels change; deletes the Endpoints when the Service is gone. Services without a
 * selector are left alone.
 */
export function endpointsController(): ControllerDescriptor {
  return {
    name: 'endpoints-controller',
    component: 'endpoint-controller',
    requires: [Services, EndpointsRef],
    setup(ctx: ControllerContext): ControllerDef {
      const services = ctx.factory.informerFor<Service>(Services);
      const endpoints = ctx.factory.informerFor<Endpoints>(EndpointsRef);
      const pods = ctx.factory.informerFor<Pod>(Pods);
      const subs = [
        services.addEventHandler({ onAdd: (s) => ctx.queue.add(metaKey(s)), onUpdate: (_o, s) => ctx.queue.add(metaKey(s)), onDelete: (s) => ctx.queue.add(metaKey(s)) }),
        enqueueServicesForPods(ctx, services),
        endpoints.addEventHandler({ onDelete: (e) => ctx.queue.add(metaKey(e)) }),
      ];

      async function reconcile(key: string) {
        const svc = services.lister().get(key);
        const current = endpoints.lister().get(key);
        const [ns, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
        if (!svc) {
          if (current) await ctx.client.delete(EndpointsRef, name, ns).catch((err) => {
            if (!(err instanceof ApiError && err.code === 404)) throw err;
          });
          return;
        }
        if (!svc.spec?.selector) return;
        const match = mapSelectorMatcher(svc.spec.selector);
        const subsets = endpointSubsets(svc, pods.lister().list(ns).filter((p) => match(p.metadata?.labels)));
        const labels: Record<string, string> = { ...svc.metadata?.labels };
        if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
        const want: Endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace: ns, labels }, ...(subsets.length ? { subsets } : {}) };
        if (!Object.keys(labels).length) delete want.metadata!.labels;
        if (current && canonical(current.subsets ?? []) === canonical(subsets) && canonical(current.metadata?.labels ?? {}) === canonical(labels)) return;
        if (!current) {
          try {
            await ctx.client.create(EndpointsRef, want, ns);
          } catch (err) {
            if (!(err instanceof ApiError && err.code === 409)) throw err;
            const live = await ctx.client.get<Endpoints>(EndpointsRef, name, ns);
            await ctx.client.update(EndpointsRef, { ...live, metadata: { ...live.metadata, labels: want.metadata?.labels }, subsets: want.subsets });
          }
          return;
        }
        const next: Endpoints = { ...current, metadata: { ...current.metadata, labels: want.metadata?.labels }, subsets: want.subsets };
        if (!want.subsets) delete next.subsets;
        await ctx.client.update(EndpointsRef, next);
      }

      return { reconcile, workers: 2, disposables: subs };
    },
  };
}
