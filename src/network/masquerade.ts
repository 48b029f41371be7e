import type { ServiceRule, ServiceTableData } from './service-table';

const inNet = (ip: number, net: number, prefix: number) => prefix <= 0 || ip >>> (32 - Math.min(32, prefix)) === net >>> (32 - Math.min(32, prefix));

/**
 * The source address kube-proxy's iptables mode gives a DNATed connection (KUBE-MARK-MASQ, then
 * KUBE-POSTROUTING's MASQUERADE, which takes the address of the interface the packet leaves by), or undefined
 * when the client address is kept:
 * - hairpin (KUBE-SEP's `-s <endpoint IP> -j KUBE-MARK-MASQ`: a pod reaching itself through its Service) and
 *   externalTrafficPolicy Cluster traffic to a NodePort / LoadBalancer address (rule.masq) are masqueraded;
 * - a ClusterIP (rule.offCluster) reached from outside the cluster CIDR (`data.cidr`, kube-proxy's
 *   --cluster-cidr: KUBE-SVC's `! -s <clusterCIDR> -j KUBE-MARK-MASQ`), e.g. from a node or a hostNetwork pod,
 *   is masqueraded by the node the client is on (its InternalIP is the source), or by the first node for a
 *   source that is no node (a static route for the Service range to any node). 0.0.0.0 (the tab itself, not
 *   an address on any network) is kept;
 * - a node reaching its own externalTrafficPolicy Local NodePort, or any such LoadBalancer address, from its
 *   own IP (rule.masqLocal: KUBE-EXT's `-m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`) is masqueraded by itself;
 * - MASQUERADE picks the node's bridge address toward its pods (the podCIDR's first address, cni0 / the ptp
 *   host side) when the endpoint is on the node doing the NAT, else the node's InternalIP (the packet leaves
 *   by eth0 to the endpoint's node);
 * - pod → ClusterIP keeps the pod IP; externalTrafficPolicy Local keeps an outside client's IP.
 * Without `data.nodes` the endpoint's node is unknown and the ingress node's IP is used.
 */
export function masqueradeSource(data: ServiceTableData, rule: ServiceRule, fromIp: number, epIp: number): number | undefined {
  const nodes = data.nodes ?? [];
  const gateway = (nodeIp: number) => {
    const n = nodes.find(([ip, net, prefix]) => ip >>> 0 === nodeIp >>> 0 && prefix > 0 && inNet(epIp >>> 0, net, prefix));
    return n ? ((n[1] >>> 0) + 1) >>> 0 : undefined;
  };
  if (fromIp >>> 0 === epIp >>> 0) {
    const own = nodes.find(([, net, prefix]) => prefix > 0 && inNet(epIp >>> 0, net, prefix));
    return own ? ((own[1] >>> 0) + 1) >>> 0 : undefined;
  }
  const natNode = natNodeOf(data, rule, fromIp >>> 0);
  if (natNode === undefined) return undefined;
  return gateway(natNode) ?? natNode >>> 0;
}

/** The InternalIP of the node whose KUBE-MARK-MASQ marks this connection, or undefined when none does. */
function natNodeOf(data: ServiceTableData, rule: ServiceRule, from: number): number | undefined {
  if (rule.masq !== undefined) return rule.masq;
  if (from === 0) return undefined;
  const nodes = data.nodes ?? [];
  if (rule.masqLocal !== undefined) return rule.masqLocal === 0 || rule.masqLocal >>> 0 === from ? nodes.find(([ip]) => ip >>> 0 === from)?.[0] : undefined;
  if (!rule.offCluster || !data.cidr || inNet(from, data.cidr[0] >>> 0, data.cidr[1])) return undefined;
  return (nodes.find(([ip]) => ip >>> 0 === from) ?? nodes[0])?.[0];
}

/**
 * The source a NetworkPolicy ingress rule of the endpoint sees for a connection masqueraded to `snat`: the
 * policy is enforced on the endpoint's node, before that node's own POSTROUTING (as Calico's FORWARD/OUTPUT
 * chains are), so a connection NATed by another node arrives from that node's InternalIP while one NATed by
 * the endpoint's own node (snat is its bridge gateway) is still seen from the original client.
 */
export function policySource(data: ServiceTableData, snat: number | undefined, fromIp: number): number {
  if (snat === undefined) return fromIp;
  const bridge = (data.nodes ?? []).some(([, net, prefix]) => prefix > 0 && ((net >>> 0) + 1) >>> 0 === snat >>> 0);
  return bridge ? fromIp : snat;
}
