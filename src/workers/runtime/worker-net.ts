import { atomicsBlocker } from '../../network/blocking';
import { clusterResolverConfig, dnsQuery, resolveName } from '../../network/dns-resolver';
import { parseIpv4 } from '../../network/ipv4';
import { NetworkFabric } from '../../network/network-fabric';
import type { LaunchNet } from './process-launcher';
import type { WasiNet } from './wasi/guest-socket';

/**
 * The WasiNet of a container Worker (StartMessage.net): blocking socket calls wait with Atomics.wait on the
 * fabric, in cluster-time units of `now`, and return EINTR as soon as `interrupted()` (a pending signal).
 * `blocking` wraps each wait (the stats writer excludes it from CPU time). Names resolve through the
 * fabric's DNS records with the pod's resolv.conf search path and ndots (net.dns; else ClusterFirst's for
 * its namespace); the first A record. When NetworkPolicy denies the pod's egress to kube-dns (UDP 53), every
 * lookup fails (no address; SERVFAIL for dnsQuery) as it would once the real resolver gave up.
 */
export function workerNet(
  net: LaunchNet & { owner: number },
  now: () => number,
  interrupted: () => boolean,
  blocking: <T>(wait: () => T) => T = (wait) => wait(),
): WasiNet {
  const blocker = atomicsBlocker(now, interrupted);
  const fabric = new NetworkFabric(net.fabric);
  const podIp = parseIpv4(net.podIp) ?? 0;
  const resolver = net.dns ? { search: net.dns.search, ndots: net.dns.ndots } : clusterResolverConfig(net.namespace ?? 'default');
  return {
    fabric,
    podIp,
    owner: net.owner,
    blocker: { wait: (words, index, value, timeoutMs) => blocking(() => blocker.wait(words, index, value, timeoutMs)) },
    now,
    ...(fabric.services
      ? {
          resolve: (name: string) => (fabric.dnsAllowed(podIp) ? resolveName(fabric.services!.read().dns, name, resolver)?.addresses[0] : undefined),
          dnsQuery: (name: string, qtype: 'A' | 'AAAA' | 'CNAME' | 'SRV') => {
            if (!fabric.dnsAllowed(podIp)) return { rcode: 2, answer: '' };
            const r = dnsQuery(fabric.services!.read().dns, name, qtype);
            return { rcode: r.rcode, answer: r.answers.map((rr) => `${rr.type}\t${rr.name}\t${rr.data}\n`).join('') };
          },
        }
      : {}),
  };
}
