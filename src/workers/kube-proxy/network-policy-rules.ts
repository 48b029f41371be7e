import type { Namespace, Node, Pod } from 'kubernetes-types/core/v1';
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyIngressRule, NetworkPolicyEgressRule } from 'kubernetes-types/networking/v1';
import { labelSelectorAsSelector, type Selector } from '../../api/label-selector';
import { parseIpv4 } from '../../network/ipv4';
import { CLUSTER_DNS_IP } from '../../network/dns-wire';
import type { PolicyPeer, PolicyPort, PolicyRule, PolicyTableData, PolicyTarget } from '../../network/policy-table';
import { nodeInternalIp } from './service-rules';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * kube-dns's answering "pod": there are no CoreDNS pods (the fabric answers 10.96.0.10:53 itself), so policies
 * see kube-dns as a pod kube-system/coredns with CoreDNS's label k8s-app=kube-dns at the kube-dns ClusterIP:
 * an egress rule to it (e.g. namespaceSelector kube-system + podSelector k8s-app=kube-dns, port 53/UDP) allows
 * DNS, and policies in kube-system selecting it restrict who may query (NetworkFabric.sendUdp).
 */
const KUBE_DNS_POD: PodInfo = { ip: CLUSTER_DNS_IP, ns: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

/** "10.0.0.0/8" → [network, prefix]; undefined when not an IPv4 CIDR (IPv6 blocks never match here). */
export function parseCidr(cidr: string): [number, number] | undefined {
  const [addr, bits, extra] = cidr.split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const ip = parseIpv4(addr);
  return ip === undefined ? undefined : [ip, Number(bits)];
}

interface PodInfo {
  ip: number;
  ns: string;
  labels: Record<string, string>;
  node?: number;
}

/** Pods on the pod network: with a podIP, not hostNetwork, not finished (Calico removes finished pods' endpoints). */
function networkPods(pods: Pod[], nodeIps: Map<string, number>): PodInfo[] {
  const out: PodInfo[] = [];
  for (const p of pods) {
    if (p.spec?.hostNetwork || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    const ip = p.status?.podIP ? parseIpv4(p.status.podIP) : undefined;
    if (ip === undefined) continue;
    const node = p.spec?.nodeName ? nodeIps.get(p.spec.nodeName) : undefined;
    out.push({ ip, ns: p.metadata?.namespace ?? 'default', labels: p.metadata?.labels ?? {}, ...(node !== undefined ? { node } : {}) });
  }
  return out;
}

const selector = (sel: Parameters<typeof labelSelectorAsSelector>[0]): Selector | 'nothing' => {
  try {
    return labelSelectorAsSelector(sel);
  } catch {
    return 'nothing';
  }
};
const matches = (s: Selector | 'nothing', labels: Record<string, string>) => s !== 'nothing' && s.matches(labels);

/**
 * The whole NetworkPolicy table from the cluster's NetworkPolicies, Pods, Namespaces and Nodes, as Calico
 * renders Kubernetes policies:
 * - a policy selects the pods of its namespace matching spec.podSelector ({} selects all); its policyTypes
 *   default to Ingress, plus Egress when it has egress rules; a pod selected by no policy of a type is not
 *   isolated for that type;
 * - a rule with no peers (absent or empty from/to) matches every address, with no ports every port; peers
 *   are ORed: podSelector alone means pods of the policy's namespace, namespaceSelector alone every pod of
 *   the matching namespaces (labels plus kubernetes.io/metadata.name), both together the matching pods in
 *   the matching namespaces, ipBlock the cidr minus its excepts (pod IPs included, as Calico);
 * - kube-dns counts as a pod (KUBE_DNS_POD), so DNS is allowed only where a policy allows it, as under Calico;
 * - ports: protocol (default TCP), a number with an optional endPort, or a container port name resolved
 *   on the destination pod (the selected pod for ingress, the peer for egress).
 */
export function buildPolicyTable(policies: NetworkPolicy[], pods: Pod[], namespaces: Namespace[], nodes: Node[]): PolicyTableData {
  const nodeIps = new Map<string, number>();
  for (const n of nodes) {
    const ip = nodeInternalIp(n);
    const u = ip !== undefined ? parseIpv4(ip) : undefined;
    if (u !== undefined && n.metadata?.name) nodeIps.set(n.metadata.name, u);
  }
  const all = [...networkPods(pods, nodeIps), KUBE_DNS_POD];
  const nsLabels = new Map(namespaces.map((n) => [n.metadata?.name ?? '', { ...n.metadata?.labels, [NAMESPACE_NAME_LABEL]: n.metadata?.name ?? '' }]));
  const sets: PolicyRule[][] = [];
  const targets: Record<string, PolicyTarget> = {};

  const peerOf = (ns: string, peer: NetworkPolicyPeer): PolicyPeer => {
    if (peer.ipBlock) {
      const cidr = parseCidr(peer.ipBlock.cidr);
      if (!cidr) return { pods: [] };
      const except = (peer.ipBlock.except ?? []).flatMap((e) => {
        const c = parseCidr(e);
        return c ? [c] : [];
      });
      return { cidr, ...(except.length ? { except } : {}) };
    }
    const podSel = peer.podSelector ? selector(peer.podSelector) : undefined;
    const nsSel = peer.namespaceSelector ? selector(peer.namespaceSelector) : undefined;
    if (!podSel && !nsSel) return { pods: [] };
    const inNs = (p: PodInfo) => (nsSel ? matches(nsSel, nsLabels.get(p.ns) ?? { [NAMESPACE_NAME_LABEL]: p.ns }) : p.ns === ns);
    return { pods: all.filter((p) => inNs(p) && (!podSel || matches(podSel, p.labels))).map((p) => p.ip) };
  };
  const portOf = (p: NetworkPolicyPort): PolicyPort => {
    const proto = p.protocol ?? 'TCP';
    if (p.port === undefined) return { proto };
    if (typeof p.port === 'string') return { proto, name: p.port };
    return { proto, port: p.port, ...(p.endPort !== undefined ? { end: p.endPort } : {}) };
  };
  const ruleOf = (ns: string, peers: NetworkPolicyPeer[] | undefined, ports: NetworkPolicyPort[] | undefined): PolicyRule => ({
    ...(peers?.length ? { peers: peers.map((x) => peerOf(ns, x)) } : {}),
    ...(ports?.length ? { ports: ports.map(portOf) } : {}),
  });

  for (const pol of policies) {
    const ns = pol.metadata?.namespace ?? 'default';
    const spec = pol.spec ?? { podSelector: {} };
    const sel = selector(spec.podSelector ?? {});
    const selected = all.filter((p) => p.ns === ns && matches(sel, p.labels));
    if (!selected.length) continue;
    const types = spec.policyTypes?.length ? spec.policyTypes : spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
    const add = (dir: 'in' | 'eg', rules: PolicyRule[]) => {
      const idx = sets.push(rules) - 1;
      for (const p of selected) {
        const t = (targets[p.ip] ??= p.node !== undefined ? { node: p.node } : {});
        (t[dir] ??= []).push(idx);
      }
    };
    if (types.includes('Ingress')) add('in', (spec.ingress ?? []).map((r: NetworkPolicyIngressRule) => ruleOf(ns, r.from, r.ports)));
    if (types.includes('Egress')) add('eg', (spec.egress ?? []).map((r: NetworkPolicyEgressRule) => ruleOf(ns, r.to, r.ports)));
  }

  const named: Record<string, Record<string, number>> = {};
  const usesNames = sets.some((rules) => rules.some((r) => r.ports?.some((p) => p.name !== undefined)));
  if (usesNames) {
    const byIp = new Map(pods.flatMap((p) => (p.status?.podIP ? [[parseIpv4(p.status.podIP) ?? 0, p] as const] : [])));
    for (const info of all) {
      const ports: Record<string, number> = {};
      for (const c of byIp.get(info.ip)?.spec?.containers ?? []) for (const cp of c.ports ?? []) if (cp.name) ports[`${cp.name}/${cp.protocol ?? 'TCP'}`] = cp.containerPort;
      if (Object.keys(ports).length) named[info.ip] = ports;
    }
  }
  return { sets, pods: targets, named };
}
