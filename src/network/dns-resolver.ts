import type { DnsRecord } from './service-table';

export const CLUSTER_DOMAIN = 'cluster.local';

/** A pod's resolver configuration (its /etc/resolv.conf). */
export interface ResolverConfig {
  search: string[];
  ndots: number;
}

/** ClusterFirst's search path for a pod in namespace ns, as the kubelet writes it. */
export function clusterResolverConfig(ns: string): ResolverConfig {
  return { search: [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN], ndots: 5 };
}

/** An answer: the name that matched (after search expansion), its CNAME chain and final addresses. */
export interface DnsAnswer {
  /** The fully-qualified name queried (no trailing dot). */
  name: string;
  /** CNAMEs followed, in order: [alias, target]. */
  cnames: Array<[string, string]>;
  /** A records of the final name (empty: the name exists without addresses, e.g. an ExternalName outside the cluster). */
  addresses: number[];
  srv?: DnsRecord['srv'];
}

const POD_NAME = new RegExp(`^(\\d{1,3})-(\\d{1,3})-(\\d{1,3})-(\\d{1,3})\\.[a-z0-9-]+\\.pod\\.${CLUSTER_DOMAIN.replace('.', '\\.')}$`);

/** `<a-b-c-d>.<ns>.pod.cluster.local` → a.b.c.d for any namespace (CoreDNS `pods insecure`, kind's default). */
function podRecord(name: string): DnsRecord | undefined {
  const m = POD_NAME.exec(name);
  if (!m) return undefined;
  const parts = m.slice(1, 5).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return { a: [(((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3]) >>> 0] };
}

/** Looks up one fully-qualified name, following CNAMEs inside the table (at most 8); undefined: NXDOMAIN. */
export function lookupFqdn(dns: Record<string, DnsRecord>, fqdn: string): DnsAnswer | undefined {
  const name = fqdn.toLowerCase().replace(/\.$/, '');
  let rec = dns[name] ?? podRecord(name);
  if (!rec) return undefined;
  const cnames: Array<[string, string]> = [];
  let at = name;
  while (rec.cname && cnames.length < 8) {
    const target = rec.cname.toLowerCase().replace(/\.$/, '');
    cnames.push([at, target]);
    at = target;
    const next = dns[target];
    if (!next) return { name, cnames, addresses: [] };
    rec = next;
  }
  return { name, cnames, addresses: rec.a ?? [], ...(rec.srv ? { srv: rec.srv } : {}) };
}

/** The names a stub resolver tries for `name`, in order (glibc/musl: search first unless dots ≥ ndots or rooted). */
export function candidateNames(name: string, cfg: ResolverConfig): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = cfg.search.map((d) => `${name}.${d}`);
  return dots >= cfg.ndots ? [name, ...searched] : [...searched, name];
}

/** Resolves a name as a pod's resolver does; undefined when no candidate exists (NXDOMAIN). */
export function resolveName(dns: Record<string, DnsRecord>, name: string, cfg: ResolverConfig): DnsAnswer | undefined {
  for (const candidate of candidateNames(name, cfg)) {
    const answer = lookupFqdn(dns, candidate);
    if (answer) return answer;
  }
  return undefined;
}

/** One resource record of a DNS answer, in presentation form. */
export interface DnsRr {
  name: string;
  type: 'A' | 'CNAME' | 'SRV';
  /** A: dotted quad; CNAME: target; SRV: "priority weight port target". */
  data: string;
}

const dotted = (ip: number) => `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;

/**
 * What the cluster DNS server answers for one query of a fully-qualified name (CoreDNS's kubernetes plugin,
 * authoritative for cluster.local): rcode 3 (NXDOMAIN) for an unknown name, else 0 with the answer section:
 * the CNAME chain, then the final name's A records (for A) or SRV records (for SRV); AAAA has no addresses
 * here (IPv4 only), so it gets the CNAMEs alone (NODATA when none).
 */
export function dnsQuery(dns: Record<string, DnsRecord>, fqdn: string, qtype: 'A' | 'AAAA' | 'CNAME' | 'SRV'): { rcode: 0 | 3; answers: DnsRr[] } {
  const answer = lookupFqdn(dns, fqdn);
  if (!answer) return { rcode: 3, answers: [] };
  const answers: DnsRr[] = answer.cnames.map(([name, target]) => ({ name, type: 'CNAME' as const, data: target }));
  if (qtype === 'CNAME') return { rcode: 0, answers: answers.slice(0, 1) };
  const final = answer.cnames.length ? answer.cnames[answer.cnames.length - 1][1] : answer.name;
  if (qtype === 'A') for (const ip of answer.addresses) answers.push({ name: final, type: 'A', data: dotted(ip) });
  if (qtype === 'SRV') for (const [p, w, port, target] of answer.srv ?? []) answers.push({ name: final, type: 'SRV', data: `${p} ${w} ${port} ${target}` });
  return { rcode: 0, answers };
}
