/**
 * The NetworkPolicy table in the fabric's SharedArrayBuffer (Calico's policy dataplane, in one place every
 * container Worker reads synchronously in connect). Region layout at byte offset `base`:
 *
 *   header   8 Int32 words: VERSION (a seqlock: odd while being written; notified on publish), LEN, ACTIVE
 *            (1 when at least one pod is isolated: 0 is the no-policy fast path), CAP
 *   blob     CAP bytes: the UTF-8 JSON of a PolicyTableData
 *
 * One writer (the cluster's kube-proxy, src/workers/kube-proxy/network-policy-rules.ts) publishes whole
 * tables; readers copy the blob between two equal even VERSION reads and compile it once per version.
 */
export const POLICY_HEADER_WORDS = 8;
const W = { VERSION: 0, LEN: 1, ACTIVE: 2, CAP: 3 } as const;

/** The region's total size for a blob capacity of cap bytes (a multiple of 8, so regions after it stay aligned). */
export function policyTableBytes(cap: number): number {
  return POLICY_HEADER_WORDS * 4 + Math.ceil(cap / 8) * 8;
}

/** One peer of a rule: pod IPs (podSelector/namespaceSelector, resolved by the writer) or an ipBlock. */
export interface PolicyPeer {
  pods?: number[];
  /** ipBlock.cidr as [network u32, prefix length]; except as more of them. */
  cidr?: [number, number];
  except?: Array<[number, number]>;
}

/** One NetworkPolicyPort: a number (with endPort), a named container port of the destination pod, or every port of proto. */
export interface PolicyPort {
  proto: string;
  port?: number;
  end?: number;
  name?: string;
}

/** One ingress or egress rule; an absent list matches everything (an empty `from`/`ports` in the policy). */
export interface PolicyRule {
  peers?: PolicyPeer[];
  ports?: PolicyPort[];
}

/** An isolated pod: its node's IP and the rule sets (indexes into PolicyTableData.sets) of each isolated direction. */
export interface PolicyTarget {
  node?: number;
  in?: number[];
  eg?: number[];
}

export interface PolicyTableData {
  /** The rules of one policy in one direction each; a policy selecting a pod contributes its set. */
  sets: PolicyRule[][];
  /** Keyed by pod IP u32: only pods selected by some policy. */
  pods: Record<string, PolicyTarget>;
  /** Named container ports by pod IP u32, then `${name}/${protocol}`. */
  named: Record<string, Record<string, number>>;
}

interface CompiledPeer {
  pods?: Set<number>;
  cidr?: [number, number];
  except?: Array<[number, number]>;
}
interface CompiledRule {
  peers?: CompiledPeer[];
  ports?: PolicyPort[];
}
interface CompiledTarget {
  node: number | undefined;
  in: CompiledRule[][] | undefined;
  eg: CompiledRule[][] | undefined;
}
interface Compiled {
  pods: Map<number, CompiledTarget>;
  named: Record<string, Record<string, number>>;
}

const EMPTY: Compiled = { pods: new Map(), named: {} };

/** ip within network/prefix. */
export function inCidr(ip: number, [net, prefix]: [number, number]): boolean {
  if (prefix <= 0) return true;
  const shift = 32 - Math.min(32, prefix);
  return ip >>> shift === net >>> shift;
}

function compilePeer(p: PolicyPeer): CompiledPeer {
  if (p.pods) return { pods: new Set(p.pods.map((x) => x >>> 0)) };
  return { ...(p.cidr ? { cidr: p.cidr } : {}), ...(p.except ? { except: p.except } : {}) };
}

function compile(data: PolicyTableData): Compiled {
  const sets = data.sets.map((rules) =>
    rules.map((r): CompiledRule => ({
      ...(r.peers ? { peers: r.peers.map(compilePeer) } : {}),
      ...(r.ports ? { ports: r.ports } : {}),
    })),
  );
  const pods = new Map<number, CompiledTarget>();
  for (const [ip, t] of Object.entries(data.pods)) {
    pods.set(Number(ip) >>> 0, { node: t.node, in: t.in?.map((i) => sets[i]), eg: t.eg?.map((i) => sets[i]) });
  }
  return { pods, named: data.named };
}

export class PolicyTable {
  /** The region's header words: wait on index 0 (VERSION) for a new table. */
  readonly words: Int32Array;
  private readonly blob: Uint8Array;
  private cached: { version: number; data: Compiled } = { version: 0, data: EMPTY };

  /** A view of the region at byte offset base of buffer (4-aligned); init formats it. */
  constructor(buffer: SharedArrayBuffer, base: number, init?: { cap: number }) {
    this.words = new Int32Array(buffer, base, POLICY_HEADER_WORDS);
    if (init) this.words[W.CAP] = init.cap;
    this.blob = new Uint8Array(buffer, base + POLICY_HEADER_WORDS * 4, this.words[W.CAP]);
  }

  /** Bumped by every publish. */
  get version(): number {
    return Atomics.load(this.words, W.VERSION);
  }

  /** False when no pod is isolated: every connection is allowed without reading the table. */
  get active(): boolean {
    return Atomics.load(this.words, W.ACTIVE) !== 0;
  }

  /** Replaces the whole table. Single writer only. Throws when the encoding exceeds the capacity (the previous table stays). */
  publish(data: PolicyTableData): void {
    const bytes = new TextEncoder().encode(JSON.stringify(data));
    if (bytes.length > this.blob.length) throw new Error(`network policy table full: ${bytes.length} bytes > ${this.blob.length}`);
    Atomics.add(this.words, W.VERSION, 1);
    this.blob.set(bytes);
    Atomics.store(this.words, W.LEN, bytes.length);
    Atomics.store(this.words, W.ACTIVE, Object.keys(data.pods).length > 0 ? 1 : 0);
    Atomics.add(this.words, W.VERSION, 1);
    Atomics.notify(this.words, W.VERSION);
  }

  private read(): Compiled {
    for (let tries = 0; ; tries++) {
      const v = Atomics.load(this.words, W.VERSION);
      if (v === this.cached.version) return this.cached.data;
      if (v & 1) continue;
      const len = Atomics.load(this.words, W.LEN);
      const copy = this.blob.slice(0, len);
      if (Atomics.load(this.words, W.VERSION) !== v) continue;
      try {
        this.cached = { version: v, data: len ? compile(JSON.parse(new TextDecoder().decode(copy)) as PolicyTableData) : EMPTY };
      } catch (err) {
        if (tries < 100) continue;
        throw err;
      }
      return this.cached.data;
    }
  }

  /**
   * Whether a new TCP connection from fromIp to toIp:toPort (after Service DNAT) is allowed (Calico's
   * verdict): an egress-isolated source needs some egress rule of a policy selecting it to match the
   * destination, and an ingress-isolated destination some ingress rule matching the source, where a source
   * of 0.0.0.0 (the tab itself) or the destination pod's own node IP is always allowed in (host → local pod).
   * `seenFrom` is the source the destination's node sees when kube-proxy masqueraded the connection on another
   * node (masquerade.ts policySource); egress is always judged on fromIp, the sending pod.
   */
  allows(fromIp: number, toIp: number, toPort: number, proto = 'TCP', seenFrom = fromIp): boolean {
    if (!this.active) return true;
    const t = this.read();
    const from = seenFrom >>> 0;
    const to = toIp >>> 0;
    const src = t.pods.get(fromIp >>> 0);
    if (src?.eg && !src.eg.some((rules) => rules.some((r) => ruleMatches(t, r, to, to, toPort, proto)))) return false;
    const dst = t.pods.get(to);
    if (!dst?.in || from === 0 || from === dst.node) return true;
    return dst.in.some((rules) => rules.some((r) => ruleMatches(t, r, from, to, toPort, proto)));
  }
}

function ruleMatches(t: Compiled, r: CompiledRule, peer: number, dst: number, port: number, proto: string): boolean {
  if (r.ports && !r.ports.some((p) => portMatches(t, p, dst, port, proto))) return false;
  return !r.peers || r.peers.some((p) => peerMatches(p, peer));
}

function peerMatches(p: CompiledPeer, ip: number): boolean {
  if (p.pods) return p.pods.has(ip);
  if (!p.cidr || !inCidr(ip, p.cidr)) return false;
  return !p.except?.some((e) => inCidr(ip, e));
}

function portMatches(t: Compiled, p: PolicyPort, dst: number, port: number, proto: string): boolean {
  if (p.proto !== proto) return false;
  if (p.name !== undefined) return t.named[dst]?.[`${p.name}/${proto}`] === port;
  if (p.port === undefined) return true;
  return p.end !== undefined ? port >= p.port && port <= p.end : port === p.port;
}
