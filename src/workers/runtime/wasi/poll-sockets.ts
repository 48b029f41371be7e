import type { GuestMemory } from './guest-memory';
import type { WasiNet } from './guest-socket';
import { earliestDeadline, eventWriter, readSubscriptions, type FdSub } from './poll-subscriptions';
import { ClockId, Errno, EventType } from './wasi-constants';
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
const CONNECT_RETRY_MS = 1000;

/**
 * poll_oneoff when at least one subscription is on a socket (else returns undefined and the plain poll runs).
 * Reports every ready fd subscription (sockets: readable = data, EOF, reset or a pending connection; writable =
 * ring space or a gone peer; nbytes and FD_READWRITE_HANGUP filled), else blocks on the fabric's global seq
 * until something changes or the earliest clock fires (then its clock events). Files and other fds are
 * always ready. A socket with a non-blocking connect in progress is neither until it ends (then both, also
 * when it failed: SO_ERROR tells). EINTR when a signal interrupts the wait.
 */
export function pollWithSockets(p: SocketPollContext, inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number | undefined {
  const { mem, net } = p;
  const { clocks, fdSubs: subs } = readSubscriptions(mem, p.fds, (id) => p.timeNs(id), inPtr, nsubs);
  if (!subs.some((s) => s.entry?.sock)) return undefined;
  const hasStdin = subs.some((s) => s.entry?.kind === 'stdio' && s.entry.stream === 0 && s.type === EventType.FD_READ);
  const first = earliestDeadline(clocks);
  const events = eventWriter(mem, outPtr);
  const { emit } = events;
  /** A non-blocking connect waiting for backlog room or a dropped SYN is retried each second and at its deadline. */
  const connectRetryMs = (): number => {
    let ms = Infinity;
    for (const s of subs) {
      const c = s.entry?.sock?.connecting;
      if (c) ms = Math.min(ms, CONNECT_RETRY_MS, Math.max(1, c.deadline - net.now()));
    }
    return ms;
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
    if (events.count) break;
    const left = first === undefined ? Infinity : Number(first - p.timeNs(ClockId.MONOTONIC)) / 1e6;
    if (left <= 0) {
      for (const c of clocks) if (c.deadline <= first!) emit(c.userdata, EventType.CLOCK, Errno.SUCCESS);
      break;
    }
    const r = net.blocker.wait(net.fabric.words, net.fabric.globalSeq, seq, Math.min(left, hasStdin ? STDIN_SLICE_MS : Infinity, connectRetryMs()));
    if (r === 'interrupted') return Errno.INTR;
  }
  mem.u32(neventsPtr, events.count);
  return Errno.SUCCESS;
}
