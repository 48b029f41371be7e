/**
 * src/workers/kube-proxy: the Service data plane (core, no Worker of its own). One startKubeProxy per
 * cluster, run by whoever owns the fabric (src/cluster/local-cluster.ts in Node, the page in the tab): it
 * turns Services + EndpointSlices + Nodes into the fabric's service table (src/network/service-table.ts),
 * which NetworkFabric.connect (TCP) and sendUdp (UDP) consult synchronously (ClusterIP, NodePort at every
 * node's InternalIP, LoadBalancer IPs; random endpoint, sessionAffinity ClientIP; no endpoints → ECONNREFUSED;
 * internal/external TrafficPolicy Local → only the client's node's endpoints, none → dropped; a LoadBalancer IP
 * with externalTrafficPolicy Local → outside clients reach only the announcing node's endpoints, the first node
 * whose healthCheckNodePort answers 200, as MetalLB L2; externalTrafficPolicy Cluster NodePort / LoadBalancer
 * traffic, hairpin and ClusterIP traffic from outside --cluster-cidr (KubeProxyOptions.clusterCidr, default
 * 10.244.0.0/16, e.g. nodes and hostNetwork pods) are masqueraded, src/network/masquerade.ts), and the DNS records containers
 * resolve through WasiNet.resolve (src/network/dns-resolver.ts) and that answer UDP packets to 10.96.0.10:53
 * (NetworkFabric.sendUdp, src/network/dns-wire.ts). It also assigns
 * LoadBalancer IPs from 172.18.255.200-250 (MetalLB's role in kind) and creates kube-system/kube-dns
 * (kubeadm's CoreDNS addon Service; there are no CoreDNS pods: kube-proxy's table is the DNS server).
 * It also renders NetworkPolicies into the fabric's policy table (src/network/policy-table.ts; Calico's role),
 * for TCP and UDP, with kube-dns as a pod kube-system/k8s-app=kube-dns at 10.96.0.10 (DNS needs an egress rule).
 * - kube-proxy.ts: startKubeProxy (informers → microtask-coalesced publish).
 * - network-policy-rules.ts: buildPolicyTable, a pure function of (policies, pods, namespaces, nodes).
 * - service-rules.ts: buildServiceTable, a pure function of (services, slices, nodes).
 * - lb-ips.ts: assignLoadBalancerIps, LB_POOL.
 * - health-check-server.ts: HealthCheckServer, kube-proxy's healthCheckNodePort HTTP server on each node IP.
 * - kube-dns-addon.ts: ensureKubeDnsService, kubeDnsService.
 */
export { startKubeProxy, type KubeProxy, type KubeProxyOptions } from './kube-proxy';
export { announcingNode, buildServiceTable, DEFAULT_AFFINITY_SECONDS, DEFAULT_CLUSTER_CIDR, nodeInternalIp } from './service-rules';
export { assignLoadBalancerIps, LB_POOL } from './lb-ips';
export { HealthCheckServer } from './health-check-server';
export { buildPolicyTable, parseCidr } from './network-policy-rules';
export { ensureKubeDnsService, kubeDnsService } from './kube-dns-addon';
