import { describe, expect, it } from 'vitest';
import { parseIpv4 } from './ipv4';
import { NetworkFabric } from './network-fabric';
import type { ConnEnd } from './conn-end';
import type { ServiceTableData } from './service-table';
import { UDP_CT_REPLIED_MS, UDP_CT_UNREPLIED_MS } from './udp-table';

const ip = (s: string) => parseIpv4(s)!;
const enc = new TextEncoder();
const dec = new TextDecoder();
const N1 = ip('172.18.0.2');
const N2 = ip('172.18.0.3');
const POD = ip('10.244.2.10'); // on n2

/**
 * A NodePort Service (eTP Cluster) 10.96.0.50:80 / :30080 on both nodes and the same for UDP, endpoint POD:8080, as
 * buildServiceTable writes it with --cluster-cidr 10.244.0.0/16; an eTP Local NodePort :30081 on n1 and LoadBalancer IP.
 */
function table(): ServiceTableData {
  const rule = { svc: 'default/web', port: '', eps: [[POD, 8080]] as Array<[number, number]> };
  const vip = { ...rule, offCluster: true as const };
  return {
    rules: {
      [`${ip('10.96.0.50')}:80`]: vip,
      [`${N1}:30081`]: { ...rule, masqLocal: N1 },
      [`${ip('172.18.255.201')}:80`]: { ...rule, masqLocal: 0 },
      [`${N1}:30080`]: { ...rule, masq: N1 },
      [`${N2}:30080`]: { ...rule, masq: N2 },
      [`${ip('10.96.0.50')}:80/udp`]: vip,
      [`${N1}:30080/udp`]: { ...rule, masq: N1 },
    },
    dns: {},
    nodes: [
      [N1, ip('10.244.1.0'), 24],
      [N2, ip('10.244.2.0'), 24],
    ],
    cidr: [ip('10.244.0.0'), 16],
  };
}

function fabric(): NetworkFabric {
  const f = NetworkFabric.create({ slots: 4, ringBytes: 256, listeners: 2, udpSockets: 4, udpQueueBytes: 256 });
  f.services!.publish(table());
  return f;
}

const addr = ([a, p]: [number, number]) => `${[a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.')}:${p}`;

describe('kube-proxy SNAT in the fabric (masquerade.ts)', () => {
  it('TCP: the server sees the masquerade address (node IP, bridge gateway, hairpin), the client the address it dialled', () => {
    const f = fabric();
    const l = f.listen(1, POD, 8080) as number;
    const seen = (fromIp: number, toIp: number, toPort: number, fromPort = 40000) => {
      const c = f.connect({ owner: 2, fromIp, fromPort, toIp, toPort }) as ConnEnd;
      const s = f.accept(l, 1)!;
      const r = [addr(s.remote), addr(c.remote)];
      c.close();
      s.close();
      return r;
    };
    expect(seen(ip('172.18.0.1'), N1, 30080)).toEqual(['172.18.0.2:40000', '172.18.0.2:30080']);
    expect(seen(ip('172.18.0.1'), N2, 30080)).toEqual(['10.244.2.1:40000', '172.18.0.3:30080']);
    expect(seen(ip('10.244.1.5'), ip('10.96.0.50'), 80)).toEqual(['10.244.1.5:40000', '10.96.0.50:80']);
    expect(seen(POD, ip('10.96.0.50'), 80)).toEqual(['10.244.2.1:40000', '10.96.0.50:80']);
    expect(seen(ip('10.244.1.5'), POD, 8080)).toEqual(['10.244.1.5:40000', '10.244.2.10:8080']);
  });

  it('TCP: a ClusterIP reached from outside the cluster CIDR is masqueraded by the client\'s node; pods and the tab keep their address', () => {
    const f = fabric();
    const l = f.listen(1, POD, 8080) as number;
    const seen = (fromIp: number, toIp = ip('10.96.0.50'), toPort = 80) => {
      const c = f.connect({ owner: 2, fromIp, fromPort: 40000, toIp, toPort }) as ConnEnd;
      const s = f.accept(l, 1)!;
      const r = [addr(s.remote), addr(c.remote)];
      c.close();
      s.close();
      return r;
    };
    // hostNetwork pod / node n1, endpoint on n2: the packet leaves n1 by eth0 from n1's IP.
    expect(seen(N1)).toEqual(['172.18.0.2:40000', '10.96.0.50:80']);
    // n2 itself, endpoint on n2: MASQUERADE out of the pod bridge.
    expect(seen(N2)).toEqual(['10.244.2.1:40000', '10.96.0.50:80']);
    // No node (a static route for the Service range): the first node bridges it.
    expect(seen(ip('172.18.0.1'))).toEqual(['172.18.0.2:40000', '10.96.0.50:80']);
    // A pod anywhere in 10.244.0.0/16 keeps its IP; so does the tab (0.0.0.0); hairpin is still the gateway.
    expect(seen(ip('10.244.1.5'))).toEqual(['10.244.1.5:40000', '10.96.0.50:80']);
    expect(seen(ip('10.244.7.5'))).toEqual(['10.244.7.5:40000', '10.96.0.50:80']);
    expect(seen(0)).toEqual(['0.0.0.0:40000', '10.96.0.50:80']);
    expect(seen(POD)).toEqual(['10.244.2.1:40000', '10.96.0.50:80']);
    // eTP Local: the node's own traffic to its NodePort or to a LoadBalancer IP is masqueraded, others keep theirs.
    expect(seen(N1, N1, 30081)[0]).toBe('172.18.0.2:40000');
    expect(seen(ip('172.18.0.1'), N1, 30081)[0]).toBe('172.18.0.1:40000');
    expect(seen(N2, ip('172.18.255.201'), 80)[0]).toBe('10.244.2.1:40000');
    expect(seen(ip('172.18.0.1'), ip('172.18.255.201'), 80)[0]).toBe('172.18.0.1:40000');
    // kube-proxy without --cluster-cidr does not masquerade ClusterIP traffic.
    const { cidr: _, ...noCidr } = table();
    f.services!.publish(noCidr);
    expect(seen(ip('172.18.0.1'))).toEqual(['172.18.0.1:40000', '10.96.0.50:80']);
  });

  it('UDP: a ClusterIP datagram from a node reaches the endpoint from that node and the reply comes back from the ClusterIP', () => {
    const f = fabric();
    const udp = f.udp!;
    const srv = udp.bind(1, POD, 8080) as number;
    const cli = udp.bind(2, N1, 41000) as number;
    expect(f.sendUdp({ ip: N1, port: 41000 }, ip('10.96.0.50'), 80, enc.encode('ping'), false, 0)).toBe('queued');
    const got = udp.receive(srv)!;
    expect(addr([got.ip, got.port])).toBe('172.18.0.2:41000');
    expect(f.sendUdp({ ip: POD, port: 8080 }, got.ip, got.port, enc.encode('pong'), false, 10)).toBe('queued');
    expect(addr([udp.receive(cli)!.ip, 80])).toBe('10.96.0.50:80');
  });

  it('UDP: a NodePort datagram reaches the endpoint from the node IP and its reply comes back from the NodePort', () => {
    const f = fabric();
    const udp = f.udp!;
    const srv = udp.bind(1, POD, 8080) as number;
    const cli = udp.bind(2, ip('172.18.0.1'), 41000) as number;
    expect(f.sendUdp({ ip: ip('172.18.0.1'), port: 41000 }, N1, 30080, enc.encode('ping'), false, 0)).toBe('queued');
    const got = udp.receive(srv)!;
    expect([addr([got.ip, got.port]), dec.decode(got.data)]).toEqual(['172.18.0.2:41000', 'ping']);
    expect(f.sendUdp({ ip: POD, port: 8080 }, got.ip, got.port, enc.encode('pong'), false, 10)).toBe('queued');
    const back = udp.receive(cli)!;
    expect([addr([back.ip, back.port]), dec.decode(back.data)]).toEqual(['172.18.0.2:30080', 'pong']);
  });

  it(`UDP conntrack expires ${UDP_CT_UNREPLIED_MS / 1000} s after the last datagram while unreplied, ${UDP_CT_REPLIED_MS / 1000} s once replied`, () => {
    const f = fabric();
    const udp = f.udp!;
    const srv = udp.bind(1, POD, 8080) as number;
    const cli = udp.bind(2, ip('10.244.1.5'), 41000) as number;
    const from = { ip: ip('10.244.1.5'), port: 41000 };
    f.sendUdp(from, ip('10.96.0.50'), 80, enc.encode('a'), false, 1_000);
    expect(udp.tracked(cli, 1_000 + UDP_CT_UNREPLIED_MS - 1)).toMatchObject({ eIp: POD, ePort: 8080 });
    expect(udp.tracked(cli, 1_000 + UDP_CT_UNREPLIED_MS)).toBeUndefined();
    // Expired: a late reply is no longer reverse-NATed (it arrives from the pod, which a connected socket drops).
    udp.receive(srv);
    f.sendUdp({ ip: POD, port: 8080 }, from.ip, from.port, enc.encode('late'), false, 1_000 + UDP_CT_UNREPLIED_MS);
    expect(addr([udp.receive(cli)!.ip, 8080])).toBe('10.244.2.10:8080');
    // A replied flow lives UDP_CT_REPLIED_MS from the last datagram, refreshed by each.
    const t = 100_000;
    f.sendUdp(from, ip('10.96.0.50'), 80, enc.encode('b'), false, t);
    f.sendUdp({ ip: POD, port: 8080 }, from.ip, from.port, enc.encode('r'), false, t + 5);
    expect(addr([udp.receive(cli)!.ip, 80])).toBe('10.96.0.50:80');
    expect(udp.tracked(cli, t + 5 + UDP_CT_REPLIED_MS - 1)).toBeDefined();
    expect(udp.tracked(cli, t + 5 + UDP_CT_REPLIED_MS)).toBeUndefined();
  });
});
