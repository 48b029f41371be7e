import { answerDnsQuery, CLUSTER_DNS_IP, DNS_PORT } from './dns-wire';
import type { NetworkFabric } from './network-fabric';

/** NetworkFabric.sendUdp (see its contract there): kube-dns, Service DNAT + conntrack, NetworkPolicy, delivery. */
export function sendDatagram(fabric: NetworkFabric, from: { ip: number; port: number }, toIp: number, toPort: number, data: Uint8Array, loopback = false, now?: number): 'queued' | 'dropped' | 'unreachable' | 'EMSGSIZE' {
  const udp = fabric.udp;
  if (!udp) return 'unreachable';
  if (data.length > udp.maxDatagram) return 'EMSGSIZE';
  const pol = fabric.policies;
  const denied = (ip: number, port: number) => pol !== undefined && pol.active && !loopback && !pol.allows(from.ip, ip, port, 'UDP');
  if (toIp >>> 0 === CLUSTER_DNS_IP && toPort === DNS_PORT && fabric.services) {
    if (denied(CLUSTER_DNS_IP, DNS_PORT)) return 'dropped';
    const reply = answerDnsQuery(fabric.services.read().dns, data);
    return reply ? udp.deliver(from.ip, from.port, { ip: CLUSTER_DNS_IP, port: DNS_PORT }, reply, true) : 'queued';
  }
  const routed = loopback ? undefined : fabric.services?.route(toIp, toPort, from.ip, now, 'UDP');
  if (routed === 'ECONNREFUSED') return 'unreachable';
  if (routed === 'DROP') return 'dropped';
  const s = udp.socketAt(from.ip, from.port);
  let ip = toIp;
  let port = toPort;
  if (routed) {
    const ct = s >= 0 ? udp.tracked(s) : undefined;
    const keep = ct && ct.vIp === toIp >>> 0 && ct.vPort === toPort && routed.rule.aff === undefined && routed.rule.eps.some(([eip, ep]) => eip >>> 0 === ct.eIp && ep === ct.ePort);
    ip = keep ? ct.eIp : routed.ip;
    port = keep ? ct.ePort : routed.port;
  }
  if (s >= 0 && !loopback) udp.track(s, toIp, toPort, ip, port);
  // A reply to the receiver's own tracked flow is allowed whatever the policy (conntrack ESTABLISHED).
  const d = loopback ? -1 : udp.socketAt(ip, port);
  const back = d >= 0 ? udp.tracked(d) : undefined;
  const reply = back !== undefined && back.eIp === from.ip >>> 0 && back.ePort === from.port;
  if (!reply && denied(ip, port)) return 'dropped';
  return udp.deliver(ip, port, from, data, loopback);
}
