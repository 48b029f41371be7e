import { answerDnsQuery, CLUSTER_DNS_IP, DNS_PORT } from './dns-wire';
import { masqueradeSource, policySource } from './masquerade';
import type { NetworkFabric } from './network-fabric';

/**
 * NetworkFabric.sendUdp (see its contract there): kube-dns, Service DNAT + SNAT (masquerade.ts) + conntrack
 * (UdpTable.track, expiring on `now`), NetworkPolicy (ingress against the post-SNAT source when another node
 * masqueraded it, masquerade.ts policySource), delivery.
 */
export function sendDatagram(fabric: NetworkFabric, from: { ip: number; port: number }, toIp: number, toPort: number, data: Uint8Array, loopback = false, now?: number): 'queued' | 'dropped' | 'unreachable' | 'EMSGSIZE' {
  const udp = fabric.udp;
  if (!udp) return 'unreachable';
  if (data.length > udp.maxDatagram) return 'EMSGSIZE';
  const pol = fabric.policies;
  const denied = (ip: number, port: number, seen = from.ip) => pol !== undefined && pol.active && !loopback && !pol.allows(from.ip, ip, port, 'UDP', seen);
  if (toIp >>> 0 === CLUSTER_DNS_IP && toPort === DNS_PORT && fabric.services) {
    if (denied(CLUSTER_DNS_IP, DNS_PORT)) return 'dropped';
    const reply = answerDnsQuery(fabric.services.read().dns, data);
    return reply ? udp.deliver(from.ip, from.port, { ip: CLUSTER_DNS_IP, port: DNS_PORT }, reply, true) : 'queued';
  }
  // A reply to a live flow (to its client socket or its SNAT address) is not a new Service flow.
  const reply = !loopback && udp.replyTarget(toIp, toPort, from, now) >= 0;
  const routed = loopback || reply ? undefined : fabric.services?.route(toIp, toPort, from.ip, now, 'UDP');
  if (routed === 'ECONNREFUSED') return 'unreachable';
  if (routed === 'DROP') return 'dropped';
  const s = udp.socketAt(from.ip, from.port);
  let ip = toIp;
  let port = toPort;
  let src = from;
  let seen = from.ip;
  if (routed) {
    const ct = s >= 0 ? udp.tracked(s, now) : undefined;
    const keep = ct && ct.vIp === toIp >>> 0 && ct.vPort === toPort && routed.rule.aff === undefined && routed.rule.eps.some(([eip, ep]) => eip >>> 0 === ct.eIp && ep === ct.ePort);
    ip = keep ? ct.eIp : routed.ip;
    port = keep ? ct.ePort : routed.port;
    const table = fabric.services!.read();
    const snat = masqueradeSource(table, routed.rule, from.ip, ip);
    if (snat !== undefined) src = { ip: snat, port: from.port };
    seen = policySource(table, snat, from.ip);
    if (s >= 0) udp.track(s, { vIp: toIp, vPort: toPort, eIp: ip, ePort: port, sIp: snat ?? 0 }, now);
  } else if (s >= 0 && !loopback && !reply) udp.track(s, { vIp: toIp, vPort: toPort, eIp: toIp, ePort: toPort, sIp: 0 }, now);
  // A reply to the receiver's own tracked flow is allowed whatever the policy (conntrack ESTABLISHED).
  if (!reply && denied(ip, port, seen)) return 'dropped';
  return udp.deliver(ip, port, src, data, loopback, now);
}
