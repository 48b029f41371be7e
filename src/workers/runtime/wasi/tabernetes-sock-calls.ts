import { blockingConnect } from '../../../network/blocking';
import { isLoopback, LOOPBACK, parseIpv4 } from '../../../network/ipv4';
import { GuestSocket, type WasiNet } from './guest-socket';
import { installFd } from './process-table';
import { Errno, FdFlags } from './wasi-constants';
import { fail, nextFd, type SocketCallsContext, SockErrno, socketIo } from './wasi-socket-calls';
import { udpBind, udpConnect, udpRecv, udpSend } from './wasi-udp-calls';

/** tabernetes_sock.socket arguments (wasi-libc's values: AF_INET 1, SOCK_DGRAM 5, SOCK_STREAM 6, SOCK_NONBLOCK 0x4000). */
const AF_INET = 1;
const SOCK_DGRAM = 5;
const SOCK_STREAM = 6;
const SOCK_NONBLOCK = 0x4000;
/** getsockopt names (wasi-libc's, as Linux's). */
const SO_TYPE = 3;
const SO_ERROR = 4;

/** The `tabernetes_sock` import module (signatures in docs/sockets.md and images/include/tabernetes_socket.h). */
export function tabernetesSockCalls(ctx: SocketCallsContext): Record<string, (...args: number[]) => number> {
  const io = socketIo(ctx);
  const { mem, fds } = ctx;
  const net = (): WasiNet => ctx.net ?? fail(SockErrno.AFNOSUPPORT);
  /** 127.x and 0.0.0.0 are the pod itself; anything else must be the pod IP to bind. */
  const localIp = (n: WasiNet, ip: number) => (isLoopback(ip) || ip === 0 ? n.podIp : ip);
  return {
    socket(af, type, fdOut) {
      const n = net();
      if (af !== AF_INET) fail(SockErrno.AFNOSUPPORT);
      const kind = type & ~(SOCK_NONBLOCK | 0x2000);
      if (kind !== SOCK_STREAM && (kind !== SOCK_DGRAM || !n.fabric.udp)) fail(SockErrno.PROTONOSUPPORT);
      const fd = nextFd(fds);
      installFd(fds, fd, { kind: 'socket', sock: new GuestSocket(n, kind === SOCK_DGRAM ? 'dgram' : 'stream'), pos: 0, fdflags: type & SOCK_NONBLOCK ? FdFlags.NONBLOCK : 0 });
      mem.u32(fdOut, fd);
      return Errno.SUCCESS;
    },
    bind(fd, ip, port) {
      const { s } = io.sock(fd);
      if (s.type === 'dgram') return (udpBind(s, ip, port), Errno.SUCCESS);
      const u = ip >>> 0;
      if (s.port || s.conn || s.listener !== undefined) fail(Errno.INVAL);
      if (u !== 0 && !isLoopback(u) && u !== s.net.podIp) fail(SockErrno.ADDRNOTAVAIL);
      const at = localIp(s.net, u);
      if (port && s.net.fabric.inUse(at, port)) fail(SockErrno.ADDRINUSE);
      s.ip = at;
      s.port = port || s.net.fabric.ephemeralPort(at);
      s.loopbackOnly = isLoopback(u);
      return Errno.SUCCESS;
    },
    listen(fd, backlog) {
      const { s } = io.sock(fd);
      if (s.type === 'dgram') fail(Errno.NOTSUP);
      if (s.conn) fail(SockErrno.ISCONN);
      if (s.listener !== undefined) return Errno.SUCCESS;
      if (!s.port) {
        s.ip = s.net.podIp;
        s.port = s.net.fabric.ephemeralPort(s.ip);
      }
      const l = s.net.fabric.listen(s.net.owner, s.ip, s.port, { backlog: backlog > 0 ? backlog : 128, loopbackOnly: s.loopbackOnly });
      if (l === 'EADDRINUSE') fail(SockErrno.ADDRINUSE);
      if (typeof l === 'string') fail(SockErrno.NOBUFS);
      s.listener = l as number;
      return Errno.SUCCESS;
    },
    connect(fd, ip, port) {
      const { e, s } = io.sock(fd);
      if (s.type === 'dgram') return (udpConnect(s, ip, port), Errno.SUCCESS);
      // A non-blocking connect started earlier (Linux's answers to connect() again): still going EALREADY;
      // connected 0 once, then EISCONN; failed: its error once (ECONNABORTED if SO_ERROR took it), then a new connect.
      s.progressConnect();
      if (s.connecting) fail(SockErrno.ALREADY);
      if (s.conn && s.connectedAsync) return (s.connectedAsync = false), Errno.SUCCESS;
      if (s.conn) fail(SockErrno.ISCONN);
      if (s.connectFailed && s.connectUnreported) {
        const err = s.soError || SockErrno.CONNABORTED;
        s.soError = 0;
        s.connectUnreported = false;
        fail(err);
      }
      if (s.listener !== undefined) fail(Errno.INVAL);
      const n = s.net;
      const u = ip >>> 0;
      const req = { owner: n.owner, fromIp: n.podIp, fromPort: s.port, toIp: localIp(n, u), toPort: port, loopback: isLoopback(u) || u === 0 || u === n.podIp, now: n.now() };
      const timeoutMs = n.connectTimeoutMs ?? 20_000;
      if (io.nonblock(e)) {
        // As Linux's TCP: EINPROGRESS always; poll reports FD_WRITE when it ends, SO_ERROR says how.
        s.connectFailed = false;
        s.soError = 0;
        s.connecting = { req, deadline: n.now() + timeoutMs };
        s.progressConnect();
        return fail(SockErrno.INPROGRESS);
      }
      s.connectFailed = false;
      const r = blockingConnect(n.fabric, req, n.blocker, timeoutMs, () => n.now());
      if (r === 'ECONNREFUSED') fail(SockErrno.CONNREFUSED);
      if (typeof r === 'string') fail(SockErrno.NOBUFS);
      if ('full' in r || 'dropped' in r) fail(Errno.AGAIN);
      if ('timeout' in r) fail(SockErrno.TIMEDOUT);
      if ('interrupted' in r) fail(Errno.INTR);
      s.conn = r as NonNullable<GuestSocket['conn']>;
      [s.ip, s.port] = s.conn.local;
      return Errno.SUCCESS;
    },
    getsockname(fd, ipOut, portOut) {
      const { s } = io.sock(fd);
      mem.u32(ipOut, s.loopbackOnly ? LOOPBACK : s.ip);
      mem.u32(portOut, s.port);
      return Errno.SUCCESS;
    },
    getpeername(fd, ipOut, portOut) {
      const { s } = io.sock(fd);
      const [ip, port] = s.type === 'dgram' ? (s.peer ?? fail(SockErrno.NOTCONN)) : (s.conn ?? fail(SockErrno.NOTCONN)).remote;
      mem.u32(ipOut, ip);
      mem.u32(portOut, port);
      return Errno.SUCCESS;
    },
    setsockopt(fd) {
      io.sock(fd);
      return Errno.SUCCESS;
    },
    /**
     * getsockopt(fd, level, name, value_out: *i32) → errno, level SOL_SOCKET: SO_ERROR (the failed non-blocking
     * connect's errno, then 0: reading clears it) and SO_TYPE (6 SOCK_STREAM, 5 SOCK_DGRAM); NOPROTOOPT otherwise.
     */
    getsockopt(fd, _level, name, valueOut) {
      const { s } = io.sock(fd);
      if (name === SO_ERROR) {
        s.progressConnect();
        mem.u32(valueOut, s.soError);
        s.soError = 0;
        return Errno.SUCCESS;
      }
      if (name === SO_TYPE) return (mem.u32(valueOut, s.type === 'dgram' ? SOCK_DGRAM : SOCK_STREAM), Errno.SUCCESS);
      return fail(SockErrno.NOPROTOOPT);
    },
    /**
     * sendto(fd, buf, len, flags, ip, port, sent_out) → errno: one datagram to ip:port (a datagram socket; a
     * stream socket ignores the address and sends on its connection). Flags are ignored.
     */
    sendto(fd, buf, len, _flags, ip, port, sentOut) {
      const { e, s } = io.sock(fd);
      const data = mem.read(buf, len).slice();
      mem.u32(sentOut, s.type === 'dgram' ? udpSend(s, data, [ip >>> 0, port]) : io.sendBytes(e, data));
      return Errno.SUCCESS;
    },
    /**
     * recvfrom(fd, buf, cap, flags, len_out, ip_out, port_out) → errno: one datagram (truncated to cap, the rest
     * discarded) and its source; a stream socket reads like recv and reports its peer.
     */
    recvfrom(fd, buf, cap, _flags, lenOut, ipOut, portOut) {
      const { e, s } = io.sock(fd);
      if (s.type === 'dgram') {
        const d = udpRecv(s, io.nonblock(e));
        const n = Math.min(cap, d.data.length);
        mem.write(buf, d.data.subarray(0, n));
        mem.u32(lenOut, n);
        mem.u32(ipOut, d.ip);
        mem.u32(portOut, d.port);
        return Errno.SUCCESS;
      }
      const data = io.recvBytes(e, cap, 0);
      mem.write(buf, data);
      mem.u32(lenOut, data.length);
      const [ip, port] = s.conn?.remote ?? [0, 0];
      mem.u32(ipOut, ip);
      mem.u32(portOut, port);
      return Errno.SUCCESS;
    },
    resolve(namePtr, nameLen, ipOut) {
      const name = mem.string(namePtr, nameLen).replace(/\.$/, '');
      const n = ctx.net;
      let ip = parseIpv4(name);
      if (ip === undefined && (name === 'localhost' || name === 'localhost.localdomain')) ip = LOOPBACK;
      if (ip === undefined && n && ctx.hostname && name === ctx.hostname) ip = n.podIp;
      if (ip === undefined && n?.resolve) ip = n.resolve(name);
      if (ip === undefined) fail(Errno.NOENT);
      mem.u32(ipOut, ip!);
      return Errno.SUCCESS;
    },
    /**
     * dns_query(name, name_len, qtype, out, out_cap, out_len) → errno: one query to the cluster DNS (qtype 1 A,
     * 5 CNAME, 28 AAAA, 33 SRV). 0: NOERROR, the answer section as `<type>\t<name>\t<data>\n` lines in out
     * (its length in out_len); NOENT: NXDOMAIN; NOBUFS: out_cap too small (out_len = the size needed);
     * NOTSUP: no cluster DNS or another qtype.
     */
    dns_query(namePtr, nameLen, qtype, out, outCap, outLen) {
      const q = ({ 1: 'A', 5: 'CNAME', 28: 'AAAA', 33: 'SRV' } as const)[qtype as 1 | 5 | 28 | 33];
      const n = ctx.net;
      if (!q || !n?.dnsQuery) fail(Errno.NOTSUP);
      const r = n!.dnsQuery!(mem.string(namePtr, nameLen).replace(/\.$/, ''), q!);
      if (r.rcode === 3) fail(Errno.NOENT);
      const bytes = new TextEncoder().encode(r.answer);
      mem.u32(outLen, bytes.length);
      if (bytes.length > outCap) fail(SockErrno.NOBUFS);
      mem.write(out, bytes);
      return Errno.SUCCESS;
    },
  };
}
