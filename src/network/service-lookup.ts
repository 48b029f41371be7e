import { clusterResolverConfig, resolveName, type DnsAnswer, type ResolverConfig } from './dns-resolver';
import { formatIpv4, parseIpv4 } from './ipv4';
import type { NetworkFabric } from './network-fabric';

/**
 * Where a connection to a Service address would go, as NetworkFabric.connect routes it (kube-proxy's DNAT):
 * a ready endpoint { ip, port }, or undefined when ip:port is no Service address or the Service has no ready
 * endpoint. Each call is a fresh random pick (or the affinity choice for fromIp). For proxies (the Service
 * Worker, apiserver proxy); dialTcp to a ClusterIP routes by itself.
 */
export function resolveService(fabric: NetworkFabric, ip: string | number, port: number, opts: { fromIp?: string | number; now?: number } = {}): { ip: string; port: number } | undefined {
  const to = typeof ip === 'number' ? ip : parseIpv4(ip);
  const from = typeof opts.fromIp === 'number' ? opts.fromIp : parseIpv4(opts.fromIp ?? '0.0.0.0');
  if (to === undefined || !fabric.services) return undefined;
  const r = fabric.services.route(to, port, from ?? 0, opts.now);
  return r && r !== 'ECONNREFUSED' && r !== 'DROP' ? { ip: formatIpv4(r.ip), port: r.port } : undefined;
}

/**
 * The Service port `namespace/name` by port number or port name: its address (the ClusterIP rule's ip:port)
 * and ready endpoints; undefined when no such Service port has a rule (unknown, headless, ExternalName).
 */
export function serviceEndpoints(fabric: NetworkFabric, namespace: string, name: string, port: string | number): { ip: string; port: number; endpoints: Array<{ ip: string; port: number }> } | undefined {
  const rules = fabric.services?.read().rules ?? {};
  for (const [key, rule] of Object.entries(rules)) {
    if (rule.svc !== `${namespace}/${name}` || key.includes('/')) continue; // TCP rules only
    const [ip, p] = key.split(':').map(Number);
    if (typeof port === 'string' ? rule.port !== port : p !== port) continue;
    // NodePort and LoadBalancer keys share the rule; the ClusterIP key is 10.96.0.0/12.
    if (ip >>> 20 !== 0x0a6) continue;
    return { ip: formatIpv4(ip), port: p, endpoints: rule.eps.map(([eip, ep]) => ({ ip: formatIpv4(eip), port: ep })) };
  }
  return undefined;
}

/** Resolves a name as a pod in namespace ns would (search path, ndots:5) from the fabric's DNS records. */
export function resolveClusterName(fabric: NetworkFabric, name: string, cfg: ResolverConfig | string = 'default'): DnsAnswer | undefined {
  const dns = fabric.services?.read().dns;
  if (!dns) return undefined;
  return resolveName(dns, name, typeof cfg === 'string' ? clusterResolverConfig(cfg) : cfg);
}
