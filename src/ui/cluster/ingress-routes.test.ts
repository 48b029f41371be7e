import { describe, expect, it } from 'vitest';
import type { Ingress } from 'kubernetes-types/networking/v1';
import { ingressHosts, ingressPorts, ingressRoutes, ingressRouteUrl } from './ingress-routes';

const svc = (name: string, number = 80) => ({ service: { name, port: { number } } });

describe('Ingress routes for Open links', () => {
  const ing: Ingress = {
    metadata: { name: 'demo' },
    spec: {
      tls: [{ hosts: ['foo.example.com'] }],
      defaultBackend: svc('fallback'),
      rules: [
        { host: 'foo.example.com', http: { paths: [{ path: '/apple', pathType: 'Prefix', backend: svc('apple') }, { path: '/banana', pathType: 'Exact', backend: svc('banana', 8080) }] } },
        { host: '*.wild.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc('wild') }] } },
        { http: { paths: [{ path: '/api/(v1|v2)', pathType: 'ImplementationSpecific', backend: svc('api') }] } },
      ],
    },
  };

  it('one route per host/path rule, host-less rules and the default backend at the controller address', () => {
    const routes = ingressRoutes(ing, '172.18.255.200');
    expect(routes.map((r) => [ingressRouteUrl(r), r.named, r.backend])).toEqual([
      ['/_/ingress/foo.example.com/apple', true, 'apple:80'],
      ['/_/ingress/foo.example.com/banana', true, 'banana:8080'],
      ['/_/ingress/www.wild.example.com/', true, 'wild:80'],
      ['/_/ingress/172.18.255.200/api/', false, 'api:80'],
      ['/_/ingress/172.18.255.200/', false, 'fallback:80'],
    ]);
  });

  it('without a controller address only the named hosts are openable', () => {
    expect(ingressRoutes(ing, undefined).map((r) => r.host)).toEqual(['foo.example.com', 'foo.example.com', 'www.wild.example.com']);
  });

  it("kubectl's HOSTS and PORTS columns", () => {
    expect(ingressHosts(ing)).toBe('foo.example.com,*.wild.example.com');
    expect(ingressPorts(ing)).toBe('80, 443');
    expect(ingressHosts({ spec: { defaultBackend: svc('x') } })).toBe('*');
    expect(ingressPorts({ spec: {} })).toBe('80');
  });
});
