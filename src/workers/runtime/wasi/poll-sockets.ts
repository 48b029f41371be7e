import type { GuestMemory } from './guest-memory';
import type { WasiNet } from './guest-socket';
import { ClockId, Errno, EventType, SUBCLOCK_ABSTIME } from './wasi-constants';
import type { FdEntry } from './wasi-fd-calls';

export interface SocketPollContext {
  mem: GuestMemory;
  fds: Map<number, FdEntry>;
  net: WasiNet;
  timeNs(clockId: number): bigint;
  /** Non-blocking stdin readiness (stdinReady(0)); absent: stdin is always ready. */
  stdinReady?(timeoutMs: number): boolean;
}

/** While stdin is also polled, the fabric wait is cut into slices this long so stdin input is noticed. */
const STDIN_SLICE_MS = 20;
const FD_HANGUP = 1;

interface FdSub {
  userdata: bigint;
  type: number;
  entry: FdEntry | undefined;
}

/**
 * poll_oneoff when at least one subscription is on a socket (else returns undefined and the plain poll runs).
 * Reports every ready fd subscription (sockets: readable = data, EOF, reset or a pending connection; writable =
 * ring space or a gone peer; nbytes and FD_READWRITE_HANGUP filled), else blocks on the fabric's global seq
 * until something changes or the earliest clock fires (then its clock events). Files and other fds are
 * always ready. EINTR when a signal interrupts the wait.
 */
export function pollWithSockets(p: SocketPollContext, inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number | undefined {
  const { mem, net } = p;
  const subs: FdSub[] = [];
  const clocks: Array<{ userdata: bigint; deadline: bigint }> = [];
  for (let i = 0; i < nsubs; i++) {
    const s = inPtr + i * 48;
    const userdata = mem.getU64(s);
    const tag = mem.bytes[s + 8];
    if (tag === EventType.CLOCK) {
      const id = mem.getU32(s + 16);
      const timeout = mem.getU64(s + 24);
      const flags = mem.view.getUint16(s + 40, true);
      clocks.push({ userdata, deadline: flags & SUBCLOCK_ABSTIME ? timeout : p.timeNs(id) + timeout });
    } else subs.push({ userdata, type: tag, entry: p.fds.get(mem.getU32(s + 16)) });
  }
  if (!subs.some((s) => s.entry?.sock)) return undefined;
  const hasStdin = subs.some((s) => s.entry?.kind === 'stdio' && s.entry.stream === 0 && s.type === EventType.FD_READ);
  const first = clocks.length ? clocks.reduce((a, b) => (b.deadline < a ? b.deadline : a), clocks[0].deadline) : undefined;
  let n = 0;
  const emit = (userdata: bigint, type: number, error: number, nbytes = 0, flags = 0) => {
    const e = outPtr + n++ * 32;
    mem.check(e, 32);
    mem.write(e, new Uint8Array(32));
    mem.u64(e, userdata);
    mem.u16(e + 8, error);
    mem.u8(e + 10, type);
    mem.u64(e + 16, nbytes);
    mem.u16(e + 24, flags);
  };
  const ready = (s: FdSub): boolean => {
    const e = s.entry;
    if (!e) return true;
    if (e.sock) return s.type === EventType.FD_READ ? e.sock.readable : e.sock.writable;
    if (e.kind === 'stdio' && e.stream === 0 && s.type === EventType.FD_READ) return p.stdinReady ? p.stdinReady(0) : true;
    return true;
  };
  for (;;) {
    const seq = Atomics.load(net.fabric.words, net.fabric.globalSeq);
    for (const s of subs) {
      if (!ready(s)) continue;
      const sock = s.entry?.sock;
      emit(s.userdata, s.type, s.entry ? Errno.SUCCESS : Errno.BADF, sock && s.type === EventType.FD_READ ? sock.nbytes : 0, sock?.hungUp ? FD_HANGUP : 0);
    }
    if (n) break;
    const left = first === undefined ? Infinity : Number(first - p.timeNs(ClockId.MONOTONIC)) / 1e6;
    if (left <= 0) {
      for (const c of clocks) if (c.deadline <= first!) emit(c.userdata, EventType.CLOCK, Errno.SUCCESS);
      break;
    }
    const r = net.blocker.wait(net.fabric.words, net.fabric.globalSeq, seq, hasStdin ? Math.min(left, STDIN_SLICE_MS) : left);
    if (r === 'interrupted') return Errno.INTR;
  }
  mem.u32(neventsPtr, n);
  return Errno.SUCCESS;
}
