import type { Ingress } from 'kubernetes-types/networking/v1';
import { proxyUrl } from '../sw/proxy-host';

/** One openable route of an Ingress: the URL host (a rule's host, else the controller's address) and path. */
export interface IngressRoute {
  host: string;
  path: string;
  /** Whether the host is the rule's own (false: a host-less rule or the default backend, reached by address). */
  named: boolean;
  backend: string;
}

/** The address kubectl shows in ADDRESS: status.loadBalancer IPs/hostnames, comma-separated. */
export function ingressAddress(ing: Ingress): string {
  return (ing.status?.loadBalancer?.ingress ?? []).map((i) => i.ip || i.hostname || '').filter(Boolean).join(',');
}

/** kubectl's PORTS column: 80, or "80, 443" when the Ingress has a tls section. */
export function ingressPorts(ing: Ingress): string {
  return ing.spec?.tls?.length ? '80, 443' : '80';
}

/** kubectl's HOSTS column: the rules' hosts, or "*" when no rule names one. */
export function ingressHosts(ing: Ingress): string {
  const hosts = (ing.spec?.rules ?? []).map((r) => r.host).filter((h): h is string => !!h);
  return hosts.length ? hosts.join(',') : '*';
}

function backendName(b: { service?: { name: string; port?: { number?: number; name?: string } }; resource?: { kind: string; name: string } } | undefined): string {
  if (b?.service) return `${b.service.name}:${b.service.port?.number ?? b.service.port?.name ?? ''}`;
  if (b?.resource) return `${b.resource.kind}/${b.resource.name}`;
  return '';
}

/**
 * Every host/path rule as a route, then the default backend. Rules without a host (and the default backend) are
 * reached through `fallbackHost`, the ingress controller's address; without one they are left out. Regex-like
 * ImplementationSpecific paths are opened at their literal prefix.
 */
export function ingressRoutes(ing: Ingress, fallbackHost: string | undefined): IngressRoute[] {
  const out: IngressRoute[] = [];
  for (const rule of ing.spec?.rules ?? []) {
    const host = rule.host && !rule.host.startsWith('*.') ? rule.host : rule.host ? rule.host.replace(/^\*\./, 'www.') : fallbackHost;
    if (!host) continue;
    for (const p of rule.http?.paths ?? []) {
      const path = (p.path || '/').replace(/[\^$()[\]*+?|\\].*$/, '') || '/';
      out.push({ host, path, named: !!rule.host, backend: backendName(p.backend) });
    }
  }
  if (ing.spec?.defaultBackend && fallbackHost) out.push({ host: fallbackHost, path: '/', named: false, backend: backendName(ing.spec.defaultBackend) });
  return out;
}

/** /_/ingress/<host>/<path without its leading slash>. */
export function ingressRouteUrl(r: IngressRoute): string {
  return proxyUrl('ingress', r.host) + encodeURI(r.path.replace(/^\/+/, ''));
}
