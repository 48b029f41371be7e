import type { Blocker } from '../../../network/blocking';
import type { ConnEnd } from '../../../network/conn-end';
import type { NetworkFabric } from '../../../network/network-fabric';

/**
 * A process's view of the cluster network (WasiHostOptions.net). Containers of one pod share podIp, and
 * 127.0.0.0/8 maps to it (one network namespace per pod).
 */
export interface WasiNet {
  fabric: NetworkFabric;
  /** The pod's IP as a u32 (10.244.1.2 = 0x0af40102). */
  podIp: number;
  /** The process's owner id (NetworkFabric.newOwner); the launcher releases it when the process ends. */
  owner: number;
  /** Blocks the thread (Atomics.wait in the container Worker); interrupted by a pending signal. */
  blocker: Blocker;
  /** The clock blocker timeouts are measured on, in ms (cluster time in a container Worker). */
  now(): number;
  /**
   * Name resolution after numeric addresses, "localhost" and the pod's own hostname: an IPv4 as u32, or
   * undefined for an unknown name (the hook issue 8's cluster DNS backs).
   */
  resolve?(name: string): number | undefined;
  /**
   * One DNS query to the cluster DNS server (nslookup): rcode 0 (NOERROR) or 3 (NXDOMAIN) and the answer
   * section as `<type>\t<name>\t<data>` lines. Absent: no cluster DNS.
   */
  dnsQuery?(name: string, qtype: 'A' | 'AAAA' | 'CNAME' | 'SRV'): { rcode: number; answer: string };
  /** How long connect waits while the listener's backlog is full before ETIMEDOUT; default 20 s. */
  connectTimeoutMs?: number;
}

/**
 * A socket open description, shared by every fd that refers to it (dup, inherited by spawned children):
 * `refs` counts them (installFd/releaseFd), and the last release closes it — listener and connection both.
 */
export class GuestSocket {
  refs = 0;
  /** The bound (or, after connect, local) address; 0 until bound. */
  ip = 0;
  port = 0;
  /** Bound to 127.0.0.0/8: the listener is reachable only from its own pod. */
  loopbackOnly = false;
  listener: number | undefined;
  conn: ConnEnd | undefined;
  /** A datagram socket's slot in the fabric's UDP table once bound (explicitly, or by its first send). */
  udp: number | undefined;
  /** A datagram socket's default peer (connect): send goes there, and only its datagrams are received. */
  peer: [number, number] | undefined;
  closed = false;

  constructor(
    readonly net: WasiNet,
    readonly type: 'stream' | 'dgram',
  ) {}

  release(): void {
    if (--this.refs > 0 || this.closed) return;
    this.closed = true;
    if (this.listener !== undefined) this.net.fabric.closeListener(this.listener);
    if (this.udp !== undefined) this.net.fabric.udp?.close(this.udp);
    this.conn?.close();
  }

  /** poll's FD_READ readiness: a pending connection on a listener, data/EOF/reset on a connection, a queued datagram. */
  get readable(): boolean {
    if (this.type === 'dgram') return this.udp !== undefined && (this.net.fabric.udp?.nextLength(this.udp) ?? -1) >= 0;
    if (this.listener !== undefined) return this.net.fabric.pending(this.listener) > 0 || !this.net.fabric.listenerOpen(this.listener);
    return this.conn ? this.conn.readable : true;
  }

  /** Datagram sockets are always writable (a full receiver drops, it never blocks the sender). */
  get writable(): boolean {
    if (this.type === 'dgram') return true;
    return this.conn ? this.conn.writable : this.listener === undefined;
  }

  get nbytes(): number {
    if (this.type === 'dgram') return this.udp === undefined ? 0 : Math.max(0, this.net.fabric.udp?.nextLength(this.udp) ?? 0);
    return this.conn?.available ?? 0;
  }

  get hungUp(): boolean {
    return this.conn?.hungUp ?? false;
  }
}
