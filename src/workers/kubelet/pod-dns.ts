import type { Pod } from 'kubernetes-types/core/v1';
import type { PodSandboxConfig } from '../runtime/cri';

export const CLUSTER_DNS = '10.96.0.10';
export const CLUSTER_DOMAIN = 'cluster.local';

/**
 * The sandbox's DNS config as the kubelet derives it from dnsPolicy (ClusterFirst, the default: the cluster
 * DNS with `<ns>.svc.cluster.local svc.cluster.local cluster.local` and ndots:5; ClusterFirstWithHostNet the
 * same; Default and hostNetwork ClusterFirst: the node's resolv.conf, which in the tab is none; None: only
 * spec.dnsConfig), then spec.dnsConfig's nameservers, searches and options merged in (options by name, its
 * values winning).
 */
export function podDnsConfig(pod: Pod): PodSandboxConfig['dnsConfig'] | undefined {
  const ns = pod.metadata?.namespace ?? 'default';
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const cluster = policy === 'ClusterFirstWithHostNet' || (policy === 'ClusterFirst' && pod.spec?.hostNetwork !== true);
  const base = cluster ? { servers: [CLUSTER_DNS], searches: [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN], options: ['ndots:5'] } : undefined;
  const extra = pod.spec?.dnsConfig;
  if (!base && (policy !== 'None' || !extra)) return undefined;
  const servers = [...(base?.servers ?? []), ...(extra?.nameservers ?? [])];
  const searches = [...new Set([...(base?.searches ?? []), ...(extra?.searches ?? [])])];
  const options = new Map<string, string>();
  for (const o of base?.options ?? []) options.set(o.split(':')[0], o);
  for (const o of extra?.options ?? []) options.set(o.name ?? '', o.value !== undefined ? `${o.name}:${o.value}` : (o.name ?? ''));
  return { servers, searches, options: [...options.values()] };
}

/**
 * The kubelet-managed /etc/hosts: the localhost boilerplate, the pod's own line (`<ip>\t<hostname>.<subdomain>.
 * <ns>.svc.cluster.local\t<hostname>` with a subdomain, else `<ip>\t<hostname>`) and spec.hostAliases.
 */
export function etcHostsFile(pod: Pod, podIP: string): string {
  const hostname = pod.spec?.hostname || pod.metadata?.name || '';
  const sub = pod.spec?.subdomain;
  let out =
    '# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n';
  out += sub ? `${podIP}\t${hostname}.${sub}.${pod.metadata?.namespace ?? 'default'}.svc.${CLUSTER_DOMAIN}\t${hostname}\n` : `${podIP}\t${hostname}\n`;
  return out + hostAliasesText(pod);
}

function hostAliasesText(pod: Pod): string {
  const aliases = pod.spec?.hostAliases ?? [];
  if (!aliases.length) return '';
  let out = '\n# Entries added by HostAliases.\n';
  for (const a of aliases) out += `${a.ip}\t${(a.hostnames ?? []).join('\t')}\n`;
  return out;
}

/**
 * A host-network pod's /etc/hosts: the node's own (what a kind node's container runtime writes: localhost
 * lines and `<nodeIP>\t<nodeName>`) under kubelet's host-network header, then spec.hostAliases.
 */
export function nodeEtcHostsFile(pod: Pod, nodeIP: string, nodeName: string): string {
  const node =
    '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n' +
    `${nodeIP}\t${nodeName}\n`;
  return '# Kubernetes-managed hosts file (host network).\n' + node + hostAliasesText(pod);
}
