import { describe, expect, it } from 'vitest';
import type { Service } from 'kubernetes-types/core/v1';
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1';
import { buildNginxConf, ingressClass, locationArgs, servesIngress, upstreamOf } from '../src/workers/ingress-nginx';

// The pure half of the ingress-nginx addon: which Ingresses it serves and the nginx.conf it writes for them.
const svc = (name: string, ports: Array<{ name?: string; port: number }>, ns = 'default'): Service => ({ metadata: { name, namespace: ns }, spec: { ports } });
const ing = (name: string, spec: Ingress['spec'], created = '2026-01-01T00:00:00Z', ns = 'default'): Ingress => ({ metadata: { name, namespace: ns, creationTimestamp: created }, spec });
const be = (name: string, port: { number?: number; name?: string }) => ({ service: { name, port } });

/** The `location …` lines of a server block, each with its proxy_pass target or return code. */
function locations(conf: string, host: string): string[] {
  const start = conf.indexOf(`## start server ${host}\n`);
  const block = conf.slice(start, conf.indexOf(`## end server ${host}\n`, start));
  return [...block.matchAll(/location (.+?) \{\n(?:\s+#.*\n)?\s+(proxy_pass|return) (.+?);/g)].map((m) => `${m[1]} → ${m[3]}`);
}

describe('buildNginxConf', () => {
  it('maps Prefix, Exact and ImplementationSpecific to nginx locations with path-element semantics', () => {
    expect(locationArgs({ path: '/foo', pathType: 'Prefix', backend: {} })).toEqual([['=', '/foo'], ['/foo/']]);
    expect(locationArgs({ path: '/foo/', pathType: 'Prefix', backend: {} })).toEqual([['=', '/foo'], ['/foo/']]);
    expect(locationArgs({ path: '/', pathType: 'Prefix', backend: {} })).toEqual([['/']]);
    expect(locationArgs({ path: '/foo', pathType: 'Exact', backend: {} })).toEqual([['=', '/foo']]);
    expect(locationArgs({ path: '/x', pathType: 'ImplementationSpecific', backend: {} })).toEqual([['=', '/x'], ['/x/']]);
    expect(locationArgs({ pathType: 'ImplementationSpecific', backend: {} })).toEqual([['/']]);
  });

  it('resolves backends by port number or name; a missing Service or port is 503', () => {
    const svcs = new Map([['default/web', svc('web', [{ name: 'http', port: 8080 }])]]);
    expect(upstreamOf(be('web', { number: 80 }), 'default', svcs)).toBe('http://web.default.svc.cluster.local:80');
    expect(upstreamOf(be('web', { name: 'http' }), 'default', svcs)).toBe('http://web.default.svc.cluster.local:8080');
    expect(upstreamOf(be('web', { name: 'nope' }), 'default', svcs)).toBe(503);
    expect(upstreamOf(be('gone', { number: 80 }), 'default', svcs)).toBe(503);
    expect(upstreamOf({ resource: { kind: 'Bucket', name: 'b' } }, 'default', svcs)).toBe(503);
  });

  it('one server per host plus the catch-all; Exact beats Prefix on the same path; the oldest Ingress wins a conflict; defaultBackend', () => {
    const services = [svc('a', [{ port: 80 }]), svc('b', [{ port: 80 }]), svc('c', [{ port: 80 }], 'other')];
    const conf = buildNginxConf(
      [
        ing('newer', { rules: [{ host: 'foo.test', http: { paths: [{ path: '/p', pathType: 'Prefix', backend: be('b', { number: 80 }) }] } }] }, '2026-01-02T00:00:00Z'),
        ing('older', {
          defaultBackend: be('a', { number: 80 }),
          rules: [
            { host: 'foo.test', http: { paths: [{ path: '/p', pathType: 'Prefix', backend: be('a', { number: 80 }) }, { path: '/p', pathType: 'Exact', backend: be('b', { number: 80 }) }] } },
            { http: { paths: [{ path: '/any', pathType: 'Prefix', backend: be('b', { number: 80 }) }] } },
          ],
        }),
        ing('elsewhere', { rules: [{ host: '*.wild.test', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('c', { number: 80 }) }] } }] }, '2026-01-03T00:00:00Z', 'other'),
      ],
      services,
    );
    const A = 'http://a.default.svc.cluster.local:80';
    const B = 'http://b.default.svc.cluster.local:80';
    expect(locations(conf, 'foo.test')).toEqual([`= /p → ${B}`, `/p/ → ${A}`, `/ → ${A}`]);
    expect(locations(conf, '_')).toEqual([`= /any → ${B}`, `/any/ → ${B}`, `/ → ${A}`]);
    expect(locations(conf, '*.wild.test')).toEqual(['/ → http://c.other.svc.cluster.local:80']);
    expect(conf).toContain('server_name *.wild.test;');
    expect(conf).toMatch(/server_name _;\n\s+listen 80 default_server;\n\s+listen 443 default_server;/);
    expect(conf).toContain('listen 10254;');
    expect(buildNginxConf([], [])).toBe(buildNginxConf([], []));
    expect(locations(buildNginxConf([], []), '_')).toEqual(['/ → 404']);
  });

  it('serves class tabernetes, the legacy annotation, and class-less Ingresses only while tabernetes is the default', () => {
    const classes: IngressClass[] = [ingressClass()];
    expect(servesIngress(ing('x', { ingressClassName: 'tabernetes' }), classes)).toBe(true);
    expect(servesIngress(ing('x', { ingressClassName: 'nginx' }), classes)).toBe(false);
    expect(servesIngress({ metadata: { annotations: { 'kubernetes.io/ingress.class': 'tabernetes' } } }, classes)).toBe(true);
    expect(servesIngress(ing('x', {}), classes)).toBe(true);
    expect(servesIngress(ing('x', {}), [{ ...classes[0], metadata: { name: 'tabernetes' } }])).toBe(false);
  });
});
