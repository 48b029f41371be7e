import { describe, expect, it } from 'vitest';
import type { ConnEnd } from './conn-end';
import { parseIpv4 } from './ipv4';
import { NetworkFabric } from './network-fabric';
import type { PolicyTableData } from './policy-table';
import type { ServiceTableData } from './service-table';

const ip = (s: string) => parseIpv4(s)!;
const N1 = ip('172.18.0.2');
const N2 = ip('172.18.0.3');
const HOST = ip('172.18.0.1'); // outside every node and the cluster CIDR (the docker bridge)
const POD = ip('10.244.2.10'); // on n2
const CLIENT = ip('10.244.1.5'); // a pod on n1
const VIP = ip('10.96.0.50');

/** A NodePort Service (eTP Cluster) 10.96.0.50:80 / :30080 on both nodes (TCP and UDP), endpoint POD:8080, as buildServiceTable writes it. */
function services(): ServiceTableData {
  const rule = { svc: 'default/web', port: '', eps: [[POD, 8080]] as Array<[number, number]> };
  return {
    rules: {
      [`${VIP}:80`]: { ...rule, offCluster: true },
      [`${N1}:30080`]: { ...rule, masq: N1 },
      [`${N2}:30080`]: { ...rule, masq: N2 },
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

/** POD isolated for ingress, allowing only `from` (an ipBlock /32) on TCP and UDP 8080. */
const onlyFrom = (from: number): PolicyTableData => ({
  sets: [[{ peers: [{ cidr: [from, 32] }], ports: [{ proto: 'TCP', port: 8080 }, { proto: 'UDP', port: 8080 }] }]],
  pods: { [POD]: { node: N2, in: [0] } },
  named: {},
});

function fabric(policy: PolicyTableData): NetworkFabric {
  const f = NetworkFabric.create({ slots: 4, ringBytes: 256, listeners: 2, udpSockets: 4, udpQueueBytes: 256 });
  f.services!.publish(services());
  f.policies!.publish(policy);
  return f;
}

/** Whether a connection from fromIp to toIp:toPort reaches POD's listener (a denied one is dropped, not refused). */
function reaches(f: NetworkFabric, fromIp: number, toIp: number, toPort: number): boolean {
  const l = f.findListener(POD, 8080) >= 0 ? f.findListener(POD, 8080) : (f.listen(1, POD, 8080) as number);
  const c = f.connect({ owner: 2, fromIp, toIp, toPort });
  if (typeof c === 'object' && 'dropped' in c) return false;
  expect(typeof c).toBe('object');
  (c as ConnEnd).close();
  f.accept(l, 1)!.close();
  return true;
}

// NetworkPolicy is enforced on the endpoint's node: a connection another node masqueraded arrives from that
// node's IP (what an ipBlock must allow for eTP Cluster NodePort traffic), one masqueraded by the endpoint's own
// node is judged before its POSTROUTING, on the original client (Calico's FORWARD chain).
describe('NetworkPolicy ingress sees the post-SNAT source (masquerade.ts policySource)', () => {
  it('TCP: an ipBlock of the entry node admits NodePort traffic it masqueraded, not the original client', () => {
    const f = fabric(onlyFrom(N1));
    expect(reaches(f, HOST, N1, 30080)).toBe(true); // NATed by n1, arrives at n2 from 172.18.0.2
    expect(reaches(f, CLIENT, N1, 30080)).toBe(true); // a pod through n1's NodePort: the same
    expect(reaches(f, HOST, N2, 30080)).toBe(false); // NATed by n2 itself: judged on 172.18.0.1
    expect(reaches(f, HOST, POD, 8080)).toBe(false);
    expect(reaches(f, CLIENT, VIP, 80)).toBe(false); // pod → ClusterIP keeps the pod IP
    expect(reaches(f, N1, VIP, 80)).toBe(true); // n1 (hostNetwork) → ClusterIP
  });

  it('TCP: an ipBlock of the original client no longer admits it once another node masqueraded it', () => {
    const f = fabric(onlyFrom(HOST));
    expect(reaches(f, HOST, N1, 30080)).toBe(false);
    expect(reaches(f, HOST, N2, 30080)).toBe(true);
    expect(reaches(f, HOST, POD, 8080)).toBe(true);
    expect(reaches(f, HOST, VIP, 80)).toBe(false); // off-cluster → ClusterIP: bridged by n1, from 172.18.0.2
  });

  it('UDP: the same verdicts for a datagram through a NodePort', () => {
    const send = (policy: PolicyTableData) => {
      const f = fabric(policy);
      f.udp!.bind(1, POD, 8080);
      f.udp!.bind(2, HOST, 41000);
      return f.sendUdp({ ip: HOST, port: 41000 }, N1, 30080, new Uint8Array([1]), false, 0);
    };
    expect(send(onlyFrom(N1))).toBe('queued');
    expect(send(onlyFrom(HOST))).toBe('dropped');
  });

  it('egress is still judged on the sending pod and the post-DNAT endpoint', () => {
    const egress: PolicyTableData = { sets: [[{ peers: [{ pods: [POD] }] }]], pods: { [CLIENT]: { node: N1, eg: [0] } }, named: {} };
    const f = fabric(egress);
    expect(reaches(f, CLIENT, N1, 30080)).toBe(true);
    expect(reaches(f, CLIENT, VIP, 80)).toBe(true);
    f.policies!.publish({ ...egress, sets: [[{ peers: [{ pods: [N1] }] }]] });
    expect(reaches(f, CLIENT, N1, 30080)).toBe(false);
  });
});
