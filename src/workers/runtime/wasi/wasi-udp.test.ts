import { describe, expect, it } from 'vitest';
import { atomicsBlocker, NetworkFabric, parseIpv4 } from '../../../network';
import { compileCFile } from '../../../node/compile-c-file';
import { emptyRootfs } from './mem-fs';
import { WasiHost } from './wasi-host';

const probe = new URL('../testdata/udp-probe.c', import.meta.url);
const dec = new TextDecoder();

async function runInThread(fabric: NetworkFabric, args: string[]) {
  const { module } = await compileCFile(probe);
  const deadline = performance.now() + 5000;
  const blocker = atomicsBlocker(() => performance.now(), () => performance.now() > deadline);
  const net = { fabric, podIp: parseIpv4('10.244.1.2')!, owner: fabric.newOwner(), blocker, now: () => performance.now() };
  let out = '';
  const host = new WasiHost({ args, env: [], rootfs: emptyRootfs(), now: () => Date.now(), randomBytes: (n) => new Uint8Array(n), stdout: (c) => (out += dec.decode(c)), stderr: (c) => (out += dec.decode(c)), net });
  const r = await host.run(module);
  fabric.releaseOwner(net.owner);
  return { ...r, out };
}

describe('WASI UDP sockets (SOCK_DGRAM in tabernetes_socket.h)', () => {
  it('sendto/recvfrom keep boundaries and the source, EAGAIN when empty, poll readiness, a full queue drops, connect sets the peer', async () => {
    const fabric = NetworkFabric.create({ slots: 1, ringBytes: 64, listeners: 1, udpSockets: 4, udpQueueBytes: 8192 });
    const r = await runInThread(fabric, ['/probe', 'local']);
    expect(r.out).toBe(
      'empty=-1/EAGAIN\npoll-before=0\npoll-after=1 revents=1\ngot one(3) from 10.244.1.2:9000\ntruncated tw(2)\n' +
        // 8192-byte queue, 1012 bytes per 1000-byte datagram: 8 fit, the other 92 are dropped.
        'sent=100 queued=8\nbig=-1/EMSGSIZE\nnodest=-1/EDESTADDRREQ\na got hi a\nb is 127.0.0.1:9001\nlisten=-1/EOPNOTSUPP\n',
    );
    expect(r.exitCode).toBe(0);
    // Process exit closed both sockets.
    expect(fabric.udp!.inUseCount()).toBe(0);
  }, 60_000);

  it('kube-dns answers a real DNS packet on 10.96.0.10:53 from the Service table (A, NXDOMAIN, AAAA NODATA)', async () => {
    const fabric = NetworkFabric.create({ slots: 1, ringBytes: 64, listeners: 1 });
    fabric.services!.publish({ rules: {}, dns: { 'kubernetes.default.svc.cluster.local': { a: [parseIpv4('10.96.0.1')!] } } });
    expect((await runInThread(fabric, ['/probe', 'dns', 'kubernetes.default.svc.cluster.local', '1'])).out).toBe('len=106 id=1234 qr=1 aa=1 rcode=0 an=1 a=10.96.0.1\n');
    expect((await runInThread(fabric, ['/probe', 'dns', 'nope.default.svc.cluster.local', '1'])).out).toBe('len=48 id=1234 qr=1 aa=1 rcode=3 an=0\n');
    expect((await runInThread(fabric, ['/probe', 'dns', 'kubernetes.default.svc.cluster.local', '28'])).out).toBe('len=54 id=1234 qr=1 aa=1 rcode=0 an=0\n');
  }, 60_000);
});
