/**
 * src/network: the in-tab TCP network ("fabric") that container Workers and async JS share (core).
 * - NetworkFabric: one SharedArrayBuffer per cluster (created once by whoever boots the cluster, handed to
 *   every kubelet and from there to every container launch): a listener table, a pool of connection slots
 *   (two SPSC byte rings each) and seq words for Atomics.wait/notify. Layout in fabric-layout.ts.
 * - ConnEnd: one end of a connection, non-blocking (tryRead/tryWrite/shutdown/close, readiness).
 * - blocking.ts: the synchronous API for WASI hosts (a Blocker over Atomics.wait, interruptible by signals).
 * - dial-tcp.ts: the async API (dialTcp, listenTcp → AsyncConn) over Atomics.waitAsync or a clock poll.
 * - ipv4.ts: dotted-quad parsing. Once set up, data flows Worker↔Worker through the rings, never through
 *   the main thread. A process's sockets are tagged with an owner id; releaseOwner closes them when it exits.
 * - service-table.ts: the Service rules + DNS records region of the same buffer (written by kube-proxy,
 *   src/workers/kube-proxy); connect() DNATs Service addresses to a ready endpoint through it.
 * - policy-table.ts: the NetworkPolicy region of the same buffer (written by kube-proxy); connect() drops a
 *   connection it denies (checked after Service DNAT, skipped entirely while no pod is isolated), so callers
 *   see a timeout, never ECONNREFUSED.
 * - service-lookup.ts: resolveService(fabric, ip, port) → a ready endpoint {ip, port} | undefined (for proxies:
 *   the Service Worker, apiserver proxy), serviceEndpoints(fabric, ns, name, port), resolveClusterName.
 * - dns-resolver.ts: cluster DNS lookups with search path + ndots (resolv.conf semantics).
 * - udp-table.ts: bound UDP sockets with bounded datagram queues (full → dropped) and one conntrack entry per
 *   socket; NetworkFabric.sendUdp DNATs UDP Service addresses like connect() (replies come back from the
 *   Service address), applies NetworkPolicy to UDP (replies to a tracked flow always pass), and answers
 *   datagrams to kube-dns (10.96.0.10:53) itself with dns-wire.ts (RFC 1035 packets from the DNS records
 *   above), so DNS over UDP needs no pod — subject to the sender's egress policy (dnsAllowed for in-process
 *   resolvers). The datagram path itself is send-datagram.ts. A socket's conntrack entry expires on the cluster
 *   clock (sendUdp's `now`) as nf_conntrack's UDP defaults, which kube-proxy keeps: 30 s after the last datagram
 *   while unreplied, 120 s once replied (UDP_CT_UNREPLIED_MS / UDP_CT_REPLIED_MS).
 * - masquerade.ts: kube-proxy's SNAT (KUBE-MARK-MASQ + MASQUERADE) for TCP and UDP: externalTrafficPolicy
 *   Cluster NodePort / LoadBalancer traffic reaches the endpoint from the entry node's IP (its pod bridge
 *   gateway, podCIDR .1, when the endpoint is on that node), hairpin (a pod reaching itself through its Service)
 *   from its node's gateway; a ClusterIP reached from outside the cluster CIDR (a node, a hostNetwork pod) from
 *   the client's node; pod → ClusterIP and Local keep the client IP. Replies come back through the NAT: the
 *   client end still sees the Service address. The server end's ConnEnd.remote is the post-SNAT address, and
 *   NetworkPolicy ingress sees it too when another node did the NAT (policySource; same-node NAT happens after
 *   the policy, as in Calico's FORWARD chain).
 * - open-connection.ts: NetworkFabric.connect's body (DNAT, SNAT, policy, slot setup); format-fabric.ts:
 *   NetworkFabric.create's buffer layout and defaults.
 * The socket ABI on top of this is src/workers/runtime/wasi/wasi-socket-calls.ts (docs/sockets.md).
 */
export { NetworkFabric, type ConnectRequest, type NetErrno } from './network-fabric';
export { ConnEnd, type TryRead, type TryWrite } from './conn-end';
export { atomicsBlocker, blockingAccept, blockingConnect, blockingRead, blockingWrite, blockUntil, type Blocked, type Blocker, type WaitOutcome } from './blocking';
export { asyncConn, defaultAsyncWait, dialTcp, listenTcp, NetError, type AsyncConn, type AsyncListener, type AsyncWait, type DialOptions } from './dial-tcp';
export { formatIpv4, INADDR_ANY, isLoopback, LOOPBACK, parseIpv4 } from './ipv4';
export { type FabricSizes, fabricBytes } from './fabric-layout';
export { ServiceTable, ruleKey, serviceTableBytes, type DnsRecord, type RouteResult, type ServiceRule, type ServiceTableData } from './service-table';
export { inCidr, PolicyTable, policyTableBytes, type PolicyPeer, type PolicyPort, type PolicyRule, type PolicyTableData, type PolicyTarget } from './policy-table';
export { resolveClusterName, resolveService, serviceEndpoints } from './service-lookup';
export { candidateNames, CLUSTER_DOMAIN, clusterResolverConfig, dnsQuery, lookupFqdn, resolveName, type DnsAnswer, type DnsRr, type ResolverConfig } from './dns-resolver';
export { UDP_CT_REPLIED_MS, UDP_CT_UNREPLIED_MS, UdpTable, udpTableBytes, type Datagram, type UdpFlow } from './udp-table';
export { masqueradeSource, policySource } from './masquerade';
export { answerDnsQuery, CLUSTER_DNS_IP, DNS_PORT, encodeName, parseQuestion, QTYPE, type DnsQuestion } from './dns-wire';
