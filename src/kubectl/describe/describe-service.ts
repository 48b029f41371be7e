import type { Event, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { formatLabels } from '../printers/table-printer';
import { PrefixWriter } from './prefix-writer';
import { describeEvents } from './describe-events';
import { printAnnotationsMultiline, printLabelsMultiline } from './describe-labels';

/** formatEndpointSlices: ready addresses "ip:port" for the named port, at most 3 then "+ N more..."; "<none>" only without slices (slices without a match print nothing). */
export function formatEndpointSlices(slices: EndpointSlice[] | undefined, portName: string): string {
  if (!slices?.length) return '<none>';
  const list: string[] = [];
  let count = 0;
  for (const s of slices) {
    for (const p of s.ports ?? []) {
      if ((p.name ?? '') !== portName) continue;
      for (const e of s.endpoints ?? []) {
        if (e.conditions?.ready === false) continue;
        for (const addr of e.addresses) {
          count++;
          if (list.length < 3) list.push(`${addr}:${p.port ?? ''}`);
        }
      }
    }
  }
  return list.join(',') + (count > 3 ? ` + ${count - 3} more...` : '');
}

/** kubectl describe service (1.32 layout: IP families, endpoints from EndpointSlices, traffic policies). */
export function describeService(svc: Service, slices: EndpointSlice[] | undefined, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${svc.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${svc.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', svc.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', svc.metadata?.annotations);
  w.write(0, `Selector:\t${formatLabels(spec.selector)}\n`);
  w.write(0, `Type:\t${spec.type ?? ''}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  w.write(0, `IP Families:\t${spec.ipFamilies?.length ? spec.ipFamilies.join(',') : '<none>'}\n`);
  w.write(0, `IP:\t${spec.clusterIP ?? ''}\n`);
  w.write(0, `IPs:\t${spec.clusterIPs?.length ? spec.clusterIPs.join(',') : '<none>'}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.loadBalancerIP) w.write(0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
  if (spec.loadBalancerClass) w.write(0, `LoadBalancer Class:\t${spec.loadBalancerClass}\n`);
  if (spec.externalName) w.write(0, `External Name:\t${spec.externalName}\n`);
  const ingress = (svc.status?.loadBalancer?.ingress ?? []) as { ip?: string; hostname?: string; ipMode?: string }[];
  if (ingress.length) w.write(0, `LoadBalancer Ingress:\t${ingress.map(loadBalancerIngress).join(', ')}\n`);
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    const proto = p.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${p.port}/${proto}\n`);
    w.write(0, `TargetPort:\t${p.targetPort ?? p.port}/${proto}\n`);
    if (p.nodePort) w.write(0, `NodePort:\t${name}\t${p.nodePort}/${proto}\n`);
    w.write(0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  if (spec.healthCheckNodePort) w.write(0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
  if (spec.loadBalancerSourceRanges?.length) w.write(0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges.join(',')}\n`);
  if (events) describeEvents(events, w, now);
  return w.toString();
}

/** buildIngressString: the IP (with ` (ipMode)` when set), else the hostname. */
function loadBalancerIngress(i: { ip?: string; hostname?: string; ipMode?: string }): string {
  if (i.ip) return i.ipMode ? `${i.ip} (${i.ipMode})` : i.ip;
  return i.hostname ?? '';
}
