// poll_oneoff's wire formats (preview1), shared by the plain poll (poll-oneoff) and the socket poll (poll-sockets).
import type { GuestMemory } from './guest-memory';
import { EventType, SUBCLOCK_ABSTIME } from './wasi-constants';
import type { FdEntry } from './wasi-fd-calls';

export interface ClockSub {
  userdata: bigint;
  /** Absolute, on the subscription's clock. */
  deadline: bigint;
}

export interface FdSub {
  userdata: bigint;
  /** EventType.FD_READ or FD_WRITE. */
  type: number;
  /** undefined: not an open fd (the event reports BADF). */
  entry: FdEntry | undefined;
}

/**
 * Reads nsubs 48-byte subscriptions from inPtr, in order: clock ones with their deadline made absolute
 * (a relative timeout is added to timeNs of its clock), fd ones with their fd table entry.
 */
export function readSubscriptions(mem: GuestMemory, fds: Map<number, FdEntry>, timeNs: (clockId: number) => bigint, inPtr: number, nsubs: number): { clocks: ClockSub[]; fdSubs: FdSub[] } {
  const clocks: ClockSub[] = [];
  const fdSubs: FdSub[] = [];
  for (let i = 0; i < nsubs; i++) {
    const s = inPtr + i * 48;
    const userdata = mem.getU64(s);
    const tag = mem.bytes[s + 8];
    if (tag === EventType.CLOCK) {
      const id = mem.getU32(s + 16);
      const timeout = mem.getU64(s + 24);
      const flags = mem.view.getUint16(s + 40, true);
      clocks.push({ userdata, deadline: flags & SUBCLOCK_ABSTIME ? timeout : timeNs(id) + timeout });
    } else fdSubs.push({ userdata, type: tag, entry: fds.get(mem.getU32(s + 16)) });
  }
  return { clocks, fdSubs };
}

/** The earliest deadline, or undefined without clock subscriptions. */
export function earliestDeadline(clocks: ClockSub[]): bigint | undefined {
  return clocks.length ? clocks.reduce((a, b) => (b.deadline < a ? b.deadline : a), clocks[0].deadline) : undefined;
}

/** Writes 32-byte events from outPtr on (bounds-checked; fields not given are zero); count is how many so far. */
export function eventWriter(mem: GuestMemory, outPtr: number): { emit(userdata: bigint, type: number, error: number, nbytes?: number, flags?: number): void; readonly count: number } {
  let n = 0;
  return {
    emit(userdata, type, error, nbytes = 0, flags = 0) {
      const e = outPtr + n++ * 32;
      mem.check(e, 32);
      mem.write(e, new Uint8Array(32));
      mem.u64(e, userdata);
      mem.u16(e + 8, error);
      mem.u8(e + 10, type);
      mem.u64(e + 16, nbytes);
      mem.u16(e + 24, flags);
    },
    get count() {
      return n;
    },
  };
}
