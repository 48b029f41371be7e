import { describe, expect, it } from 'vitest';
import type { Node, Service } from 'kubernetes-types/core/v1';
import { atomicsBlocker, NetworkFabric, parseIpv4 } from '../../network';
import { compileCFile } from '../../node/compile-c-file';
import { emptyRootfs } from '../runtime/wasi/mem-fs';
import { WasiHost } from '../runtime/wasi/wasi-host';
import { kubeDnsService } from './kube-dns-addon';
import { buildServiceTable } from './service-rules';

const probe = new URL('../runtime/testdata/udp-probe.c', import.meta.url);
const dec = new TextDecoder();
const POD_IP = '10.244.1.2';

// A real WASI program's sockets against kube-proxy's UDP rules: connect() to a UDP ClusterIP or NodePort, the
// datagram DNATed to the endpoint (the same pod, hairpin: masqueraded to the podCIDR gateway as kube-proxy's
// KUBE-SEP `-s <endpoint> -j KUBE-MARK-MASQ` does), the reply reverse-NATed so the connected socket takes it.
describe('UDP Service from a WASI program (tabernetes_socket.h)', () => {
  it('a connected datagram socket talks to a UDP Service at its ClusterIP and NodePort; kube-dns answers its name and SRV', async () => {
    const fabric = NetworkFabric.create({ slots: 1, ringBytes: 64, listeners: 1, udpSockets: 8, udpQueueBytes: 4096 });
    const svc: Service = { metadata: { name: 'echo-udp', namespace: 'default' }, spec: { type: 'NodePort', clusterIP: '10.96.9.9', ports: [{ name: 'echo', port: 53, protocol: 'UDP', targetPort: 5353, nodePort: 30053 }] } };
    const node: Node = { metadata: { name: 'n1' }, spec: { podCIDR: '10.244.1.0/24' }, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] } };
    const slice = { metadata: { name: 'echo-udp-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'echo-udp' } }, addressType: 'IPv4', endpoints: [{ addresses: [POD_IP], nodeName: 'n1', conditions: { ready: true } }], ports: [{ name: 'echo', port: 5353, protocol: 'UDP' }] };
    fabric.services!.publish(buildServiceTable([svc, kubeDnsService()], [slice], [node]));
    const { module } = await compileCFile(probe);
    const run = async (args: string[]) => {
      const deadline = performance.now() + 5000;
      const blocker = atomicsBlocker(() => performance.now(), () => performance.now() > deadline);
      const net = { fabric, podIp: parseIpv4(POD_IP)!, owner: fabric.newOwner(), blocker, now: () => performance.now() };
      let out = '';
      const host = new WasiHost({ args, env: [], rootfs: emptyRootfs(), now: () => Date.now(), randomBytes: (n) => new Uint8Array(n), stdout: (c) => (out += dec.decode(c)), stderr: (c) => (out += dec.decode(c)), net });
      const r = await host.run(module);
      fabric.releaseOwner(net.owner);
      return `${out}exit ${r.exitCode}`;
    };
    expect(await run(['/probe', 'service', '10.96.9.9', '53', 'echo-udp.default.svc.cluster.local'])).toBe(
      `endpoint got ping from 10.244.1.1\nclient got pong from its peer 10.96.9.9:53\n` +
        'echo-udp.default.svc.cluster.local type 1: rcode=0 an=1\necho-udp.default.svc.cluster.local type 33: rcode=0 an=0\nexit 0',
    );
    expect(await run(['/probe', 'service', '172.18.0.2', '30053', '_echo._udp.echo-udp.default.svc.cluster.local'])).toBe(
      `endpoint got ping from 10.244.1.1\nclient got pong from its peer 172.18.0.2:30053\n` +
        '_echo._udp.echo-udp.default.svc.cluster.local type 1: rcode=0 an=0\n_echo._udp.echo-udp.default.svc.cluster.local type 33: rcode=0 an=1\nexit 0',
    );
  }, 60_000);
});
