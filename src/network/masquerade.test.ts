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

/** A NodePort Service (eTP Cluster) 10.96.0.50:80 / :30080 on both nodes and the same for UDP, endpoint POD:8080, as buildServiceTable writes it. */
function table(): ServiceTableData {
  const rule = { svc: 'default/web', port: '', eps: [[POD, 8080]] as Array<[number, number]> };
  return {
    rules: {
      [`${ip('10.96.0.50')}:80`]: rule,
      [`${N1}:30080`]: { ...rule, masq: N1 },
      [`${N2}:30080`]: { ...rule, masq: N2 },
      [`${ip('10.96.0.50')}:80/udp`]: rule,
      [`${N1}:30080/udp`]: { ...rule, masq: N1 },
    },
    dns: {},
    nodes: [
      [N1, ip('10.244.1.0'), 24],
      [N2, ip('10.244.2.0'), 24],
    ],
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
