/**
 * The UDP socket table in the fabric's SharedArrayBuffer: bound datagram sockets, each with a bounded receive
 * queue of whole datagrams. Region layout at byte offset `base` (Int32 words, then the queues):
 *
 *   header   8 words: LOCK, SOCKETS, QBYTES (queue bytes per socket, a multiple of 4)
 *   socket   U_WORDS words each: STATE (1 bound), SEQ, OWNER, IP, PORT, FLAGS, HEAD, TAIL (byte positions,
 *            ever-increasing), DROPS (datagrams dropped because the queue was full), then the socket's one
 *            conntrack entry CT_VIP, CT_VPORT, CT_EIP, CT_EPORT (0: none; see track()), CT_SIP (the SNAT
 *            source the endpoint sees, 0: none; the port is kept), CT_EXP_HI/LO (expiry, ms on the cluster
 *            clock split in two words; 0: never), CT_REPLIED (a reply was seen: the stream timeout applies)
 *   queues   SOCKETS × QBYTES bytes: records [len u32, src ip u32, src port u32, payload padded to 4]
 *
 * Every change (bind, a queued datagram, a taken one, close) runs under LOCK, bumps the socket's SEQ and calls
 * the fabric's global notifier, so a blocked recvfrom waits on the socket's SEQ and poll on the global seq.
 * Message boundaries are kept; a datagram that does not fit in the queue's free space is dropped (counted in
 * DROPS), as a full socket receive buffer drops on Linux; one to an address nobody bound is dropped too.
 */
export const UDP_HEADER_WORDS = 8;
export const U_WORDS = 24;
const HW = { LOCK: 0, SOCKETS: 1, QBYTES: 2 } as const;
const U = { STATE: 0, SEQ: 1, OWNER: 2, IP: 3, PORT: 4, FLAGS: 5, HEAD: 6, TAIL: 7, DROPS: 8, CT_VIP: 9, CT_VPORT: 10, CT_EIP: 11, CT_EPORT: 12, CT_SIP: 13, CT_EXP_HI: 14, CT_EXP_LO: 15, CT_REPLIED: 16 } as const;
const CT_FIELDS = [U.CT_VIP, U.CT_VPORT, U.CT_EIP, U.CT_EPORT, U.CT_SIP, U.CT_EXP_HI, U.CT_EXP_LO, U.CT_REPLIED];
/** nf_conntrack's UDP timeouts (net.netfilter.nf_conntrack_udp_timeout / _udp_timeout_stream), which kube-proxy leaves at the kernel defaults. */
export const UDP_CT_UNREPLIED_MS = 30_000;
export const UDP_CT_REPLIED_MS = 120_000;
/** A conntrack entry: the Service address vIp:vPort, the endpoint eIp:ePort, the SNAT source sIp (0: none). */
export interface UdpFlow {
  vIp: number;
  vPort: number;
  eIp: number;
  ePort: number;
  sIp: number;
}
/** FLAGS bit: bound to 127.0.0.0/8, only its own pod's datagrams reach it. */
export const UF_LOOPBACK_ONLY = 1;
const REC = 12;

/** Bytes of the region for `sockets` sockets of `qBytes` queue each. */
export function udpTableBytes(sockets: number, qBytes: number): number {
  return (UDP_HEADER_WORDS + sockets * U_WORDS) * 4 + sockets * qBytes;
}

/** One received datagram and its source address. */
export interface Datagram {
  data: Uint8Array;
  ip: number;
  port: number;
}

export class UdpTable {
  readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  readonly sockets: number;
  readonly qBytes: number;
  private readonly qBase: number;

  /** A view of the region at byte offset base (4-aligned); init formats it. `notify` bumps the fabric's global seq. */
  constructor(buffer: SharedArrayBuffer, base: number, private readonly notify: () => void, init?: { sockets: number; qBytes: number }) {
    const head = new Int32Array(buffer, base, UDP_HEADER_WORDS);
    if (init) {
      head[HW.SOCKETS] = init.sockets;
      head[HW.QBYTES] = init.qBytes;
    }
    this.sockets = head[HW.SOCKETS];
    this.qBytes = head[HW.QBYTES];
    this.words = new Int32Array(buffer, base, UDP_HEADER_WORDS + this.sockets * U_WORDS);
    this.qBase = base + (UDP_HEADER_WORDS + this.sockets * U_WORDS) * 4;
    this.bytes = new Uint8Array(buffer);
  }

  /** The largest datagram a socket can queue. */
  get maxDatagram(): number {
    return this.qBytes - REC;
  }

  private w(s: number, f: number): number {
    return UDP_HEADER_WORDS + s * U_WORDS + f;
  }

  /** Word index (in `words`) of socket s's seq: a blocked receiver waits on it. */
  seqIndex(s: number): number {
    return this.w(s, U.SEQ);
  }

  private locked<T>(fn: () => T): T {
    while (Atomics.compareExchange(this.words, HW.LOCK, 0, 1) !== 0);
    try {
      return fn();
    } finally {
      Atomics.store(this.words, HW.LOCK, 0);
    }
  }

  private bump(s: number): void {
    Atomics.add(this.words, this.w(s, U.SEQ), 1);
    Atomics.notify(this.words, this.w(s, U.SEQ));
    this.notify();
  }

  private find(ip: number, port: number): number {
    for (let s = 0; s < this.sockets; s++) {
      if (Atomics.load(this.words, this.w(s, U.STATE)) === 1 && this.words[this.w(s, U.IP)] >>> 0 === ip >>> 0 && this.words[this.w(s, U.PORT)] === port) return s;
    }
    return -1;
  }

  inUse(ip: number, port: number): boolean {
    return this.find(ip, port) >= 0;
  }

  /** The socket bound at ip:port, or -1. */
  socketAt(ip: number, port: number): number {
    return this.find(ip, port);
  }

  /**
   * Records socket s's Service flow (conntrack for UDP, one entry per socket, replaced by the next flow to
   * another Service address): datagrams from the endpoint eIp:ePort to s (or to its SNAT address sIp:port of
   * s) are delivered as from vIp:vPort (the reverse NAT, so a connected socket accepts the reply), and
   * tracked(s) lets the sender keep the endpoint for later datagrams of the same flow. Each datagram of the
   * flow (either way) refreshes the entry: it expires UDP_CT_UNREPLIED_MS after the last one while unreplied,
   * UDP_CT_REPLIED_MS once the endpoint replied (`now` in ms on the cluster clock; without it, never).
   */
  track(s: number, flow: UdpFlow, now?: number): void {
    this.locked(() => {
      const same = this.liveFlow(s, now);
      const replied = same !== undefined && same.vIp === flow.vIp >>> 0 && same.vPort === flow.vPort && same.eIp === flow.eIp >>> 0 && same.ePort === flow.ePort && this.words[this.w(s, U.CT_REPLIED)] === 1;
      this.words[this.w(s, U.CT_VIP)] = flow.vIp | 0;
      this.words[this.w(s, U.CT_VPORT)] = flow.vPort;
      this.words[this.w(s, U.CT_EIP)] = flow.eIp | 0;
      this.words[this.w(s, U.CT_EPORT)] = flow.ePort;
      this.words[this.w(s, U.CT_SIP)] = flow.sIp | 0;
      this.words[this.w(s, U.CT_REPLIED)] = replied ? 1 : 0;
      this.setExpiry(s, now, replied);
    });
  }

  /** Socket s's live conntrack entry, undefined when none or expired at `now`. */
  tracked(s: number, now?: number): UdpFlow | undefined {
    return this.locked(() => this.liveFlow(s, now));
  }

  private setExpiry(s: number, now: number | undefined, replied: boolean): void {
    const at = now === undefined ? 0 : now + (replied ? UDP_CT_REPLIED_MS : UDP_CT_UNREPLIED_MS);
    this.words[this.w(s, U.CT_EXP_HI)] = Math.floor(at / 2 ** 32);
    this.words[this.w(s, U.CT_EXP_LO)] = at >>> 0;
  }

  /** Under the lock: the entry, cleared (and undefined) once expired. */
  private liveFlow(s: number, now: number | undefined): UdpFlow | undefined {
    const vPort = this.words[this.w(s, U.CT_VPORT)];
    if (!vPort) return undefined;
    const exp = (this.words[this.w(s, U.CT_EXP_HI)] >>> 0) * 2 ** 32 + (this.words[this.w(s, U.CT_EXP_LO)] >>> 0);
    if (exp !== 0 && now !== undefined && now >= exp) {
      for (const f of CT_FIELDS) this.words[this.w(s, f)] = 0;
      return undefined;
    }
    return { vIp: this.words[this.w(s, U.CT_VIP)] >>> 0, vPort, eIp: this.words[this.w(s, U.CT_EIP)] >>> 0, ePort: this.words[this.w(s, U.CT_EPORT)], sIp: this.words[this.w(s, U.CT_SIP)] >>> 0 };
  }

  /**
   * The socket whose live flow a datagram from `from` to toIp:toPort answers (conntrack's reply direction): the
   * socket bound there tracking `from` as its endpoint, or the socket whose SNAT address that is; else -1.
   */
  replyTarget(toIp: number, toPort: number, from: { ip: number; port: number }, now?: number): number {
    return this.locked(() => this.replyTargetLocked(toIp, toPort, from, now));
  }

  private replyTargetLocked(toIp: number, toPort: number, from: { ip: number; port: number }, now: number | undefined): number {
    const answers = (s: number) => {
      const f = this.liveFlow(s, now);
      return f !== undefined && f.eIp === from.ip >>> 0 && f.ePort === from.port ? f : undefined;
    };
    const bound = this.find(toIp, toPort);
    if (bound >= 0 && answers(bound)) return bound;
    for (let s = 0; s < this.sockets; s++) {
      if (Atomics.load(this.words, this.w(s, U.STATE)) !== 1 || this.words[this.w(s, U.PORT)] !== toPort) continue;
      const f = answers(s);
      if (f && f.sIp !== 0 && f.sIp === toIp >>> 0) return s;
    }
    return -1;
  }

  /** Binds a socket to ip:port (the caller picks ephemeral ports); EADDRINUSE when taken, ENOBUFS when the table is full. */
  bind(owner: number, ip: number, port: number, loopbackOnly = false): number | 'EADDRINUSE' | 'ENOBUFS' {
    return this.locked(() => {
      if (this.find(ip, port) >= 0) return 'EADDRINUSE';
      for (let s = 0; s < this.sockets; s++) {
        if (this.words[this.w(s, U.STATE)] !== 0) continue;
        this.words[this.w(s, U.OWNER)] = owner;
        this.words[this.w(s, U.IP)] = ip | 0;
        this.words[this.w(s, U.PORT)] = port;
        this.words[this.w(s, U.FLAGS)] = loopbackOnly ? UF_LOOPBACK_ONLY : 0;
        this.words[this.w(s, U.HEAD)] = 0;
        this.words[this.w(s, U.TAIL)] = 0;
        this.words[this.w(s, U.DROPS)] = 0;
        for (const f of CT_FIELDS) this.words[this.w(s, f)] = 0;
        Atomics.store(this.words, this.w(s, U.STATE), 1);
        this.bump(s);
        return s;
      }
      return 'ENOBUFS';
    });
  }

  close(s: number): void {
    this.locked(() => {
      if (this.words[this.w(s, U.STATE)] !== 1) return;
      Atomics.store(this.words, this.w(s, U.STATE), 0);
      this.bump(s);
    });
  }

  /** Closes every socket of a process (NetworkFabric.releaseOwner). */
  releaseOwner(owner: number): void {
    for (let s = 0; s < this.sockets; s++) if (Atomics.load(this.words, this.w(s, U.STATE)) === 1 && this.words[this.w(s, U.OWNER)] === owner) this.close(s);
  }

  private copyIn(s: number, pos: number, src: Uint8Array): void {
    const base = this.qBase + s * this.qBytes;
    for (let i = 0; i < src.length; i++) this.bytes[base + ((pos + i) % this.qBytes)] = src[i];
  }

  private copyOut(s: number, pos: number, n: number): Uint8Array {
    const base = this.qBase + s * this.qBytes;
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.bytes[base + ((pos + i) % this.qBytes)];
    return out;
  }

  /**
   * Queues a datagram from `from` to the socket bound at toIp:toPort: 'queued'; 'dropped' when its queue lacks
   * room (DROPS counts it); 'unreachable' when nobody is bound there, or only a loopback-bound socket and the
   * datagram is not from its own pod (`loopback`). Senders treat all three as sent (UDP is lossy). A datagram
   * answering a socket's live conntrack entry (replyTarget: from its endpoint, to it or to its SNAT address) is
   * queued to that socket as from the entry's Service address, and marks the flow replied (stream timeout).
   * `now` (ms, cluster clock): conntrack expiry; without it entries never expire.
   */
  deliver(toIp: number, toPort: number, from: { ip: number; port: number }, data: Uint8Array, loopback = false, now?: number): 'queued' | 'dropped' | 'unreachable' {
    return this.locked(() => {
      const r = loopback ? -1 : this.replyTargetLocked(toIp, toPort, from, now);
      const s = r >= 0 ? r : this.find(toIp, toPort);
      if (s < 0 || ((this.words[this.w(s, U.FLAGS)] & UF_LOOPBACK_ONLY) !== 0 && !loopback)) return 'unreachable';
      if (r >= 0) {
        from = { ip: this.words[this.w(s, U.CT_VIP)] >>> 0, port: this.words[this.w(s, U.CT_VPORT)] };
        this.words[this.w(s, U.CT_REPLIED)] = 1;
        if (now !== undefined) this.setExpiry(s, now, true);
      }
      const head = this.words[this.w(s, U.HEAD)];
      const tail = this.words[this.w(s, U.TAIL)];
      const need = REC + Math.ceil(data.length / 4) * 4;
      if (tail - head + need > this.qBytes) {
        this.words[this.w(s, U.DROPS)]++;
        return 'dropped';
      }
      const rec = new Uint8Array(REC);
      const dv = new DataView(rec.buffer);
      dv.setUint32(0, data.length, true);
      dv.setUint32(4, from.ip >>> 0, true);
      dv.setUint32(8, from.port, true);
      this.copyIn(s, tail, rec);
      this.copyIn(s, tail + REC, data);
      Atomics.store(this.words, this.w(s, U.TAIL), tail + need);
      this.bump(s);
      return 'queued';
    });
  }

  /** Takes the oldest queued datagram of socket s, or null when none is queued. */
  receive(s: number): Datagram | null {
    return this.locked(() => {
      const head = this.words[this.w(s, U.HEAD)];
      if (this.words[this.w(s, U.TAIL)] === head) return null;
      const dv = new DataView(this.copyOut(s, head, REC).buffer);
      const len = dv.getUint32(0, true);
      const d = { data: this.copyOut(s, head + REC, len), ip: dv.getUint32(4, true), port: dv.getUint32(8, true) };
      Atomics.store(this.words, this.w(s, U.HEAD), head + REC + Math.ceil(len / 4) * 4);
      this.bump(s);
      return d;
    });
  }

  /** Bytes of the next queued datagram's payload, or -1 when none is queued (poll's nbytes, FIONREAD). */
  nextLength(s: number): number {
    return this.locked(() => {
      const head = this.words[this.w(s, U.HEAD)];
      if (this.words[this.w(s, U.TAIL)] === head) return -1;
      return new DataView(this.copyOut(s, head, 4).buffer).getUint32(0, true);
    });
  }

  /** Datagrams dropped at socket s because its queue was full. */
  drops(s: number): number {
    return Atomics.load(this.words, this.w(s, U.DROPS));
  }

  /** Bound sockets (for tests and stats). */
  inUseCount(): number {
    let n = 0;
    for (let s = 0; s < this.sockets; s++) if (Atomics.load(this.words, this.w(s, U.STATE)) === 1) n++;
    return n;
  }
}
