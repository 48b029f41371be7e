import type { Endpoints, Event } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { PrefixWriter } from './prefix-writer';
import { describeEvents } from './describe-events';
import { printAnnotationsMultiline, printLabelsMultiline } from './describe-labels';

/** kubectl describe endpoints: one block per subset (ready and not-ready IPs, ports), each ending in a blank line. */
export function describeEndpoints(ep: Endpoints, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ep.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${ep.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', ep.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', ep.metadata?.annotations);
  w.write(0, 'Subsets:\n');
  for (const s of ep.subsets ?? []) {
    w.write(1, `Addresses:\t${(s.addresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    w.write(1, `NotReadyAddresses:\t${(s.notReadyAddresses ?? []).map((a) => a.ip).join(',') || '<none>'}\n`);
    if (s.ports?.length) {
      w.write(1, 'Ports:\n');
      w.write(2, 'Name\tPort\tProtocol\n');
      w.write(2, '----\t----\t--------\n');
      for (const p of s.ports) w.write(2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? ''}\n`);
    }
    w.write(0, '\n');
  }
  if (events) describeEvents(events, w, now);
  return w.toString();
}

/** kubectl describe endpointslice (discovery.k8s.io/v1). */
export function describeEndpointSlice(eps: EndpointSlice, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${eps.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${eps.metadata?.namespace ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', eps.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', eps.metadata?.annotations);
  w.write(0, `AddressType:\t${eps.addressType}\n`);
  if (!eps.ports?.length) w.write(0, 'Ports: <unset>\n');
  else {
    w.write(0, 'Ports:\n');
    w.write(1, 'Name\tPort\tProtocol\n');
    w.write(1, '----\t----\t--------\n');
    for (const p of eps.ports) w.write(1, `${p.name || '<unset>'}\t${p.port ?? '<unset>'}\t${p.protocol ?? ''}\n`);
  }
  if (!eps.endpoints?.length) w.write(0, 'Endpoints: <none>\n');
  else {
    w.write(0, 'Endpoints:\n');
    for (const e of eps.endpoints) {
      w.write(1, `- Addresses:\t${e.addresses.join(', ') || '<none>'}\n`);
      w.write(2, 'Conditions:\n');
      w.write(3, `Ready:\t${e.conditions?.ready === undefined ? '<unset>' : String(e.conditions.ready)}\n`);
      w.write(2, `Hostname:\t${e.hostname ?? '<unset>'}\n`);
      if (e.targetRef) w.write(2, `TargetRef:\t${e.targetRef.kind ?? ''}/${e.targetRef.name ?? ''}\n`);
      w.write(2, `NodeName:\t${e.nodeName ?? '<unset>'}\n`);
      w.write(2, `Zone:\t${e.zone ?? '<unset>'}\n`);
    }
  }
  if (events) describeEvents(events, w, now);
  return w.toString();
}
