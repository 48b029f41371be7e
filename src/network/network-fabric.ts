import { ConnEnd } from './conn-end';
import { PolicyTable } from './policy-table';
import { ServiceTable } from './service-table';
import { CLUSTER_DNS_IP, DNS_PORT } from './dns-wire';
import { formatFabric } from './format-fabric';
import { openConnection } from './open-connection';
import { sendDatagram } from './send-datagram';
import { UdpTable } from './udp-table';
import { D, EPHEMERAL_FIRST, EPHEMERAL_LAST, type FabricSizes, H, H_WORDS, L, L_WORDS, LF_LOOPBACK_ONLY, MAGIC, MAX_BACKLOG, S, S_WORDS } from './fabric-layout';

/** Errors of fabric operations, named like the errno the socket ABI returns for them. */
export type NetErrno = 'EADDRINUSE' | 'ECONNREFUSED' | 'ENOBUFS' | 'EAGAIN';

export interface ConnectRequest {
  /** The connecting process (see newOwner); its end is closed by releaseOwner. */
  owner: number;
  /** Source address: the pod's IP (or the node's for a kubelet dial) and a port (0: an ephemeral one). */
  fromIp: number;
  fromPort?: number;
  toIp: number;
  toPort: number;
  /** The connection comes from the listener's own pod over 127.0.0.1 (reaches loopback-only listeners). */
  loopback?: boolean;
  /** The caller's clock in ms (sessionAffinity ClientIP timeouts of Service rules). */
  now?: number;
}

/** After this many failed lock attempts the holder is taken to have died (a terminated Worker) and the lock is taken over. */
const LOCK_SPINS = 1 << 24;

/**
 * One cluster's in-memory TCP network in a SharedArrayBuffer (layout: fabric-layout.ts). Any thread holding
 * the buffer makes a NetworkFabric view of it (`new NetworkFabric(buffer)`); created once per cluster with
 * NetworkFabric.create. Table changes (listen, connect, accept, close) take a short spin lock; data moves
 * lock-free through per-direction single-producer single-consumer rings (ConnEnd), Worker to Worker.
 * Nothing here blocks: blocking and async waits are built on `words` (see blocking.ts and dial-tcp.ts).
 */
export class NetworkFabric {
  readonly words: Int32Array;
  readonly bytes: Uint8Array;
  readonly slots: number;
  readonly ringBytes: number;
  readonly listeners: number;
  private readonly slotBase: number;
  private readonly ringBase: number;
  /** The Service rules and DNS records (kube-proxy); connect() routes Service addresses through it. */
  readonly services: ServiceTable | undefined;
  /** The NetworkPolicy table (kube-proxy); connect() drops what it denies. */
  readonly policies: PolicyTable | undefined;
  /** Bound UDP sockets and their datagram queues (sendUdp). */
  readonly udp: UdpTable | undefined;

  /** A fresh fabric (format-fabric.ts: sizes and defaults). */
  static create(sizes: FabricSizes = {}): NetworkFabric {
    return new NetworkFabric(formatFabric(sizes));
  }

  constructor(readonly buffer: SharedArrayBuffer) {
    const head = new Int32Array(buffer, 0, H_WORDS);
    if (head[H.MAGIC] !== MAGIC) throw new Error('not a network fabric buffer');
    this.slots = head[H.SLOTS];
    this.ringBytes = head[H.RING];
    this.listeners = head[H.LISTENERS];
    this.slotBase = H_WORDS + this.listeners * L_WORDS;
    this.ringBase = (this.slotBase + this.slots * S_WORDS) * 4;
    this.words = new Int32Array(buffer, 0, this.ringBase / 4);
    this.bytes = new Uint8Array(buffer);
    this.services = head[H.SERVICES] ? new ServiceTable(buffer, head[H.SERVICES]) : undefined;
    this.policies = head[H.POLICIES] ? new PolicyTable(buffer, head[H.POLICIES]) : undefined;
    this.udp = head[H.UDP] ? new UdpTable(buffer, head[H.UDP], () => this.bumpGlobal()) : undefined;
  }

  private bumpGlobal(): void {
    Atomics.add(this.words, H.SEQ, 1);
    Atomics.notify(this.words, H.SEQ);
  }

  /**
   * Sends one datagram (UDP). To kube-dns (10.96.0.10:53) it is answered at once from the Service table's DNS
   * records, the reply queued to the sender's own socket from 10.96.0.10:53 (no DNS pod needed); otherwise it is
   * queued to the socket bound at toIp:toPort. A UDP Service address (ClusterIP, node IP + nodePort,
   * LoadBalancer IP) is first DNATed as connect() does for TCP (ServiceTable.route with 'UDP': random endpoint,
   * sessionAffinity ClientIP, traffic policy Local), and kept for the sender socket's later datagrams to that
   * address while the endpoint stays ready (conntrack, UdpTable.track: the sender socket's last flow), whose
   * replies arrive from the Service address. A Service without endpoints, or traffic policy Local without a local one: 'unreachable' / 'dropped'.
   * NetworkPolicy applies to UDP as to TCP (after DNAT; never to loopback), to kube-dns too (egress of the
   * sender to 10.96.0.10:53/UDP, a peer that kube-system pods labelled k8s-app=kube-dns select): a denied
   * datagram is 'dropped', so a DNS query times out as under Calico; a reply to the receiving socket's tracked
   * flow is always allowed (conntrack ESTABLISHED).
   * Lost silently when nobody is bound there or its queue is full (the result says which, for tests);
   * 'EMSGSIZE' when data exceeds the largest datagram a queue holds. `now` (ms, cluster clock): sessionAffinity and
   * conntrack expiry (30 s after the last datagram unreplied, 120 s replied). SNAT as connect() (masquerade.ts).
   */
  sendUdp(from: { ip: number; port: number }, toIp: number, toPort: number, data: Uint8Array, loopback = false, now?: number): 'queued' | 'dropped' | 'unreachable' | 'EMSGSIZE' {
    return sendDatagram(this, from, toIp, toPort, data, loopback, now);
  }

  /**
   * Whether a DNS lookup from fromIp may reach kube-dns under NetworkPolicy (egress to 10.96.0.10:53/UDP): for
   * in-process resolvers (getaddrinfo) that answer from the table without sending a packet.
   */
  dnsAllowed(fromIp: number): boolean {
    const pol = this.policies;
    return pol === undefined || !pol.active || pol.allows(fromIp, CLUSTER_DNS_IP, DNS_PORT, 'UDP');
  }

  /** A fresh owner id for one process: every socket it opens is tagged with it (releaseOwner). */
  newOwner(): number {
    return Atomics.add(this.words, H.NEXT_OWNER, 1);
  }

  /** The global seq word index: bumped by every state change anywhere (poll over many sockets waits on it). */
  get globalSeq(): number {
    return H.SEQ;
  }

  /** Word index of listener l's seq (accept waits on it). */
  listenerSeq(l: number): number {
    return H_WORDS + l * L_WORDS + L.SEQ;
  }

  /** Word index of a slot's field. */
  slotWord(slot: number, field: number): number {
    return this.slotBase + slot * S_WORDS + field;
  }

  /** Byte offset of a slot direction's ring. */
  ringOffset(slot: number, dir: number): number {
    return this.ringBase + (slot * 2 + dir) * this.ringBytes;
  }

  /** Bumps and notifies a seq word and the global one. */
  bump(index: number): void {
    Atomics.add(this.words, index, 1);
    Atomics.notify(this.words, index);
    Atomics.add(this.words, H.SEQ, 1);
    Atomics.notify(this.words, H.SEQ);
  }

  locked<T>(fn: () => T): T {
    let spins = 0;
    while (Atomics.compareExchange(this.words, H.LOCK, 0, 1) !== 0) {
      if (++spins > LOCK_SPINS) break;
    }
    try {
      return fn();
    } finally {
      Atomics.store(this.words, H.LOCK, 0);
    }
  }

  /** Word index of listener l's field f (open-connection.ts). */
  lw(l: number, f: number): number {
    return H_WORDS + l * L_WORDS + f;
  }

  /** The open listener at ip:port, or -1. */
  findListener(ip: number, port: number): number {
    const w = this.words;
    for (let l = 0; l < this.listeners; l++) {
      if (Atomics.load(w, this.lw(l, L.STATE)) === 1 && w[this.lw(l, L.IP)] >>> 0 === ip >>> 0 && w[this.lw(l, L.PORT)] === port) return l;
    }
    return -1;
  }

  /** True when some listener holds ip:port. */
  inUse(ip: number, port: number): boolean {
    return this.findListener(ip, port) >= 0;
  }

  /** The next free ephemeral port (wrapping within 32768–60999); not reserved until listened on. */
  ephemeralPort(ip: number): number {
    for (let i = 0; i <= EPHEMERAL_LAST - EPHEMERAL_FIRST; i++) {
      let p = Atomics.add(this.words, H.NEXT_PORT, 1);
      if (p > EPHEMERAL_LAST) {
        Atomics.compareExchange(this.words, H.NEXT_PORT, p + 1, EPHEMERAL_FIRST);
        p = EPHEMERAL_FIRST + ((p - EPHEMERAL_FIRST) % (EPHEMERAL_LAST - EPHEMERAL_FIRST + 1));
      }
      if (!this.inUse(ip, p)) return p;
    }
    return 0;
  }

  /** Registers a listener on ip:port; EADDRINUSE when taken, ENOBUFS when the table is full. */
  listen(owner: number, ip: number, port: number, opts: { backlog?: number; loopbackOnly?: boolean } = {}): number | NetErrno {
    return this.locked(() => {
      if (this.findListener(ip, port) >= 0) return 'EADDRINUSE';
      const w = this.words;
      for (let l = 0; l < this.listeners; l++) {
        if (w[this.lw(l, L.STATE)] !== 0) continue;
        w[this.lw(l, L.OWNER)] = owner;
        w[this.lw(l, L.IP)] = ip | 0;
        w[this.lw(l, L.PORT)] = port;
        w[this.lw(l, L.FLAGS)] = opts.loopbackOnly ? LF_LOOPBACK_ONLY : 0;
        w[this.lw(l, L.HEAD)] = 0;
        w[this.lw(l, L.TAIL)] = 0;
        w[this.lw(l, L.BACKLOG)] = Math.max(1, Math.min(MAX_BACKLOG, opts.backlog ?? MAX_BACKLOG));
        Atomics.store(w, this.lw(l, L.STATE), 1);
        this.bump(this.lw(l, L.SEQ));
        return l;
      }
      return 'ENOBUFS';
    });
  }

  /** Pending connections of listener l. */
  pending(l: number): number {
    return Atomics.load(this.words, this.lw(l, L.TAIL)) - Atomics.load(this.words, this.lw(l, L.HEAD));
  }

  listenerOpen(l: number): boolean {
    return Atomics.load(this.words, this.lw(l, L.STATE)) === 1;
  }

  /**
   * Opens a connection to a listener and queues it for accept. The client end is usable at once (writes are
   * buffered until the server reads), as after a TCP handshake. ECONNREFUSED: nobody listens there;
   * EAGAIN: the backlog is full (a blocking caller waits on listenerSeq and retries, then times out);
   * ENOBUFS: no free connection slot. A Service address (ClusterIP, node IP + nodePort, LoadBalancer IP) is
   * first translated to one of its ready endpoints (ServiceTable.route); one without endpoints is refused.
   * The client end's remote address stays the Service address (as conntrack shows it). A traffic policy Local
   * without a local endpoint for this client drops the SYN ({ dropped }, as below).
   * { dropped }: a NetworkPolicy denies the connection to its final (post-DNAT) address, checked only when
   * some policy isolates a pod; the SYN is dropped silently, so a blocking caller retries whenever the
   * policy table changes (wait on policies.words[0]) and times out (ETIMEDOUT), never ECONNREFUSED.
   * Loopback connections inside a pod are never subject to policy.
   * SNAT as kube-proxy's iptables mode (masquerade.ts): externalTrafficPolicy Cluster NodePort / LoadBalancer
   * traffic and hairpin connections reach the server from the masquerade address (its end's `remote`).
   */
  connect(req: ConnectRequest): ConnEnd | NetErrno | { full: number } | { dropped: true } {
    return openConnection(this, req);
  }

  /** Takes the oldest pending connection of listener l (its server end, owned by owner), or null. */
  accept(l: number, owner: number): ConnEnd | null {
    return this.locked(() => {
      const w = this.words;
      if (this.pending(l) <= 0) return null;
      const head = w[this.lw(l, L.HEAD)];
      const slot = w[this.lw(l, L.QUEUE + (head % MAX_BACKLOG))];
      Atomics.store(w, this.lw(l, L.HEAD), head + 1);
      w[this.slotWord(slot, S.OWNER + 1)] = owner;
      this.bump(this.lw(l, L.SEQ));
      return new ConnEnd(this, slot, 1);
    });
  }

  /** Closes listener l; connections still queued are reset (their clients read ECONNRESET). */
  closeListener(l: number): void {
    this.locked(() => {
      const w = this.words;
      if (w[this.lw(l, L.STATE)] !== 1) return;
      while (this.pending(l) > 0) {
        const head = w[this.lw(l, L.HEAD)];
        const slot = w[this.lw(l, L.QUEUE + (head % MAX_BACKLOG))];
        w[this.lw(l, L.HEAD)] = head + 1;
        Atomics.or(w, this.slotWord(slot, S.FLAGS), 1 << 0);
        this.closeEndLocked(slot, 1);
      }
      Atomics.store(w, this.lw(l, L.STATE), 0);
      this.bump(this.lw(l, L.SEQ));
    });
  }

  /** Closes one end of a connection (FIN to the peer; the peer's writes then fail EPIPE); frees the slot when both are closed. */
  closeEnd(slot: number, side: 0 | 1): void {
    this.locked(() => this.closeEndLocked(slot, side));
  }

  private closeEndLocked(slot: number, side: 0 | 1): void {
    const w = this.words;
    if (w[this.slotWord(slot, S.OPEN + side)] === 0) return;
    w[this.slotWord(slot, S.OPEN + side)] = 0;
    Atomics.store(w, this.slotWord(slot, S.DIR + side * 4 + D.WSHUT), 1);
    Atomics.store(w, this.slotWord(slot, S.DIR + (1 - side) * 4 + D.RGONE), 1);
    if (w[this.slotWord(slot, S.OPEN + 1 - side)] === 0) Atomics.store(w, this.slotWord(slot, S.STATE), 0);
    this.bump(this.slotWord(slot, S.SEQ));
  }

  /**
   * Closes everything a process owned: its listeners and its open connection ends. Called by the launcher
   * when a process exits or its Worker is terminated, so peers see EOF instead of hanging.
   */
  releaseOwner(owner: number): void {
    this.udp?.releaseOwner(owner);
    const w = this.words;
    for (let l = 0; l < this.listeners; l++) {
      if (Atomics.load(w, this.lw(l, L.STATE)) === 1 && w[this.lw(l, L.OWNER)] === owner) this.closeListener(l);
    }
    for (let s = 0; s < this.slots; s++) {
      if (Atomics.load(w, this.slotWord(s, S.STATE)) !== 1) continue;
      for (const side of [0, 1] as const) {
        if (w[this.slotWord(s, S.OWNER + side)] === owner && w[this.slotWord(s, S.OPEN + side)] === 1) this.closeEnd(s, side);
      }
    }
  }

  /** Connection slots in use (for tests and stats). */
  slotsInUse(): number {
    let n = 0;
    for (let s = 0; s < this.slots; s++) if (Atomics.load(this.words, this.slotWord(s, S.STATE)) === 1) n++;
    return n;
  }
}
