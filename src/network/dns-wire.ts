import { lookupFqdn } from './dns-resolver';
import type { DnsRecord } from './service-table';

/**
 * kube-dns on the wire (RFC 1035): answers one DNS query packet from the fabric's DNS records, as CoreDNS's
 * kubernetes plugin does for cluster.local (authoritative, TTL 30 as kubeadm's Corefile). A 1, CNAME 5,
 * PTR 12, AAAA 28 (IPv4-only cluster: NOERROR with the CNAME chain alone), SRV 33; other types get NOERROR
 * with no answer for an existing name. Unknown names: NXDOMAIN (rcode 3). A malformed packet: FORMERR
 * (rcode 1) when the header is readable, else no reply. Names are written uncompressed.
 */
export const CLUSTER_DNS_IP = 0x0a60000a; // 10.96.0.10, kube-dns's ClusterIP
export const DNS_PORT = 53;
const TTL = 30;
export const QTYPE = { A: 1, CNAME: 5, PTR: 12, AAAA: 28, SRV: 33 } as const;

export interface DnsQuestion {
  id: number;
  flags: number;
  name: string;
  qtype: number;
  qclass: number;
  /** Byte length of header + question (the question section is echoed from the query). */
  end: number;
}

function readName(b: Uint8Array, at: number): { name: string; end: number } | undefined {
  const labels: string[] = [];
  while (at < b.length) {
    const n = b[at];
    if (n === 0) return { name: labels.join('.'), end: at + 1 };
    if (n > 63 || at + 1 + n > b.length) return undefined;
    labels.push(String.fromCharCode(...b.subarray(at + 1, at + 1 + n)));
    at += 1 + n;
  }
  return undefined;
}

export function encodeName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.replace(/\.$/, '').split('.')) {
    if (!label) continue;
    out.push(label.length, ...[...label].map((c) => c.charCodeAt(0) & 0xff));
  }
  out.push(0);
  return out;
}

/** The question of a query packet; undefined when it is not a one-question query. */
export function parseQuestion(b: Uint8Array): DnsQuestion | undefined {
  if (b.length < 12) return undefined;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint16(4) !== 1 || dv.getUint16(2) & 0x8000) return undefined;
  const n = readName(b, 12);
  if (!n || n.end + 4 > b.length) return undefined;
  return { id: dv.getUint16(0), flags: dv.getUint16(2), name: n.name, qtype: dv.getUint16(n.end), qclass: dv.getUint16(n.end + 2), end: n.end + 4 };
}

const u16 = (v: number) => [(v >>> 8) & 255, v & 255];
const u32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

function rr(name: string, type: number, rdata: number[]): number[] {
  return [...encodeName(name), ...u16(type), ...u16(1), ...u32(TTL), ...u16(rdata.length), ...rdata];
}

/** `d.c.b.a.in-addr.arpa` → the first Service (or headless endpoint) name with that A record. */
function reverse(dns: Record<string, DnsRecord>, name: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.in-addr\.arpa$/.exec(name);
  if (!m) return undefined;
  const ip = ((Number(m[4]) << 24) >>> 0) + (Number(m[3]) << 16) + (Number(m[2]) << 8) + Number(m[1]);
  const names = Object.keys(dns).filter((k) => dns[k].a?.includes(ip) && !k.startsWith('_'));
  names.sort((x, y) => x.split('.').length - y.split('.').length || (x < y ? -1 : 1));
  return names[0];
}

/** The response packet to one query packet (undefined: unreadable, no reply, as a server would stay silent). */
export function answerDnsQuery(dns: Record<string, DnsRecord>, query: Uint8Array): Uint8Array | undefined {
  const q = parseQuestion(query);
  if (!q) {
    if (query.length < 12) return undefined;
    const out = new Uint8Array(12);
    out.set(query.subarray(0, 2));
    out[2] = 0x80 | (query[2] & 0x79);
    out[3] = 0x81; // RA, FORMERR
    return out;
  }
  const name = q.name.toLowerCase().replace(/\.$/, '');
  const answers: number[][] = [];
  let rcode = 0;
  if (q.qtype === QTYPE.PTR) {
    const target = reverse(dns, name);
    if (target) answers.push(rr(q.name, QTYPE.PTR, encodeName(target)));
    else rcode = 3;
  } else {
    const found = lookupFqdn(dns, name);
    if (!found) rcode = 3;
    else {
      for (const [alias, target] of found.cnames) {
        if (q.qtype === QTYPE.CNAME && answers.length) break;
        answers.push(rr(alias, QTYPE.CNAME, encodeName(target)));
      }
      const final = found.cnames.length ? found.cnames[found.cnames.length - 1][1] : found.name;
      if (q.qtype === QTYPE.A) for (const ip of found.addresses) answers.push(rr(final, QTYPE.A, u32(ip)));
      if (q.qtype === QTYPE.SRV) for (const [p, w, port, target] of found.srv ?? []) answers.push(rr(final, QTYPE.SRV, [...u16(p), ...u16(w), ...u16(port), ...encodeName(target)]));
    }
  }
  const head = [...u16(q.id), 0x84 | (q.flags >>> 8 & 0x79), 0x80 | rcode, ...u16(1), ...u16(answers.length), 0, 0, 0, 0];
  return new Uint8Array([...head, ...query.subarray(12, q.end), ...answers.flat()]);
}
