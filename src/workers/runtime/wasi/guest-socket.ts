import type { Blocker } from '../../../network/blocking';
import type { ConnEnd } from '../../../network/conn-end';
import type { ConnectRequest, NetworkFabric } from '../../../network/network-fabric';

/** Errnos a non-blocking connect can end with (preview1 numbers, as SockErrno). */
const CONNREFUSED = 14;
const NOBUFS = 42;
const TIMEDOUT = 73;

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
  /**
   * A non-blocking connect in progress (connect gave EINPROGRESS): progressConnect() retries it while the
   * listener's backlog is full or a NetworkPolicy drops the SYN, until it connects, is refused or passes
   * its deadline (ms on net.now()).
   */
  connecting: { req: ConnectRequest; deadline: number } | undefined;
  /** SO_ERROR: how the last non-blocking connect failed (0: it did not); getsockopt reads and clears it. */
  soError = 0;
  /**
   * The non-blocking connect failed: the socket is readable (EOF) and writable (EPIPE), as Linux's (which adds
   * POLLERR|POLLHUP; wasi-libc's poll would turn a hangup on FD_WRITE into POLLHUP without POLLOUT).
   */
  connectFailed = false;
  /** connect() has not yet been told how the non-blocking connect ended (it answers once: 0 or the error). */
  connectedAsync = false;
  connectUnreported = false;

  constructor(
    readonly net: WasiNet,
    readonly type: 'stream' | 'dgram',
  ) {}

  /** Advances a non-blocking connect (see connecting); a no-op otherwise. */
  progressConnect(): void {
    const c = this.connecting;
    if (!c) return;
    const now = this.net.now();
    const r = this.net.fabric.connect({ ...c.req, now });
    if (r === 'ECONNREFUSED') return this.failConnect(CONNREFUSED);
    if (typeof r === 'string') return this.failConnect(NOBUFS);
    if ('full' in r || 'dropped' in r) return void (now >= c.deadline && this.failConnect(TIMEDOUT));
    this.connecting = undefined;
    this.connectedAsync = true;
    this.conn = r;
    [this.ip, this.port] = r.local;
  }

  private failConnect(errno: number): void {
    this.connecting = undefined;
    this.connectFailed = true;
    this.connectUnreported = true;
    this.soError = errno;
  }

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
    this.progressConnect();
    if (this.connecting) return false;
    return this.conn ? this.conn.readable : true;
  }

  /** Datagram sockets are always writable (a full receiver drops, it never blocks the sender). */
  get writable(): boolean {
    if (this.type === 'dgram') return true;
    this.progressConnect();
    if (this.connecting) return false;
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
