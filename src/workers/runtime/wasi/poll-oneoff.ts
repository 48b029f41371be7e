import type { GuestMemory } from './guest-memory';
import type { WasiNet } from './guest-socket';
import { pollWithSockets } from './poll-sockets';
import { ClockId, Errno, EventType, SUBCLOCK_ABSTIME } from './wasi-constants';
import type { FdEntry } from './wasi-fd-calls';

export interface PollContext {
  mem: GuestMemory;
  fds: Map<number, FdEntry>;
  timeNs(clockId: number): bigint;
  /** WasiHostOptions.stdinReady; absent: stdin is always ready. */
  stdinReady?(timeoutMs: number): boolean;
  /** Blocks (or advances the process clock) for ms; throws to end a killed process. */
  sleep(ms: number): void;
  /** The process's network: subscriptions on sockets are handled by pollWithSockets. */
  net?: WasiNet;
}

/**
 * Clock subscriptions sleep until the earliest deadline. fd_write and fd_read on files are always ready;
 * fd_read on stdin is ready when opts.stdinReady says so (data or EOF): with only a not-ready stdin and
 * clocks, the call blocks until stdin becomes ready or the first deadline passes.
 */
export function pollOneoff(p: PollContext, inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
  if (nsubs === 0) return Errno.INVAL;
  if (p.net) {
    const r = pollWithSockets({ ...p, net: p.net }, inPtr, outPtr, nsubs, neventsPtr);
    if (r !== undefined) return r;
  }
  const mem = p.mem;
  const fdEvents: Array<{ userdata: bigint; type: number; error: number; stdin: boolean }> = [];
  const clocks: Array<{ userdata: bigint; deadline: bigint }> = [];
  for (let i = 0; i < nsubs; i++) {
    const s = inPtr + i * 48;
    const userdata = mem.getU64(s);
    const tag = mem.bytes[s + 8];
    if (tag === EventType.CLOCK) {
      const id = mem.getU32(s + 16);
      const timeout = mem.getU64(s + 24);
      const flags = mem.view.getUint16(s + 40, true);
      const now = p.timeNs(id);
      clocks.push({ userdata, deadline: flags & SUBCLOCK_ABSTIME ? timeout : now + timeout });
    } else {
      const fd = mem.getU32(s + 16);
      const entry = p.fds.get(fd);
      const stdin = tag === EventType.FD_READ && entry?.kind === 'stdio' && entry.stream === 0 && !!p.stdinReady;
      fdEvents.push({ userdata, type: tag, error: entry ? Errno.SUCCESS : Errno.BADF, stdin });
    }
  }
  let n = 0;
  const emit = (userdata: bigint, type: number, error: number) => {
    const e = outPtr + n++ * 32;
    mem.check(e, 32);
    mem.write(e, new Uint8Array(32));
    mem.u64(e, userdata);
    mem.u16(e + 8, error);
    mem.u8(e + 10, type);
  };
  const first = clocks.length ? clocks.reduce((a, b) => (b.deadline < a ? b.deadline : a), clocks[0].deadline) : undefined;
  const waitMs = first === undefined ? Infinity : Math.max(0, Number(first - p.timeNs(ClockId.MONOTONIC)) / 1e6);
  const immediate = fdEvents.filter((e) => !e.stdin);
  const stdinSubs = fdEvents.filter((e) => e.stdin);
  let stdinReady = false;
  if (stdinSubs.length) stdinReady = p.stdinReady!(immediate.length ? 0 : waitMs);
  if (immediate.length || stdinReady) {
    for (const ev of immediate) emit(ev.userdata, ev.type, ev.error);
    if (stdinReady) for (const ev of stdinSubs) emit(ev.userdata, ev.type, ev.error);
  } else if (first !== undefined) {
    const left = Number(first - p.timeNs(ClockId.MONOTONIC)) / 1e6;
    if (left > 0 && !stdinSubs.length) p.sleep(left);
    for (const c of clocks) if (c.deadline <= first) emit(c.userdata, EventType.CLOCK, Errno.SUCCESS);
  }
  mem.u32(neventsPtr, n);
  return Errno.SUCCESS;
}
