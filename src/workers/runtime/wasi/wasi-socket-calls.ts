import { type Blocked, blockingAccept, blockingRead, blockingWrite } from '../../../network/blocking';
import type { GuestMemory } from './guest-memory';
import { GuestSocket, type WasiNet } from './guest-socket';
import { installFd } from './process-table';
import { udpRecv, udpSend } from './wasi-udp-calls';
import { Errno, FdFlags, WasiError } from './wasi-constants';
import type { FdEntry } from './wasi-fd-calls';

/** The socket errnos of wasi_snapshot_preview1 (the same numbers wasi-libc's errno.h uses). */
export const SockErrno = {
  ADDRINUSE: 3,
  ADDRNOTAVAIL: 4,
  AFNOSUPPORT: 5,
  ALREADY: 7,
  CONNABORTED: 13,
  CONNREFUSED: 14,
  CONNRESET: 15,
  DESTADDRREQ: 17,
  INPROGRESS: 26,
  ISCONN: 30,
  NOBUFS: 42,
  NOTCONN: 53,
  NOPROTOOPT: 50,
  NOTSOCK: 57,
  PROTONOSUPPORT: 66,
  TIMEDOUT: 73,
} as const;

/** sock_recv ri_flags / sock_shutdown sdflags (preview1). */
const RECV_WAITALL = 2;
const SHUT_RD = 1;
const SHUT_WR = 2;

export interface SocketCallsContext {
  mem: GuestMemory;
  fds: Map<number, FdEntry>;
  net: WasiNet | undefined;
  /** The pod's hostname ($HOSTNAME), which resolves to the pod IP. */
  hostname?: string;
}

export function fail(errno: number): never {
  throw new WasiError(errno);
}

/** Blocking outcomes that are not data: a signal (EINTR) or a timeout (EAGAIN, as SO_RCVTIMEO gives). */
function blockedErrno(b: Blocked): number {
  return 'interrupted' in b ? Errno.INTR : Errno.AGAIN;
}

/**
 * Socket I/O on fds: used by fd_read/fd_write (via fdSocketIo) and by sock_recv/sock_send/sock_shutdown/
 * sock_accept and the `tabernetes_sock` module (socketCalls). Contracts (docs/sockets.md):
 * - blocking unless the fd has FDFLAGS_NONBLOCK (then EAGAIN); a blocked call returns EINTR on a signal;
 * - reads return 0 bytes at EOF; ECONNRESET once for a reset connection; writes to a closed peer EPIPE;
 * - ENOTSOCK for a non-socket fd, ENOTCONN for I/O on an unconnected socket;
 * - while a non-blocking connect is in progress reads and writes give EAGAIN; after it failed, the first
 *   read or write returns its error (SO_ERROR, cleared), then reads give EOF and writes EPIPE.
 */
export function socketIo(ctx: SocketCallsContext) {
  const { mem, fds } = ctx;
  const sock = (n: number): { e: FdEntry; s: GuestSocket } => {
    const e = fds.get(n);
    if (!e) return fail(Errno.BADF);
    if (!e.sock) return fail(SockErrno.NOTSOCK);
    return { e, s: e.sock };
  };
  const nonblock = (e: FdEntry) => (e.fdflags & FdFlags.NONBLOCK) !== 0;

  /** A stream socket's connection for I/O; fails as the contract above while it has none. */
  const connOf = (s: GuestSocket, write: boolean): NonNullable<GuestSocket['conn']> | 'eof' => {
    s.progressConnect();
    if (s.conn) return s.conn;
    if (s.connecting) return fail(Errno.AGAIN);
    if (!s.connectFailed) return fail(SockErrno.NOTCONN);
    const err = s.soError;
    s.soError = 0;
    if (err) fail(err);
    return write ? fail(Errno.PIPE) : 'eof';
  };

  /** Reads up to max bytes (a datagram socket: one datagram, truncated to max). */
  const recvBytes = (e: FdEntry, max: number, flags: number): Uint8Array => {
    const s = e.sock!;
    if (s.type === 'dgram') return udpRecv(s, nonblock(e)).data.subarray(0, max);
    const conn = connOf(s, false);
    if (conn === 'eof') return new Uint8Array(0);
    const total = max;
    if (total === 0) return new Uint8Array(0);
    const parts: Uint8Array[] = [];
    let got = 0;
    do {
      let r;
      if (nonblock(e)) {
        r = conn.tryRead(total - got);
        if ('again' in r) {
          if (got) break;
          fail(Errno.AGAIN);
        }
      } else r = blockingRead(conn, total - got, s.net.blocker);
      if ('data' in r!) {
        parts.push(r.data);
        got += r.data.length;
        continue;
      }
      if (got) break;
      if ('eof' in r!) break;
      if ('reset' in r!) fail(SockErrno.CONNRESET);
      fail(blockedErrno(r as Blocked));
    } while (flags & RECV_WAITALL && got < total);
    const all = new Uint8Array(got);
    let off = 0;
    for (const p of parts) (all.set(p, off), (off += p.length));
    return all;
  };

  const recv = (e: FdEntry, iovs: number, iovsLen: number, flags: number): number => {
    const total = mem.iovecs(iovs, iovsLen).reduce((n, [, len]) => n + len, 0);
    return mem.scatter(iovs, iovsLen, recvBytes(e, total, flags));
  };

  /** Writes data (a datagram socket: as one datagram to its peer); the count written. */
  const sendBytes = (e: FdEntry, data: Uint8Array): number => {
    const s = e.sock!;
    if (s.type === 'dgram') return udpSend(s, data);
    const conn = connOf(s, true) as NonNullable<GuestSocket['conn']>;
    if (nonblock(e)) {
      const r = conn.tryWrite(data);
      if ('pipe' in r) fail(Errno.PIPE);
      if ('again' in r) fail(Errno.AGAIN);
      return (r as { written: number }).written;
    }
    const r = blockingWrite(conn, data, s.net.blocker);
    if ('written' in r) return r.written;
    if ('pipe' in r) return fail(Errno.PIPE);
    return fail(blockedErrno(r));
  };

  const send = (e: FdEntry, iovs: number, iovsLen: number): number => sendBytes(e, mem.gather(iovs, iovsLen));

  const accept = (n: number, flags: number, fdOut: number): number => {
    const { e, s } = sock(n);
    if (s.listener === undefined) fail(Errno.INVAL);
    const { fabric, owner, blocker } = s.net;
    let c = fabric.accept(s.listener!, owner);
    if (!c) {
      if (nonblock(e)) fail(Errno.AGAIN);
      const r = blockingAccept(fabric, s.listener!, owner, blocker);
      if (r === null) fail(Errno.INVAL);
      if ('timeout' in r! || 'interrupted' in r!) fail(blockedErrno(r as Blocked));
      c = r as NonNullable<typeof c>;
    }
    const child = new GuestSocket(s.net, 'stream');
    child.conn = c;
    [child.ip, child.port] = c.local;
    const fd = nextFd(fds);
    installFd(fds, fd, { kind: 'socket', sock: child, pos: 0, fdflags: flags & FdFlags.NONBLOCK });
    mem.u32(fdOut, fd);
    return Errno.SUCCESS;
  };

  return { sock, recv, send, recvBytes, sendBytes, accept, nonblock };
}

export function nextFd(fds: Map<number, FdEntry>): number {
  let n = 3;
  while (fds.has(n)) n++;
  return n;
}

/** The preview1 sock_* calls. */
export function sockPreview1Calls(ctx: SocketCallsContext): Record<string, (...args: number[]) => number> {
  const io = socketIo(ctx);
  const { mem } = ctx;
  return {
    sock_accept: (fd, flags, fdOut) => io.accept(fd, flags, fdOut),
    sock_recv(fd, iovs, iovsLen, riFlags, roDatalen, roFlags) {
      const { e } = io.sock(fd);
      const n = io.recv(e, iovs, iovsLen, riFlags);
      mem.u32(roDatalen, n);
      mem.u16(roFlags, 0);
      return Errno.SUCCESS;
    },
    sock_send(fd, iovs, iovsLen, _siFlags, soDatalen) {
      const { e } = io.sock(fd);
      mem.u32(soDatalen, io.send(e, iovs, iovsLen));
      return Errno.SUCCESS;
    },
    sock_shutdown(fd, how) {
      const { s } = io.sock(fd);
      const conn = s.conn ?? fail(SockErrno.NOTCONN);
      if (!(how & (SHUT_RD | SHUT_WR))) fail(Errno.INVAL);
      conn.shutdown(how & SHUT_RD ? (how & SHUT_WR ? 'rw' : 'r') : 'w');
      return Errno.SUCCESS;
    },
  };
}
