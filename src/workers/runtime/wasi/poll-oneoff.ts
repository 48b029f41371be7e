import type { GuestMemory } from './guest-memory';
import type { WasiNet } from './guest-socket';
import { pollWithSockets } from './poll-sockets';
import { earliestDeadline, eventWriter, readSubscriptions } from './poll-subscriptions';
import { ClockId, Errno, EventType } from './wasi-constants';
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
  const { clocks, fdSubs } = readSubscriptions(mem, p.fds, (id) => p.timeNs(id), inPtr, nsubs);
  const fdEvents = fdSubs.map(({ userdata, type, entry }) => ({
    userdata,
    type,
    error: entry ? Errno.SUCCESS : Errno.BADF,
    stdin: type === EventType.FD_READ && entry?.kind === 'stdio' && entry.stream === 0 && !!p.stdinReady,
  }));
  const events = eventWriter(mem, outPtr);
  const { emit } = events;
  const first = earliestDeadline(clocks);
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
  mem.u32(neventsPtr, events.count);
  return Errno.SUCCESS;
}
