import type { Datagram } from '../../../network/udp-table';
import { isLoopback } from '../../../network/ipv4';
import type { GuestSocket } from './guest-socket';
import { Errno, WasiError } from './wasi-constants';

/** errnos only datagram sockets use (preview1 numbering). */
const DESTADDRREQ = 17;
const MSGSIZE = 35;
const ADDRINUSE = 3;
const ADDRNOTAVAIL = 4;
const NOBUFS = 42;
const AFNOSUPPORT = 5;

function fail(errno: number): never {
  throw new WasiError(errno);
}

/**
 * UDP on a GuestSocket of type 'dgram' (docs/sockets.md, UDP). Addresses: 0.0.0.0 and 127.x bind to the pod
 * IP (127.x: reachable only from the pod itself), any other address but the pod IP is EADDRNOTAVAIL.
 * An unbound socket binds an ephemeral port on its first send (or recv). Errors: EADDRINUSE, ENOBUFS (UDP
 * table full), EMSGSIZE (larger than a receive queue), EDESTADDRREQ (send without address on an unconnected
 * socket), EAGAIN (non-blocking, nothing queued), EINTR (a signal during a blocking recv).
 */
export function udpBind(s: GuestSocket, ip: number, port: number): void {
  const n = s.net;
  const udp = n.fabric.udp ?? fail(AFNOSUPPORT);
  const u = ip >>> 0;
  if (s.udp !== undefined) fail(Errno.INVAL);
  if (u !== 0 && !isLoopback(u) && u !== n.podIp) fail(ADDRNOTAVAIL);
  let p = port;
  if (!p) {
    for (let i = 0; i < 64 && (!p || udp.inUse(n.podIp, p)); i++) p = n.fabric.ephemeralPort(n.podIp);
  }
  const r = udp.bind(n.owner, n.podIp, p, isLoopback(u));
  if (r === 'EADDRINUSE') fail(ADDRINUSE);
  if (r === 'ENOBUFS') fail(NOBUFS);
  s.udp = r;
  s.ip = n.podIp;
  s.port = p;
  s.loopbackOnly = isLoopback(u);
}

/** Sends one datagram to ip:port (or the connected peer when `to` is absent); returns data.length. */
export function udpSend(s: GuestSocket, data: Uint8Array, to?: [number, number]): number {
  const dest = to ?? s.peer ?? fail(DESTADDRREQ);
  if (s.udp === undefined) udpBind(s, 0, 0);
  const n = s.net;
  const u = dest[0] >>> 0;
  const local = isLoopback(u) || u === 0 || u === n.podIp;
  const r = n.fabric.sendUdp({ ip: n.podIp, port: s.port }, local ? n.podIp : u, dest[1], data, local, n.now());
  if (r === 'EMSGSIZE') fail(MSGSIZE);
  return data.length;
}

/**
 * Receives one datagram (the whole of it: the caller truncates to its buffer, the rest is discarded as in
 * recv(2)). A connected socket discards datagrams from anyone but its peer. Non-blocking: EAGAIN when none.
 */
export function udpRecv(s: GuestSocket, nonblock: boolean): Datagram {
  if (s.udp === undefined) udpBind(s, 0, 0);
  const udp = s.net.fabric.udp!;
  const slot = s.udp!;
  for (;;) {
    const seq = Atomics.load(udp.words, udp.seqIndex(slot));
    const d = udp.receive(slot);
    if (d) {
      if (s.peer && (d.ip !== s.peer[0] >>> 0 || d.port !== s.peer[1])) continue;
      return d;
    }
    if (nonblock) fail(Errno.AGAIN);
    const r = s.net.blocker.wait(udp.words, udp.seqIndex(slot), seq, Infinity);
    if (r === 'interrupted') fail(Errno.INTR);
  }
}

/** connect(2) on a datagram socket: sets (or with port 0 and ip 0, clears) the default peer; binds if unbound. */
export function udpConnect(s: GuestSocket, ip: number, port: number): void {
  if (ip === 0 && port === 0) {
    s.peer = undefined;
    return;
  }
  if (s.udp === undefined) udpBind(s, 0, 0);
  const u = ip >>> 0;
  s.peer = [isLoopback(u) || u === 0 ? s.net.podIp : u, port];
}
