import { describe, expect, it } from 'vitest';
import { candidateNames, clusterResolverConfig, lookupFqdn, resolveName } from './dns-resolver';
import { parseIpv4 } from './ipv4';
import { NetworkFabric } from './network-fabric';
import { resolveService, serviceEndpoints } from './service-lookup';
import { ruleKey, type ServiceTableData } from './service-table';

const ip = (s: string) => parseIpv4(s)!;
const VIP = ip('10.96.0.20');
const A = ip('10.244.1.2');
const B = ip('10.244.2.2');

function table(eps: Array<[number, number]>, aff?: number): ServiceTableData {
  return {
    rules: { [ruleKey(VIP, 80)]: { svc: 'default/web', port: 'http', eps, ...(aff !== undefined ? { aff } : {}) } },
    dns: {
      'web.default.svc.cluster.local': { a: [VIP] },
      'ext.default.svc.cluster.local': { cname: 'web.default.svc.cluster.local' },
      'far.default.svc.cluster.local': { cname: 'example.com' },
    },
  };
}

describe('service table', () => {
  it('routes a ClusterIP connection to a listening endpoint; the client sees the Service address as its peer', () => {
    const f = NetworkFabric.create({ slots: 8, listeners: 8, ringBytes: 1024 });
    const l = f.listen(f.newOwner(), A, 8080) as number;
    f.services!.publish(table([[A, 8080]]));
    const c = f.connect({ owner: f.newOwner(), fromIp: B, toIp: VIP, toPort: 80 });
    expect(typeof c).toBe('object');
    expect(f.pending(l)).toBe(1);
    expect((c as { remote: [number, number] }).remote).toEqual([VIP, 80]);
  });

  it('refuses a Service without endpoints and leaves other addresses alone', () => {
    const f = NetworkFabric.create({ slots: 8, listeners: 8, ringBytes: 1024 });
    f.services!.publish(table([]));
    expect(f.connect({ owner: 1, fromIp: B, toIp: VIP, toPort: 80 })).toBe('ECONNREFUSED');
    expect(f.services!.route(VIP, 81, B)).toBeUndefined();
    expect(resolveService(f, '10.96.0.20', 80)).toBeUndefined();
  });

  it('spreads connections over every endpoint at random', () => {
    const f = NetworkFabric.create({ slots: 8, listeners: 8, ringBytes: 1024 });
    const eps: Array<[number, number]> = [[A, 1], [B, 2], [ip('10.244.2.3'), 3]];
    f.services!.publish(table(eps));
    const seen = new Map<number, number>();
    for (let i = 0; i < 300; i++) {
      const r = resolveService(f, VIP, 80)!;
      seen.set(r.port, (seen.get(r.port) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual([1, 2, 3]);
    for (const n of seen.values()) expect(n).toBeGreaterThan(50);
  });

  it('keeps a client on its endpoint under ClientIP affinity until the timeout or the endpoint goes', () => {
    const f = NetworkFabric.create({ slots: 8, listeners: 8, ringBytes: 1024 });
    const eps: Array<[number, number]> = [[A, 1], [B, 2], [ip('10.244.2.3'), 3]];
    f.services!.publish(table(eps, 10));
    const first = resolveService(f, VIP, 80, { fromIp: '10.244.0.9', now: 0 })!;
    for (let t = 1000; t <= 9000; t += 1000) expect(resolveService(f, VIP, 80, { fromIp: '10.244.0.9', now: t })).toEqual(first);
    const others = new Set<number>();
    for (let i = 0; i < 50; i++) others.add(resolveService(f, VIP, 80, { fromIp: `10.244.0.${20 + i}`, now: 0 })!.port);
    expect(others.size).toBeGreaterThan(1);
    f.services!.publish(table(eps.filter(([, p]) => p !== first.port), 10));
    const moved = resolveService(f, VIP, 80, { fromIp: '10.244.0.9', now: 9500 })!;
    expect(moved.port).not.toBe(first.port);
    for (let t = 9600; t < 12000; t += 500) expect(resolveService(f, VIP, 80, { fromIp: '10.244.0.9', now: t })).toEqual(moved);
  });

  it('sees each publish at once (no stale cache) and finds Service ports by name or number', () => {
    const f = NetworkFabric.create({ slots: 8, listeners: 8, ringBytes: 1024 });
    const view = new NetworkFabric(f.buffer);
    f.services!.publish(table([[A, 1]]));
    expect(resolveService(view, VIP, 80)).toEqual({ ip: '10.244.1.2', port: 1 });
    f.services!.publish(table([[B, 2]]));
    expect(resolveService(view, VIP, 80)).toEqual({ ip: '10.244.2.2', port: 2 });
    expect(serviceEndpoints(view, 'default', 'web', 'http')).toEqual({ ip: '10.96.0.20', port: 80, endpoints: [{ ip: '10.244.2.2', port: 2 }] });
    expect(serviceEndpoints(view, 'default', 'web', 80)?.port).toBe(80);
    expect(serviceEndpoints(view, 'default', 'web', 81)).toBeUndefined();
  });

  it('throws when a table does not fit, keeping the previous one', () => {
    const f = NetworkFabric.create({ slots: 8, listeners: 8, ringBytes: 1024, serviceTableBytes: 1024 });
    f.services!.publish(table([[A, 1]]));
    const big = table([[A, 1]]);
    for (let i = 0; i < 50; i++) big.dns[`n${i}.default.svc.cluster.local`] = { a: [i] };
    expect(() => f.services!.publish(big)).toThrow(/service table full/);
    expect(resolveService(f, VIP, 80)).toEqual({ ip: '10.244.1.2', port: 1 });
  });
});

describe('dns resolver', () => {
  const dns = table([]).dns;
  const cfg = clusterResolverConfig('default');

  it('tries the search path first below ndots, the name itself first at or above it', () => {
    expect(candidateNames('web', cfg)).toEqual(['web.default.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']);
    expect(candidateNames('a.b.c.d.e.f', cfg)[0]).toBe('a.b.c.d.e.f');
    expect(candidateNames('web.default.svc.cluster.local.', cfg)).toEqual(['web.default.svc.cluster.local']);
  });

  it('resolves short, namespaced and full names, pod names and CNAMEs; unknown names are NXDOMAIN', () => {
    for (const n of ['web', 'web.default', 'web.default.svc', 'WEB.default.svc.cluster.local', 'web.default.svc.cluster.local.']) {
      expect(resolveName(dns, n, cfg)?.addresses).toEqual([VIP]);
    }
    expect(resolveName(dns, 'web', clusterResolverConfig('other'))).toBeUndefined();
    expect(resolveName(dns, '10-244-1-2.default.pod', cfg)?.addresses).toEqual([A]);
    expect(lookupFqdn(dns, '10-244-1-2.kube-system.pod.cluster.local')?.addresses).toEqual([A]);
    expect(lookupFqdn(dns, '10-244-1-300.default.pod.cluster.local')).toBeUndefined();
    expect(resolveName(dns, 'ext', cfg)).toEqual({ name: 'ext.default.svc.cluster.local', cnames: [['ext.default.svc.cluster.local', 'web.default.svc.cluster.local']], addresses: [VIP] });
    expect(resolveName(dns, 'far', cfg)?.addresses).toEqual([]);
    expect(resolveName(dns, 'nope', cfg)).toBeUndefined();
  });
});
