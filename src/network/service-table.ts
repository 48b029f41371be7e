/**
 * The Service rule and DNS table in the fabric's SharedArrayBuffer (kube-proxy's iptables rules and CoreDNS's
 * zone, in one place every container Worker can read synchronously). Region layout at byte offset `base`:
 *
 *   header   16 Int32 words: VERSION (a seqlock: odd while being written), LEN, RAND, AFF_LOCK, CAP
 *   affinity AFF_ENTRIES entries of 8 words: key hash, client IP, endpoint IP, endpoint port, 2 spare, lastUsed (f64)
 *   blob     CAP bytes: the UTF-8 JSON of a ServiceTableData
 *
 * One writer (the cluster's kube-proxy) publishes whole tables; readers copy the blob between two equal even
 * VERSION reads and cache the parsed table per version, so a lookup costs a few Atomics loads.
 */
export const SVC_HEADER_WORDS = 16;
export const AFF_ENTRIES = 1024;
const AFF_WORDS = 8;
const W = { VERSION: 0, LEN: 1, RAND: 2, AFF_LOCK: 3, CAP: 4 } as const;

/** The region's total size for a blob capacity of cap bytes. */
export function serviceTableBytes(cap: number): number {
  return (SVC_HEADER_WORDS + AFF_ENTRIES * AFF_WORDS) * 4 + cap;
}

/** One virtual ip:port's backends (an iptables KUBE-SVC chain). */
export interface ServiceRule {
  /** "namespace/name" of the Service. */
  svc: string;
  /** The Service port's name ("" when unnamed). */
  port: string;
  /** Ready endpoints as [ip u32, port]; empty: connections are rejected (ECONNREFUSED). */
  eps: Array<[number, number]>;
  /** sessionAffinity ClientIP: the timeout in seconds. */
  aff?: number;
  /**
   * Traffic policy Local (kube-proxy's KUBE-SVL/KUBE-EXT chains): the first entry whose `from` CIDRs
   * ([network u32, prefix]) hold the client's IP gives the endpoints instead of `eps`; an empty list there
   * drops the connection (no local endpoints), it is not rejected. A client matching no entry uses `eps`.
   */
  sel?: Array<{ from: Array<[number, number]>; eps: Array<[number, number]> }>;
  /**
   * externalTrafficPolicy Cluster at a NodePort / LoadBalancer address (kube-proxy's KUBE-EXT chain jumping to
   * KUBE-MARK-MASQ): the IP of the node the traffic enters; connections are masqueraded (masquerade.ts).
   */
  masq?: number;
  /**
   * A ClusterIP rule (KUBE-SVC / KUBE-SVL): clients outside ServiceTableData.cidr are masqueraded
   * (`! -s <clusterCIDR> -j KUBE-MARK-MASQ`, masquerade.ts).
   */
  offCluster?: true;
  /**
   * externalTrafficPolicy Local at a NodePort / LoadBalancer address: a node's own traffic is masqueraded
   * (KUBE-EXT's `-m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`, masquerade.ts): at a NodePort the IP of its
   * node (only that node DNATs it), at a LoadBalancer IP 0 (every node DNATs its own clients).
   */
  masqLocal?: number;
}

/** The records of one DNS name (lower case, no trailing dot). */
export interface DnsRecord {
  /** A records (u32 addresses). */
  a?: number[];
  /** CNAME target (ExternalName Services). */
  cname?: string;
  /** SRV records as [priority, weight, port, target]. */
  srv?: Array<[number, number, number, string]>;
}

export interface ServiceTableData {
  /**
   * Keyed by ruleKey(ip, port, proto): `${ip u32}:${port}` for TCP, `${ip u32}:${port}/udp` for UDP; at
   * ClusterIPs, node IPs (NodePort) and LoadBalancer ingress IPs.
   */
  rules: Record<string, ServiceRule>;
  dns: Record<string, DnsRecord>;
  /** Every node as [InternalIP u32, podCIDR network u32, prefix] (masquerade.ts picks SNAT sources from it). */
  nodes?: Array<[number, number, number]>;
  /** The cluster (pod) CIDR as [network u32, prefix] (kube-proxy's --cluster-cidr); absent: no off-cluster masquerade. */
  cidr?: [number, number];
}

/** A rule's key: TCP keys stay `${ip}:${port}`; other protocols append `/${proto}` in lower case. */
export const ruleKey = (ip: number, port: number, proto = 'TCP') => (proto === 'TCP' ? `${ip >>> 0}:${port}` : `${ip >>> 0}:${port}/${proto.toLowerCase()}`);

/**
 * A routing decision: a backend, a rejection (service without endpoints), a drop (traffic policy Local without
 * a local endpoint), or undefined (not a service address).
 */
export type RouteResult = { ip: number; port: number; rule: ServiceRule } | 'ECONNREFUSED' | 'DROP' | undefined;

const inCidr = (ip: number, [net, prefix]: [number, number]) => prefix <= 0 || ip >>> (32 - Math.min(32, prefix)) === net >>> (32 - Math.min(32, prefix));

const EMPTY: ServiceTableData = { rules: {}, dns: {} };

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 1;
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

export class ServiceTable {
  private readonly words: Int32Array;
  private readonly times: Float64Array;
  private readonly blob: Uint8Array;
  private cached: { version: number; data: ServiceTableData } = { version: 0, data: EMPTY };

  /** A view of the region at byte offset base of buffer (base must be 8-aligned); init formats it. */
  constructor(buffer: SharedArrayBuffer, base: number, init?: { cap: number }) {
    this.words = new Int32Array(buffer, base, SVC_HEADER_WORDS + AFF_ENTRIES * AFF_WORDS);
    this.times = new Float64Array(buffer, base, (SVC_HEADER_WORDS + AFF_ENTRIES * AFF_WORDS) / 2);
    if (init) this.words[W.CAP] = init.cap;
    this.blob = new Uint8Array(buffer, base + (SVC_HEADER_WORDS + AFF_ENTRIES * AFF_WORDS) * 4, this.words[W.CAP]);
  }

  /** Bumped by every publish (even when stable). */
  get version(): number {
    return Atomics.load(this.words, W.VERSION);
  }

  /**
   * Replaces the whole table. Single writer only. Throws when the encoding exceeds the capacity (the
   * previous table stays in force).
   */
  publish(data: ServiceTableData): void {
    const bytes = new TextEncoder().encode(JSON.stringify(data));
    if (bytes.length > this.blob.length) throw new Error(`service table full: ${bytes.length} bytes > ${this.blob.length}`);
    Atomics.add(this.words, W.VERSION, 1);
    this.blob.set(bytes);
    Atomics.store(this.words, W.LEN, bytes.length);
    Atomics.add(this.words, W.VERSION, 1);
    Atomics.notify(this.words, W.VERSION);
  }

  /** The current table (parsed once per version). */
  read(): ServiceTableData {
    for (let tries = 0; ; tries++) {
      const v = Atomics.load(this.words, W.VERSION);
      if (v === this.cached.version) return this.cached.data;
      if (v & 1) continue;
      const len = Atomics.load(this.words, W.LEN);
      const copy = this.blob.slice(0, len);
      if (Atomics.load(this.words, W.VERSION) !== v) continue;
      try {
        this.cached = { version: v, data: len ? (JSON.parse(new TextDecoder().decode(copy)) as ServiceTableData) : EMPTY };
      } catch (err) {
        if (tries < 100) continue;
        throw err;
      }
      return this.cached.data;
    }
  }

  /**
   * Where a connection to ip:port from fromIp goes (kube-proxy's DNAT): a ready endpoint (of the client's
   * traffic-policy selection, ServiceRule.sel) chosen at random (iptables' statistic mode), or the client's previous one under sessionAffinity ClientIP while it is
   * still ready and was used within the timeout (`now`, in ms; without it entries never expire).
   * `proto` selects the TCP or UDP rules of the address (NetworkFabric.sendUdp routes datagrams with 'UDP').
   */
  route(ip: number, port: number, fromIp: number, now?: number, proto = 'TCP'): RouteResult {
    const key = ruleKey(ip, port, proto);
    let rule = this.read().rules[key];
    if (!rule) return undefined;
    const sel = rule.sel?.find((e) => e.from.some((c) => inCidr(fromIp >>> 0, c)));
    if (sel) {
      if (sel.eps.length === 0) return 'DROP';
      rule = { ...rule, eps: sel.eps };
    }
    if (rule.eps.length === 0) return 'ECONNREFUSED';
    if (rule.aff === undefined) return this.pick(rule);
    return this.withAffinity(rule, hash32(key), fromIp, now);
  }

  private pick(rule: ServiceRule): { ip: number; port: number; rule: ServiceRule } {
    const r = mix32(Atomics.add(this.words, W.RAND, 1) + 0x9e3779b9);
    const [ip, port] = rule.eps[r % rule.eps.length];
    return { ip, port, rule };
  }

  private withAffinity(rule: ServiceRule, h: number, fromIp: number, now: number | undefined) {
    const w = this.words;
    while (Atomics.compareExchange(w, W.AFF_LOCK, 0, 1) !== 0);
    try {
      let free = -1;
      let oldest = -1;
      for (let i = 0; i < AFF_ENTRIES; i++) {
        const at = SVC_HEADER_WORDS + i * AFF_WORDS;
        const t = this.times[at / 2 + 3];
        if (w[at] === 0) {
          if (free < 0) free = i;
          continue;
        }
        if (oldest < 0 || t < this.times[(SVC_HEADER_WORDS + oldest * AFF_WORDS) / 2 + 3]) oldest = i;
        if (w[at] !== h || w[at + 1] !== (fromIp | 0)) continue;
        const fresh = now === undefined || now - t <= rule.aff! * 1000;
        const ep = rule.eps.find(([eip, eport]) => (eip | 0) === w[at + 2] && eport === w[at + 3]);
        if (fresh && ep) {
          if (now !== undefined) this.times[at / 2 + 3] = now;
          return { ip: ep[0], port: ep[1], rule };
        }
        free = i;
        break;
      }
      const chosen = this.pick(rule);
      const slot = free >= 0 ? free : oldest;
      const at = SVC_HEADER_WORDS + slot * AFF_WORDS;
      w[at] = h;
      w[at + 1] = fromIp | 0;
      w[at + 2] = chosen.ip | 0;
      w[at + 3] = chosen.port;
      this.times[at / 2 + 3] = now ?? 0;
      return chosen;
    } finally {
      Atomics.store(w, W.AFF_LOCK, 0);
    }
  }
}
