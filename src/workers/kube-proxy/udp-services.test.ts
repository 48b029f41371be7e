import { describe, expect, it } from 'vitest';
import type { Namespace, Node, Pod, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import { FakeClock } from '../../api/clock';
import { dialTcp } from '../../network/dial-tcp';
import { encodeName, parseQuestion, QTYPE } from '../../network/dns-wire';
import { formatIpv4, parseIpv4 } from '../../network/ipv4';
import { ConnEnd } from '../../network/conn-end';
import { NetworkFabric } from '../../network/network-fabric';
import { HealthCheckServer } from './health-check-server';
import { kubeDnsService } from './kube-dns-addon';
import { buildPolicyTable } from './network-policy-rules';
import { announcingNode, buildServiceTable } from './service-rules';

const ip = (s: string) => parseIpv4(s)!;
const enc = new TextEncoder();
const dec = new TextDecoder();
const node = (name: string, addr: string, cidr: string): Node => ({ metadata: { name }, spec: { podCIDR: cidr }, status: { addresses: [{ type: 'InternalIP', address: addr }] } });
const NODES = [node('n1', '172.18.0.2', '10.244.1.0/24'), node('n2', '172.18.0.3', '10.244.2.0/24'), node('n3', '172.18.0.4', '10.244.3.0/24')];
const svc = (name: string, spec: Service['spec'], status?: Service['status']): Service => ({ metadata: { name, namespace: 'default' }, spec, ...(status ? { status } : {}) });
const slice = (service: string, eps: Array<[string, string]>, ports: EndpointSlice['ports']): EndpointSlice => ({
  metadata: { name: `${service}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints: eps.map(([addr, nodeName]) => ({ addresses: [addr], nodeName, conditions: { ready: true } })),
  ports,
});
// A Service with DNS-like UDP 53 and TCP 53 on different target ports, so the two protocols are told apart.
const DNSLIKE = svc('dnsd', { type: 'NodePort', clusterIP: '10.96.7.7', ports: [{ name: 'dns', port: 53, protocol: 'UDP', targetPort: 5353, nodePort: 30053 }, { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 5354 }] });
const DNSLIKE_EPS = slice('dnsd', [['10.244.1.5', 'n1'], ['10.244.2.5', 'n2']], [{ name: 'dns', port: 5353, protocol: 'UDP' }, { name: 'dns-tcp', port: 5354, protocol: 'TCP' }]);

function fabricWith(services: Service[], slices: EndpointSlice[]) {
  const f = NetworkFabric.create({ slots: 4, ringBytes: 256, listeners: 4, udpSockets: 32, udpQueueBytes: 1024 });
  f.services!.publish(buildServiceTable(services, slices, NODES));
  return f;
}
const bind = (f: NetworkFabric, addr: string, port: number) => f.udp!.bind(f.newOwner(), ip(addr), port) as number;
const recv = (f: NetworkFabric, s: number) => {
  const d = f.udp!.receive(s);
  return d ? `${dec.decode(d.data)} from ${formatIpv4(d.ip)}:${d.port}` : 'nothing';
};

describe('UDP Services (kube-proxy DNAT for protocol: UDP)', () => {
  it('a ClusterIP datagram reaches a ready endpoint, the reply comes from the ClusterIP, and the flow keeps its endpoint', () => {
    const f = fabricWith([DNSLIKE], [DNSLIKE_EPS]);
    const e1 = bind(f, '10.244.1.5', 5353);
    const e2 = bind(f, '10.244.2.5', 5353);
    const client = bind(f, '10.244.3.9', 40000);
    expect(f.sendUdp({ ip: ip('10.244.3.9'), port: 40000 }, ip('10.96.7.7'), 53, enc.encode('q1'))).toBe('queued');
    const first = f.udp!.nextLength(e1) >= 0 ? e1 : e2;
    const firstIp = first === e1 ? '10.244.1.5' : '10.244.2.5';
    expect(recv(f, first)).toBe('q1 from 10.244.3.9:40000');
    // The endpoint answers its peer; the client sees the Service address (a connected socket accepts it).
    expect(f.sendUdp({ ip: ip(firstIp), port: 5353 }, ip('10.244.3.9'), 40000, enc.encode('a1'))).toBe('queued');
    expect(recv(f, client)).toBe('a1 from 10.96.7.7:53');
    // conntrack: the same socket's later datagrams stay on that endpoint.
    for (let i = 0; i < 20; i++) f.sendUdp({ ip: ip('10.244.3.9'), port: 40000 }, ip('10.96.7.7'), 53, enc.encode(`q${i}`));
    expect(f.udp!.nextLength(first === e1 ? e2 : e1)).toBe(-1);
    // Fresh sockets spread over both endpoints; the TCP port 53 rule is separate (targetPort 5354).
    const seen = new Set<number>();
    for (let p = 41000; p < 41040; p++) {
      const s = bind(f, '10.244.3.9', p);
      f.sendUdp({ ip: ip('10.244.3.9'), port: p }, ip('10.96.7.7'), 53, enc.encode('x'));
      for (const e of [e1, e2]) if (f.udp!.nextLength(e) >= 0) seen.add(e);
      for (const e of [e1, e2]) while (f.udp!.receive(e));
      f.udp!.close(s);
    }
    expect([...seen].sort()).toEqual([e1, e2].sort());
    const tcp = f.services!.route(ip('10.96.7.7'), 53, ip('10.244.3.9'));
    expect(typeof tcp === 'object' && tcp.port).toBe(5354);
  });

  it('measures a datagram through a UDP ClusterIP (DNAT + conntrack) against one sent to the pod directly', () => {
    const f = fabricWith([DNSLIKE], [DNSLIKE_EPS]);
    const e1 = bind(f, '10.244.1.5', 5353);
    const e2 = bind(f, '10.244.2.5', 5353);
    bind(f, '10.244.3.9', 40000);
    const time = (to: string, port: number) => {
      const n = 5000;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        f.sendUdp({ ip: ip('10.244.3.9'), port: 40000 }, ip(to), port, enc.encode('x'));
        f.udp!.receive(e1) ?? f.udp!.receive(e2);
      }
      return ((performance.now() - t0) * 1000) / n;
    };
    time('10.244.1.5', 5353); // warm-up
    time('10.96.7.7', 53);
    const direct = time('10.244.1.5', 5353);
    const viaService = time('10.96.7.7', 53);
    console.log(`UDP send+receive: ${direct.toFixed(2)} µs to the pod, ${viaService.toFixed(2)} µs through the ClusterIP`);
    expect(viaService).toBeLessThan(1000);
  });

  it('sessionAffinity ClientIP pins every socket of a client; NodePort UDP works; no endpoints: unreachable', () => {
    const aff = { ...DNSLIKE, spec: { ...DNSLIKE.spec, sessionAffinity: 'ClientIP' } };
    const f = fabricWith([aff], [DNSLIKE_EPS]);
    const e1 = bind(f, '10.244.1.5', 5353);
    const e2 = bind(f, '10.244.2.5', 5353);
    const hits = new Set<number>();
    for (let p = 42000; p < 42020; p++) {
      bind(f, '10.244.3.9', p);
      f.sendUdp({ ip: ip('10.244.3.9'), port: p }, ip('10.96.7.7'), 53, enc.encode('x'), false, 1000);
      for (const e of [e1, e2]) if (f.udp!.nextLength(e) >= 0) hits.add(e);
    }
    expect(hits.size).toBe(1);
    // NodePort at any node's IP, from outside (the tab).
    expect(f.sendUdp({ ip: 0, port: 50000 }, ip('172.18.0.4'), 30053, enc.encode('np'))).toBe('queued');
    const g = fabricWith([DNSLIKE], []);
    expect(g.sendUdp({ ip: ip('10.244.3.9'), port: 40000 }, ip('10.96.7.7'), 53, enc.encode('q'))).toBe('unreachable');
  });
});

describe('NetworkPolicy for UDP and DNS', () => {
  const pod = (name: string, podIP: string, labels: Record<string, string>): Pod => ({ metadata: { name, namespace: 'default', labels }, spec: { nodeName: 'n1', containers: [{ name: 'c' }] }, status: { phase: 'Running', podIP } });
  const PODS = [pod('server', '10.244.1.5', { app: 'server' }), pod('client', '10.244.3.9', { role: 'client' }), pod('other', '10.244.3.10', {})];
  const NSS: Namespace[] = [{ metadata: { name: 'default' } }, { metadata: { name: 'kube-system' } }];
  const setup = (policies: NetworkPolicy[]) => {
    const f = fabricWith([DNSLIKE, kubeDnsService(), svc('udponly', { clusterIP: '10.96.8.8', ports: [{ name: 'syslog', port: 514, protocol: 'UDP' }] })], [DNSLIKE_EPS]);
    f.policies!.publish(buildPolicyTable(policies, PODS, NSS, NODES));
    return f;
  };
  const pol = (name: string, spec: NetworkPolicy['spec']): NetworkPolicy => ({ metadata: { name, namespace: 'default' }, spec });

  it('ingress rules with protocol UDP admit matching datagrams only; replies to an isolated client pass (conntrack)', () => {
    const f = setup([
      pol('server-udp', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ protocol: 'UDP', port: 5353 }] }] }),
      pol('client-isolated', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Ingress'] }),
    ]);
    const server = bind(f, '10.244.1.5', 5353);
    bind(f, '10.244.1.5', 6000);
    const client = bind(f, '10.244.3.9', 40000);
    expect(f.sendUdp({ ip: ip('10.244.3.10'), port: 40001 }, ip('10.244.1.5'), 5353, enc.encode('no'))).toBe('dropped');
    expect(f.sendUdp({ ip: ip('10.244.3.9'), port: 40000 }, ip('10.244.1.5'), 6000, enc.encode('no'))).toBe('dropped');
    expect(f.sendUdp({ ip: ip('10.244.3.9'), port: 40000 }, ip('10.244.1.5'), 5353, enc.encode('yes'))).toBe('queued');
    expect(recv(f, server)).toBe('yes from 10.244.3.9:40000');
    // The client is ingress-isolated with no rules, yet the reply to its own flow arrives; a stranger's does not.
    expect(f.sendUdp({ ip: ip('10.244.1.5'), port: 5353 }, ip('10.244.3.9'), 40000, enc.encode('reply'))).toBe('queued');
    expect(recv(f, client)).toBe('reply from 10.244.1.5:5353');
    expect(f.sendUdp({ ip: ip('10.244.1.5'), port: 6000 }, ip('10.244.3.9'), 40000, enc.encode('unsolicited'))).toBe('dropped');
  });

  it('DNS to kube-dns needs an egress rule when the pod is egress-isolated (as with Calico), e.g. to kube-system k8s-app=kube-dns UDP 53', () => {
    const q = (name: string, qtype: number) => new Uint8Array([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...encodeName(name), 0, qtype, 0, 1]);
    const denyAll = pol('deny-egress', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'] });
    let f = setup([denyAll]);
    bind(f, '10.244.3.9', 40000);
    expect(f.sendUdp({ ip: ip('10.244.3.9'), port: 40000 }, ip('10.96.0.10'), 53, q('udponly.default.svc.cluster.local', QTYPE.A))).toBe('dropped');
    expect(f.dnsAllowed(ip('10.244.3.9'))).toBe(false);
    expect(f.dnsAllowed(ip('10.244.3.10'))).toBe(true);
    const allowDns = pol('allow-dns', {
      podSelector: { matchLabels: { role: 'client' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }],
    });
    f = setup([denyAll, allowDns]);
    const s = bind(f, '10.244.3.9', 40000);
    expect(f.dnsAllowed(ip('10.244.3.9'))).toBe(true);
    expect(f.sendUdp({ ip: ip('10.244.3.9'), port: 40000 }, ip('10.96.0.10'), 53, q('udponly.default.svc.cluster.local', QTYPE.A))).toBe('queued');
    const reply = f.udp!.receive(s)!;
    expect(reply.ip).toBe(ip('10.96.0.10'));
    expect(reply.data[3] & 15).toBe(0); // NOERROR
    expect([...reply.data.slice(-4)]).toEqual([10, 96, 8, 8]); // the UDP-only Service's ClusterIP
    // Only DNS is allowed: the UDP Service itself is not.
    expect(f.sendUdp({ ip: ip('10.244.3.9'), port: 40000 }, ip('10.96.7.7'), 53, enc.encode('x'))).toBe('dropped');
  });
});

describe('cluster DNS for UDP Services', () => {
  const f = fabricWith([kubeDnsService(), svc('ext', { type: 'ExternalName', externalName: 'db.example.com' }), svc('udponly', { clusterIP: '10.96.8.8', ports: [{ name: 'syslog', port: 514, protocol: 'UDP' }] })], []);
  const s = bind(f, '10.244.3.9', 40000);
  const ask = (name: string, qtype: number) => {
    f.sendUdp({ ip: ip('10.244.3.9'), port: 40000 }, ip('10.96.0.10'), 53, new Uint8Array([0, 9, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...encodeName(name), 0, qtype, 0, 1]));
    const r = f.udp!.receive(s)!.data;
    const q = parseQuestion(new Uint8Array([...r.subarray(0, 2), 1, 0, ...r.subarray(4)]))!;
    return { rcode: r[3] & 15, count: (r[6] << 8) | r[7], text: String.fromCharCode(...r.subarray(q.end)).replace(/[^\x20-\x7e]+/g, '.') };
  };

  it('answers SRV for a UDP port (_dns._udp.kube-dns), A for a UDP-only Service, CNAME for ExternalName', () => {
    const srv = ask('_dns._udp.kube-dns.kube-system.svc.cluster.local', QTYPE.SRV);
    expect(srv).toMatchObject({ rcode: 0, count: 1 });
    expect(srv.text).toContain('kube-dns.kube-system.svc.cluster.local');
    expect(ask('_syslog._udp.udponly.default.svc.cluster.local', QTYPE.SRV)).toMatchObject({ rcode: 0, count: 1 });
    expect(ask('_syslog._tcp.udponly.default.svc.cluster.local', QTYPE.SRV).rcode).toBe(3);
    expect(ask('udponly.default.svc.cluster.local', QTYPE.A)).toMatchObject({ rcode: 0, count: 1 });
    const cname = ask('ext.default.svc.cluster.local', QTYPE.A);
    expect(cname).toMatchObject({ rcode: 0, count: 1 });
    expect(cname.text).toContain('db.example.com');
  });
});

describe('LoadBalancer with externalTrafficPolicy: Local', () => {
  const lb = svc('web', { type: 'LoadBalancer', clusterIP: '10.96.5.5', externalTrafficPolicy: 'Local', healthCheckNodePort: 32100, ports: [{ name: 'http', port: 80, nodePort: 30080, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } });
  const eps = slice('web', [['10.244.2.5', 'n2'], ['10.244.2.6', 'n2'], ['10.244.3.5', 'n3']], [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  const routeAll = (f: NetworkFabric, from: string) => {
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) {
      const r = f.services!.route(ip('172.18.255.200'), 80, ip(from));
      seen.add(typeof r === 'object' ? formatIpv4(r.ip) : String(r));
    }
    return [...seen].sort();
  };

  it('outside clients reach only the announcing node (the first whose healthCheckNodePort answers 200), unSNATed; pods reach all', async () => {
    const f = fabricWith([lb], [eps]);
    expect(routeAll(f, '0.0.0.0')).toEqual(['10.244.2.5', '10.244.2.6']);
    expect(routeAll(f, '192.168.1.7')).toEqual(['10.244.2.5', '10.244.2.6']);
    expect(routeAll(f, '10.244.1.9')).toEqual(['10.244.2.5', '10.244.2.6', '10.244.3.5']);
    expect(announcingNode([{ name: 'n3' }, { name: 'n2' }], (n) => (n === 'n1' ? [] : [1]))).toBe('n2');
    // The announcer is a node the healthCheckNodePort reports healthy (n1 has none: 503).
    const hc = new HealthCheckServer(f, new FakeClock(0), () => undefined);
    hc.sync([lb], [eps], NODES);
    const status = async (addr: string) => {
      const c = await dialTcp(f, addr, 32100, { timeoutMs: 100 });
      await c.write(enc.encode('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
      return dec.decode(await c.readAll()).split('\r\n')[0];
    };
    expect(await status('172.18.0.3')).toBe('HTTP/1.1 200 OK');
    expect(await status('172.18.0.2')).toBe('HTTP/1.1 503 Service Unavailable');
    hc.dispose();
    // The endpoint sees the client's own address (no SNAT under eTP Local).
    const owner = f.newOwner();
    const l5 = f.listen(owner, ip('10.244.2.5'), 8080) as number;
    const l6 = f.listen(owner, ip('10.244.2.6'), 8080) as number;
    const c = f.connect({ owner, fromIp: ip('192.168.1.7'), toIp: ip('172.18.255.200'), toPort: 80 });
    expect(c).toBeInstanceOf(ConnEnd);
    const server = f.accept(l5, owner) ?? f.accept(l6, owner);
    expect(server!.remote[0] >>> 0).toBe(ip('192.168.1.7'));
    // Without any ready endpoint the Service rejects, as kube-proxy does.
    const none = fabricWith([lb], []);
    expect(none.services!.route(ip('172.18.255.200'), 80, 0)).toBe('ECONNREFUSED');
    const unready = fabricWith([lb], [{ ...eps, endpoints: eps.endpoints.map((e) => ({ ...e, conditions: { ready: false } })) }]);
    expect(unready.services!.route(ip('172.18.255.200'), 80, 0)).toBe('ECONNREFUSED');
  });
});
