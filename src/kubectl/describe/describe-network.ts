import type { Event } from 'kubernetes-types/core/v1';
import type { Ingress, IngressBackend, IngressClass, NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer } from 'kubernetes-types/networking/v1';
import { PrefixWriter } from './prefix-writer';
import { describeEvents } from './describe-events';
import { printAnnotationsMultiline, printLabelsMultiline } from './describe-labels';
import { selectorString } from './describe-pod-template';

/** Resolves a service backend to "(endpoints)" or "(<error: …>)" text, as the IngressDescriber does with live lookups. */
export type BackendResolver = (namespace: string, backend: IngressBackend) => string;

function describeBackend(ns: string, b: IngressBackend | undefined, resolve: BackendResolver): string {
  if (b?.service) {
    const port = b.service.port?.name ? b.service.port.name : String(b.service.port?.number ?? 0);
    return `${b.service.name}:${port} (${resolve(ns, b)})`;
  }
  if (b?.resource) return `APIGroup: ${b.resource.apiGroup ?? '<none>'}, Kind: ${b.resource.kind}, Name: ${b.resource.name}`;
  return '';
}

/** kubectl describe ingress (networking.k8s.io/v1). */
export function describeIngress(ing: Ingress, resolve: BackendResolver, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  const ns = ing.metadata?.namespace ?? '';
  const spec = ing.spec ?? {};
  w.write(0, `Name:\t${ing.metadata?.name ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', ing.metadata?.labels);
  w.write(0, `Namespace:\t${ns}\n`);
  const address = (ing.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').join(',');
  w.write(0, `Address:\t${address}\n`);
  w.write(0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
  const def = spec.defaultBackend ? describeBackend(ns, spec.defaultBackend, resolve) : '<default>';
  w.write(0, `Default backend:\t${def}\n`);
  if (spec.tls?.length) {
    w.write(0, 'TLS:\n');
    for (const t of spec.tls) w.write(1, t.secretName ? `${t.secretName} terminates ${(t.hosts ?? []).join(',')}\n` : `SNI routes ${(t.hosts ?? []).join(',')}\n`);
  }
  w.write(0, 'Rules:\n  Host\tPath\tBackends\n');
  w.write(1, '----\t----\t--------\n');
  let count = 0;
  for (const rule of spec.rules ?? []) {
    if (!rule.http) continue;
    count++;
    w.write(1, `${rule.host || '*'}\t\n`);
    for (const p of rule.http.paths) w.write(2, `\t${p.path ?? ''} \t${describeBackend(ns, p.backend, resolve)}\n`);
  }
  if (!count) w.write(1, `*\t*\t${def}\n`);
  printAnnotationsMultiline(w, 'Annotations', ing.metadata?.annotations);
  if (events) describeEvents(events, w, now);
  return w.toString();
}

const formatSelector = (s: Parameters<typeof selectorString>[0]) => selectorString(s) || '<none>';

function printPeers(w: PrefixWriter, indent: string, title: string, peers: NetworkPolicyPeer[]): void {
  for (const p of peers) {
    w.write(0, `${indent}${title}:\n`);
    if (p.podSelector && p.namespaceSelector) {
      w.write(1, `${indent}NamespaceSelector: ${formatSelector(p.namespaceSelector)}\n`);
      w.write(1, `${indent}PodSelector: ${formatSelector(p.podSelector)}\n`);
    } else if (p.podSelector) w.write(1, `${indent}PodSelector: ${formatSelector(p.podSelector)}\n`);
    else if (p.namespaceSelector) w.write(1, `${indent}NamespaceSelector: ${formatSelector(p.namespaceSelector)}\n`);
    else if (p.ipBlock) {
      w.write(1, `${indent}IPBlock:\n`);
      w.write(2, `${indent}CIDR: ${p.ipBlock.cidr}\n`);
      w.write(2, `${indent}Except: ${(p.ipBlock.except ?? []).join(', ')}\n`);
    }
  }
}

function printRules(w: PrefixWriter, rules: (NetworkPolicyIngressRule | NetworkPolicyEgressRule)[], dir: 'ingress' | 'egress'): void {
  const indent = '    ';
  if (!rules.length) return w.write(0, `${indent}<none> (Selected pods are isolated for ${dir} connectivity)\n`);
  rules.forEach((r, i) => {
    if (!r.ports?.length) w.write(0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    else for (const p of r.ports) w.write(0, `${indent}To Port: ${p.port ?? '<any>'}${p.endPort ? `-${p.endPort}` : ''}/${p.protocol ?? 'TCP'}\n`);
    const peers = dir === 'ingress' ? (r as NetworkPolicyIngressRule).from : (r as NetworkPolicyEgressRule).to;
    if (!peers?.length) w.write(0, dir === 'ingress' ? `${indent}From: <any> (traffic not restricted by source)\n` : `${indent}To: <any> (traffic not restricted by destination)\n`);
    else printPeers(w, indent, dir === 'ingress' ? 'From' : 'To', peers);
    if (i !== rules.length - 1) w.write(0, `${indent}----------\n`);
  });
}

/** Go's time.Time String() for a metav1.Time: "2006-01-02 15:04:05 +0000 UTC". */
function goTimeString(ts: string | undefined): string {
  if (!ts) return '0001-01-01 00:00:00 +0000 UTC';
  return `${new Date(ts).toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`;
}

/** kubectl describe networkpolicy. */
export function describeNetworkPolicy(np: NetworkPolicy): string {
  const w = new PrefixWriter();
  const spec = (np.spec ?? {}) as Partial<NonNullable<NetworkPolicy['spec']>>;
  w.write(0, `Name:\t${np.metadata?.name ?? ''}\n`);
  w.write(0, `Namespace:\t${np.metadata?.namespace ?? ''}\n`);
  w.write(0, `Created on:\t${goTimeString(np.metadata?.creationTimestamp)}\n`);
  printLabelsMultiline(w, 'Labels', np.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', np.metadata?.annotations);
  w.write(0, 'Spec:\n');
  w.write(1, 'PodSelector: ');
  const sel = spec.podSelector;
  if (!Object.keys(sel?.matchLabels ?? {}).length && !sel?.matchExpressions?.length) w.write(2, '<none> (Allowing the specific traffic to all pods in this namespace)\n');
  else w.write(2, `${formatSelector(sel)}\n`);
  const types = spec.policyTypes ?? [];
  if (types.includes('Ingress')) {
    w.write(1, 'Allowing ingress traffic:\n');
    printRules(w, spec.ingress ?? [], 'ingress');
  } else w.write(1, 'Not affecting ingress traffic\n');
  if (types.includes('Egress')) {
    w.write(1, 'Allowing egress traffic:\n');
    printRules(w, spec.egress ?? [], 'egress');
  } else w.write(1, 'Not affecting egress traffic\n');
  w.write(1, `Policy Types: ${types.join(', ')}\n`);
  return w.toString();
}

/** kubectl describe ingressclass: controller and, when set, the parameters reference. */
export function describeIngressClass(ic: IngressClass, events: Event[] | undefined, now: number): string {
  const w = new PrefixWriter();
  w.write(0, `Name:\t${ic.metadata?.name ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', ic.metadata?.labels);
  printAnnotationsMultiline(w, 'Annotations', ic.metadata?.annotations);
  w.write(0, `Controller:\t${ic.spec?.controller ?? ''}\n`);
  const params = ic.spec?.parameters;
  if (params) {
    w.write(0, 'Parameters:\n');
    if (params.apiGroup) w.write(1, `APIGroup:\t${params.apiGroup}\n`);
    w.write(1, `Kind:\t${params.kind}\n`);
    w.write(1, `Name:\t${params.name}\n`);
  }
  if (events) describeEvents(events, w, now);
  return w.toString();
}
