import { describe, expect, it } from 'vitest';
import { answerDnsQuery, encodeName, parseQuestion, QTYPE } from './dns-wire';
import { parseIpv4 } from './ipv4';
import { NetworkFabric } from './network-fabric';

const enc = new TextEncoder();
const ip = (s: string) => parseIpv4(s)!;

function query(name: string, qtype: number, id = 7): Uint8Array {
  return new Uint8Array([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, ...encodeName(name), 0, qtype, 0, 1]);
}

/** The answer section of a reply as [type, rdata bytes] (our replies are uncompressed). */
function answers(reply: Uint8Array): Array<[number, number[]]> {
  const q = parseQuestion(new Uint8Array([...reply.subarray(0, 2), 1, 0, ...reply.subarray(4)]))!;
  const out: Array<[number, number[]]> = [];
  let at = q.end;
  for (let i = 0; i < (reply[6] << 8 | reply[7]); i++) {
    while (reply[at] !== 0) at += reply[at] + 1;
    at++;
    const type = reply[at] << 8 | reply[at + 1];
    const len = reply[at + 8] << 8 | reply[at + 9];
    out.push([type, [...reply.subarray(at + 10, at + 10 + len)]]);
    at += 10 + len;
  }
  return out;
}

describe('UDP in the fabric', () => {
  it('delivers whole datagrams with their source, drops when the queue is full or nobody is bound, frees on releaseOwner', () => {
    const f = NetworkFabric.create({ slots: 1, ringBytes: 64, listeners: 1, udpSockets: 2, udpQueueBytes: 64 });
    const owner = f.newOwner();
    const s = f.udp!.bind(owner, ip('10.244.1.2'), 53) as number;
    expect(f.udp!.bind(owner, ip('10.244.1.2'), 53)).toBe('EADDRINUSE');
    const from = { ip: ip('10.244.2.3'), port: 40000 };
    const seq = Atomics.load(f.words, f.globalSeq);
    expect(f.sendUdp(from, ip('10.244.1.2'), 53, enc.encode('hello'))).toBe('queued');
    expect(Atomics.load(f.words, f.globalSeq)).not.toBe(seq);
    expect(f.sendUdp(from, ip('10.244.1.2'), 53, enc.encode('world!!'))).toBe('queued');
    // 64-byte queue: 12+8 and 12+8 used, 12+32 does not fit.
    expect(f.sendUdp(from, ip('10.244.1.2'), 53, new Uint8Array(30))).toBe('dropped');
    expect(f.udp!.drops(s)).toBe(1);
    expect(f.sendUdp(from, ip('10.244.1.2'), 54, enc.encode('x'))).toBe('unreachable');
    expect(f.sendUdp(from, ip('10.244.1.2'), 53, new Uint8Array(100))).toBe('EMSGSIZE');
    expect(f.udp!.nextLength(s)).toBe(5);
    const a = f.udp!.receive(s)!;
    expect([new TextDecoder().decode(a.data), a.ip, a.port]).toEqual(['hello', from.ip, 40000]);
    expect(new TextDecoder().decode(f.udp!.receive(s)!.data)).toBe('world!!');
    expect(f.udp!.receive(s)).toBeNull();
    // The ring wraps: many rounds through a 64-byte queue keep every byte.
    for (let i = 0; i < 20; i++) {
      f.sendUdp(from, ip('10.244.1.2'), 53, enc.encode(`msg-${i}`));
      expect(new TextDecoder().decode(f.udp!.receive(s)!.data)).toBe(`msg-${i}`);
    }
    f.releaseOwner(owner);
    expect(f.udp!.inUseCount()).toBe(0);
  });

  it('kube-dns on 10.96.0.10:53 answers from the DNS table: A, CNAME chain, SRV, PTR, AAAA NODATA, NXDOMAIN, FORMERR', () => {
    const dns = {
      'web.default.svc.cluster.local': { a: [ip('10.96.0.20')] },
      'alias.default.svc.cluster.local': { cname: 'web.default.svc.cluster.local' },
      '_http._tcp.web.default.svc.cluster.local': { srv: [[0, 100, 80, 'web.default.svc.cluster.local']] as Array<[number, number, number, string]> },
    };
    const a = answerDnsQuery(dns, query('Web.default.svc.cluster.local', QTYPE.A, 0x4242))!;
    expect([a[0], a[1], a[2] & 0x84, a[3]]).toEqual([0x42, 0x42, 0x84, 0x80]);
    expect(answers(a)).toEqual([[1, [10, 96, 0, 20]]]);
    expect(answers(answerDnsQuery(dns, query('alias.default.svc.cluster.local', QTYPE.A))!).map(([t]) => t)).toEqual([5, 1]);
    expect(answers(answerDnsQuery(dns, query('_http._tcp.web.default.svc.cluster.local', QTYPE.SRV))!)).toEqual([[33, [0, 0, 0, 100, 0, 80, ...encodeName('web.default.svc.cluster.local')]]]);
    expect(answers(answerDnsQuery(dns, query('20.0.96.10.in-addr.arpa', QTYPE.PTR))!)).toEqual([[12, encodeName('web.default.svc.cluster.local')]]);
    const aaaa = answerDnsQuery(dns, query('web.default.svc.cluster.local', QTYPE.AAAA))!;
    expect([aaaa[3] & 15, aaaa[7]]).toEqual([0, 0]);
    expect(answerDnsQuery(dns, query('nope.default.svc.cluster.local', QTYPE.A))![3] & 15).toBe(3);
    expect(answerDnsQuery(dns, new Uint8Array([1, 2, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0]))![3] & 15).toBe(1);
    expect(answerDnsQuery(dns, new Uint8Array([1, 2]))).toBeUndefined();

    const f = NetworkFabric.create({ slots: 1, ringBytes: 64, listeners: 1 });
    f.services!.publish({ rules: {}, dns });
    const s = f.udp!.bind(f.newOwner(), ip('10.244.1.2'), 40001) as number;
    expect(f.sendUdp({ ip: ip('10.244.1.2'), port: 40001 }, ip('10.96.0.10'), 53, query('web.default.svc.cluster.local', QTYPE.A))).toBe('queued');
    const reply = f.udp!.receive(s)!;
    expect([reply.ip, reply.port]).toEqual([ip('10.96.0.10'), 53]);
    expect(answers(reply.data)).toEqual([[1, [10, 96, 0, 20]]]);
  });

  it('measures a DNS query over UDP to kube-dns (send, answer, receive) in one thread', () => {
    const f = NetworkFabric.create({ slots: 1, ringBytes: 64, listeners: 1 });
    const dns: Record<string, { a: number[] }> = {};
    for (let i = 0; i < 300; i++) dns[`svc-${i}.default.svc.cluster.local`] = { a: [ip('10.96.1.0') + i] };
    f.services!.publish({ rules: {}, dns });
    const s = f.udp!.bind(f.newOwner(), ip('10.244.1.2'), 40002) as number;
    const q = query('svc-150.default.svc.cluster.local', QTYPE.A);
    const n = 2000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      f.sendUdp({ ip: ip('10.244.1.2'), port: 40002 }, ip('10.96.0.10'), 53, q);
      if (!f.udp!.receive(s)) throw new Error('no reply');
    }
    const us = ((performance.now() - t0) * 1000) / n;
    console.log(`DNS over UDP to kube-dns: ${us.toFixed(1)} µs per query (300 Services)`);
    expect(us).toBeLessThan(1000);
  });
});

