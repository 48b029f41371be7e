import type { Service } from 'kubernetes-types/core/v1';
import { formatIpv4, parseIpv4 } from '../../network/ipv4';

/** The in-tab LoadBalancer pool (MetalLB in kind: an IPAddressPool inside the docker network 172.18.0.0/16). */
export const LB_POOL: [string, string] = ['172.18.255.200', '172.18.255.250'];

const wantsIp = (svc: Service) => svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;

/**
 * LoadBalancer Services (without a loadBalancerClass) still lacking status.loadBalancer.ingress, each with the
 * address it gets: spec.loadBalancerIP when it is inside the pool and free, else the lowest free one. Services
 * for which the pool is exhausted are left out (they stay <pending>, as with MetalLB).
 */
export function assignLoadBalancerIps(services: Service[], pool: [string, string] = LB_POOL): Array<{ service: Service; ip: string }> {
  const first = parseIpv4(pool[0])!;
  const last = parseIpv4(pool[1])!;
  const used = new Set<number>();
  for (const s of services) {
    if (!wantsIp(s)) continue;
    for (const ing of s.status?.loadBalancer?.ingress ?? []) if (ing.ip) used.add(parseIpv4(ing.ip) ?? -1);
  }
  const out: Array<{ service: Service; ip: string }> = [];
  for (const s of services) {
    if (!wantsIp(s) || s.status?.loadBalancer?.ingress?.length) continue;
    const asked = s.spec?.loadBalancerIP ? parseIpv4(s.spec.loadBalancerIP) : undefined;
    let ip = asked !== undefined && asked >= first && asked <= last && !used.has(asked) ? asked : undefined;
    for (let n = first; ip === undefined && n <= last; n++) if (!used.has(n)) ip = n;
    if (ip === undefined) continue;
    used.add(ip);
    out.push({ service: s, ip: formatIpv4(ip) });
  }
  return out;
}
