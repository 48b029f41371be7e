import type { ServiceRule, ServiceTableData } from './service-table';

const inNet = (ip: number, net: number, prefix: number) => prefix <= 0 || ip >>> (32 - Math.min(32, prefix)) === net >>> (32 - Math.min(32, prefix));

/**
 * The source address kube-proxy's iptables mode gives a DNATed connection (KUBE-MARK-MASQ, then
 * KUBE-POSTROUTING's MASQUERADE, which takes the address of the interface the packet leaves by), or undefined
 * when the client address is kept:
 * - hairpin (KUBE-SEP's `-s <endpoint IP> -j KUBE-MARK-MASQ`: a pod reaching itself through its Service) and
 *   externalTrafficPolicy Cluster traffic to a NodePort / LoadBalancer address (rule.masq) are masqueraded;
 * - MASQUERADE picks the node's bridge address toward its pods (the podCIDR's first address, cni0 / the ptp
 *   host side) when the endpoint is on the node doing the NAT, else the node's InternalIP (the packet leaves
 *   by eth0 to the endpoint's node);
 * - pod → ClusterIP keeps the pod IP (kube-proxy run with --cluster-cidr); externalTrafficPolicy Local keeps
 *   the client IP (those rules carry no masq).
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
  if (rule.masq === undefined) return undefined;
  return gateway(rule.masq) ?? rule.masq >>> 0;
}
