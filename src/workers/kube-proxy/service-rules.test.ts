import { describe, expect, it } from 'vitest';
import type { Node, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { formatIpv4, parseIpv4 } from '../../network/ipv4';
import { NetworkFabric } from '../../network/network-fabric';
import { ruleKey } from '../../network/service-table';
import { assignLoadBalancerIps } from './lb-ips';
import { buildServiceTable } from './service-rules';

const ip = (s: string) => parseIpv4(s)!;
const svc = (name: string, spec: Service['spec'], status?: Service['status']): Service => ({ metadata: { name, namespace: 'ns' }, spec, ...(status ? { status } : {}) });
const node = (addr: string): Node => ({ metadata: { name: addr }, status: { addresses: [{ type: 'InternalIP', address: addr }, { type: 'Hostname', address: 'n' }] } });
const slice = (service: string, endpoints: EndpointSlice['endpoints'], ports: EndpointSlice['ports']): EndpointSlice => ({
  metadata: { name: `${service}-x`, namespace: 'ns', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints,
  ports,
});

describe('buildServiceTable', () => {
  const web = svc('web', {
    type: 'NodePort',
    clusterIP: '10.96.5.5',
    ports: [{ name: 'http', port: 80, targetPort: 'web', nodePort: 30080, protocol: 'TCP' }, { name: 'admin', port: 9000, targetPort: 9001, protocol: 'TCP' }],
    sessionAffinity: 'ClientIP',
  });
  const slices = [
    slice('web', [
      { addresses: ['10.244.1.2'], conditions: { ready: true } },
      { addresses: ['10.244.1.3'], conditions: { ready: false, serving: true, terminating: true } },
      { addresses: ['10.244.2.2'], conditions: {} },
    ], [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'admin', port: 9001, protocol: 'TCP' }]),
  ];

  it('marks externalTrafficPolicy Cluster NodePort and LoadBalancer rules for masquerade at their entry node, not ClusterIP or Local ones', () => {
    const lb = (name: string, policy: 'Cluster' | 'Local', lbIp: string) =>
      svc(name, { type: 'LoadBalancer', clusterIP: '10.96.5.6', externalTrafficPolicy: policy, ports: [{ name: 'http', port: 80, targetPort: 'web', nodePort: 30081, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: lbIp }] } });
    const lbSlices = ['c', 'l'].map((n) => slice(n, [{ addresses: ['10.244.1.2'], nodeName: '172.18.0.3', conditions: { ready: true } }], [{ name: 'http', port: 8080, protocol: 'TCP' }]));
    const nodes = [node('172.18.0.3'), { ...node('172.18.0.2'), spec: { podCIDR: '10.244.1.0/24' } }];
    const t = buildServiceTable([web, lb('c', 'Cluster', '172.18.255.200'), lb('l', 'Local', '172.18.255.201')], [...slices, ...lbSlices], nodes);
    expect(t.rules[ruleKey(ip('172.18.0.3'), 30080)].masq).toBe(ip('172.18.0.3'));
    expect(t.rules[ruleKey(ip('172.18.0.2'), 30080)].masq).toBe(ip('172.18.0.2'));
    expect(t.rules[ruleKey(ip('10.96.5.5'), 80)].masq).toBeUndefined();
    expect(t.rules[ruleKey(ip('172.18.255.200'), 80)].masq).toBe(ip('172.18.0.2')); // the first node by name
    expect(t.rules[ruleKey(ip('172.18.255.201'), 80)].masq).toBeUndefined();
    expect(t.nodes).toEqual([[ip('172.18.0.3'), 0, 0], [ip('172.18.0.2'), ip('10.244.1.0'), 24]]);
    // KUBE-SVC's `! -s 10.244.0.0/16 -j KUBE-MARK-MASQ` and KUBE-EXT's `--src-type LOCAL -j KUBE-MARK-MASQ` (eTP Local).
    expect(t.cidr).toEqual([ip('10.244.0.0'), 16]);
    expect(t.rules[ruleKey(ip('10.96.5.5'), 80)].offCluster).toBe(true);
    expect(t.rules[ruleKey(ip('172.18.255.201'), 80)].masqLocal).toBe(0);
    expect(t.rules[ruleKey(ip('172.18.255.200'), 80)].masqLocal).toBeUndefined();
    expect(buildServiceTable([web], slices, nodes, { clusterCidr: '' }).cidr).toBeUndefined();
    expect(buildServiceTable([web], slices, nodes, { clusterCidr: '10.0.0.0/8' }).cidr).toEqual([ip('10.0.0.0'), 8]);
  });

  it('maps every port at the ClusterIP and every node IP to ready, non-terminating endpoints on the resolved target ports', () => {
    const t = buildServiceTable([web], slices, [node('172.18.0.2'), node('172.18.0.3')]);
    const eps = [[ip('10.244.1.2'), 8080], [ip('10.244.2.2'), 8080]];
    expect(t.rules[ruleKey(ip('10.96.5.5'), 80)]).toEqual({ svc: 'ns/web', port: 'http', eps, aff: 10800, offCluster: true });
    expect(t.rules[ruleKey(ip('172.18.0.3'), 30080)].eps).toEqual(eps);
    expect(t.rules[ruleKey(ip('10.96.5.5'), 9000)].eps).toEqual([[ip('10.244.1.2'), 9001], [ip('10.244.2.2'), 9001]]);
    expect(t.dns['web.ns.svc.cluster.local']).toEqual({ a: [ip('10.96.5.5')] });
    expect(t.dns['_http._tcp.web.ns.svc.cluster.local']).toEqual({ srv: [[0, 100, 80, 'web.ns.svc.cluster.local']] });
  });

  it('gives a Service with a selector but no ready pod a rejecting rule, a headless one DNS only, an ExternalName a CNAME', () => {
    const t = buildServiceTable(
      [
        svc('empty', { clusterIP: '10.96.5.6', ports: [{ port: 80, protocol: 'TCP' }] }),
        svc('web', { clusterIP: 'None', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }),
        svc('ext', { type: 'ExternalName', externalName: 'Example.COM' }),
      ],
      [slice('web', [{ addresses: ['10.244.1.2'], hostname: 'web-0', conditions: { ready: true } }, { addresses: ['10.244.2.2'], conditions: { ready: true } }], [{ name: 'http', port: 8080, protocol: 'TCP' }])],
      [],
    );
    expect(t.rules[ruleKey(ip('10.96.5.6'), 80)].eps).toEqual([]);
    expect(Object.keys(t.rules)).toHaveLength(1);
    expect(t.dns['web.ns.svc.cluster.local'].a!.map(formatIpv4)).toEqual(['10.244.1.2', '10.244.2.2']);
    expect(t.dns['web-0.web.ns.svc.cluster.local'].a!.map(formatIpv4)).toEqual(['10.244.1.2']);
    expect(t.dns['10-244-2-2.web.ns.svc.cluster.local'].a!.map(formatIpv4)).toEqual(['10.244.2.2']);
    expect(t.dns['_http._tcp.web.ns.svc.cluster.local'].srv).toEqual([[0, 50, 8080, 'web-0.web.ns.svc.cluster.local'], [0, 50, 8080, '10-244-2-2.web.ns.svc.cluster.local']]);
    expect(t.dns['ext.ns.svc.cluster.local']).toEqual({ cname: 'example.com' });
  });

  it('routes a LoadBalancer ingress IP like the ClusterIP', () => {
    const lb = svc('lb', { type: 'LoadBalancer', clusterIP: '10.96.5.7', ports: [{ name: 'http', port: 80, nodePort: 31000, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } });
    const t = buildServiceTable([lb], [slice('lb', [{ addresses: ['10.244.1.2'] }], [{ name: 'http', port: 80, protocol: 'TCP' }])], [node('172.18.0.2')]);
    expect(Object.keys(t.rules).sort()).toEqual([ruleKey(ip('10.96.5.7'), 80), ruleKey(ip('172.18.0.2'), 31000), ruleKey(ip('172.18.255.200'), 80)].sort());
  });
});

describe('traffic policies', () => {
  const nodeWithCidr = (name: string, addr: string, cidr: string): Node => ({ metadata: { name }, spec: { podCIDR: cidr }, status: { addresses: [{ type: 'InternalIP', address: addr }] } });
  const nodes = [nodeWithCidr('n1', '172.18.0.2', '10.244.1.0/24'), nodeWithCidr('n2', '172.18.0.3', '10.244.2.0/24'), nodeWithCidr('n3', '172.18.0.4', '10.244.3.0/24')];
  const eps = slice('web', [
    { addresses: ['10.244.1.5'], nodeName: 'n1', conditions: { ready: true } },
    { addresses: ['10.244.1.6'], nodeName: 'n1', conditions: { ready: true } },
    { addresses: ['10.244.2.5'], nodeName: 'n2', conditions: { ready: true } },
  ], [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const routeAll = (f: NetworkFabric, to: string, port: number, from: string) => {
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const r = f.services!.route(ip(to), port, ip(from));
      seen.add(typeof r === 'object' ? formatIpv4(r.ip) : String(r));
    }
    return [...seen].sort();
  };

  it('externalTrafficPolicy Local: outside clients of a NodePort reach only that node\'s endpoints (none: dropped); pods and the node itself reach all', () => {
    const f = NetworkFabric.create({ slots: 1, ringBytes: 64, listeners: 1, udpSockets: 0 });
    f.services!.publish(buildServiceTable([svc('web', { type: 'NodePort', clusterIP: '10.96.5.5', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] })], [eps], nodes));
    expect(routeAll(f, '172.18.0.2', 30080, '0.0.0.0')).toEqual(['10.244.1.5', '10.244.1.6']);
    expect(routeAll(f, '172.18.0.3', 30080, '172.18.0.2')).toEqual(['10.244.2.5']);
    expect(routeAll(f, '172.18.0.4', 30080, '0.0.0.0')).toEqual(['DROP']);
    expect(routeAll(f, '172.18.0.4', 30080, '10.244.2.9')).toEqual(['10.244.1.5', '10.244.1.6', '10.244.2.5']);
    expect(routeAll(f, '172.18.0.4', 30080, '172.18.0.4')).toEqual(['10.244.1.5', '10.244.1.6', '10.244.2.5']);
    // The ClusterIP is not affected.
    expect(routeAll(f, '10.96.5.5', 80, '10.244.3.2')).toEqual(['10.244.1.5', '10.244.1.6', '10.244.2.5']);
    expect(f.connect({ owner: 1, fromIp: 0, toIp: ip('172.18.0.4'), toPort: 30080 })).toEqual({ dropped: true });
  });

  it('internalTrafficPolicy Local: ClusterIP clients reach only endpoints on their own node (none: dropped)', () => {
    const f = NetworkFabric.create({ slots: 1, ringBytes: 64, listeners: 1, udpSockets: 0 });
    f.services!.publish(buildServiceTable([svc('web', { clusterIP: '10.96.5.5', internalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] })], [eps], nodes));
    expect(routeAll(f, '10.96.5.5', 80, '10.244.1.9')).toEqual(['10.244.1.5', '10.244.1.6']);
    expect(routeAll(f, '10.96.5.5', 80, '172.18.0.3')).toEqual(['10.244.2.5']);
    expect(routeAll(f, '10.96.5.5', 80, '10.244.3.2')).toEqual(['DROP']);
    // Without any endpoint the Service still rejects.
    f.services!.publish(buildServiceTable([svc('web', { clusterIP: '10.96.5.5', internalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] })], [], nodes));
    expect(routeAll(f, '10.96.5.5', 80, '10.244.3.2')).toEqual(['ECONNREFUSED']);
  });
});

describe('assignLoadBalancerIps', () => {
  it('hands out the lowest free pool address, honours a free spec.loadBalancerIP, skips classes and exhaustion', () => {
    const lb = (name: string, extra: Service['spec'] = {}, ingress?: string) =>
      svc(name, { type: 'LoadBalancer', ...extra }, ingress ? { loadBalancer: { ingress: [{ ip: ingress }] } } : undefined);
    const out = assignLoadBalancerIps(
      [lb('a', {}, '172.18.255.200'), lb('b'), lb('c', { loadBalancerIP: '172.18.255.210' }), lb('d', { loadBalancerClass: 'x/y' }), svc('e', { type: 'ClusterIP' }), lb('f')],
      ['172.18.255.200', '172.18.255.202'],
    );
    expect(out.map((o) => [o.service.metadata!.name, o.ip])).toEqual([['b', '172.18.255.201'], ['c', '172.18.255.202']]);
  });
});
