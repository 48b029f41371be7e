import { type GuestMemory, stringListSize } from './guest-memory';
import type { WasiNet } from './guest-socket';
import { pollOneoff } from './poll-oneoff';
import { ClockId, Errno, ProcExit } from './wasi-constants';
import type { FdEntry } from './wasi-fd-calls';

export interface ProcessEnvContext {
  mem: GuestMemory;
  fds: Map<number, FdEntry>;
  args: string[];
  env: string[];
  randomBytes(n: number): Uint8Array;
  /** What clock_res_get reports for every clock. */
  clockResolutionNs: number;
  /** clock_time_get's value for a clock id (realtime, or monotonic never going back). */
  timeNs(id: number): bigint;
  stdinReady?(timeoutMs: number): boolean;
  net?: WasiNet;
  /** Blocks (or advances the process's clock) for poll_oneoff; throws ProcKilled when the process was killed meanwhile. */
  sleep(ms: number): void;
}

/**
 * The preview1 calls about the process and its environment: args, environ, clocks, random_get, sched_yield,
 * proc_exit (throws ProcExit), proc_raise (NOSYS) and poll_oneoff. Each returns an errno.
 */
export function processEnvCalls(ctx: ProcessEnvContext): Record<string, (...args: number[]) => number> {
  const { mem, args, env } = ctx;
  return {
    args_sizes_get: (argc, size) => (mem.u32(argc, args.length), mem.u32(size, stringListSize(args)), Errno.SUCCESS),
    args_get: (ptrs, buf) => (mem.writeStringList(args, ptrs, buf), Errno.SUCCESS),
    environ_sizes_get: (n, size) => (mem.u32(n, env.length), mem.u32(size, stringListSize(env)), Errno.SUCCESS),
    environ_get: (ptrs, buf) => (mem.writeStringList(env, ptrs, buf), Errno.SUCCESS),
    clock_res_get: (id, out) => {
      if (id > ClockId.THREAD_CPUTIME) return Errno.INVAL;
      mem.u64(out, BigInt(ctx.clockResolutionNs));
      return Errno.SUCCESS;
    },
    clock_time_get: (id, _precision, out) => {
      if (id > ClockId.THREAD_CPUTIME) return Errno.INVAL;
      mem.u64(out, ctx.timeNs(id));
      return Errno.SUCCESS;
    },
    random_get: (buf, len) => {
      mem.check(buf, len);
      for (let off = 0; off < len; off += 65536) mem.write(buf + off, ctx.randomBytes(Math.min(65536, len - off)));
      return Errno.SUCCESS;
    },
    sched_yield: () => Errno.SUCCESS,
    proc_exit: (code) => {
      throw new ProcExit(code >>> 0);
    },
    proc_raise: () => Errno.NOSYS,
    poll_oneoff: (inPtr, outPtr, nsubs, neventsPtr) =>
      pollOneoff(
        { mem, fds: ctx.fds, timeNs: ctx.timeNs, ...(ctx.stdinReady ? { stdinReady: ctx.stdinReady } : {}), ...(ctx.net ? { net: ctx.net } : {}), sleep: ctx.sleep },
        inPtr,
        outPtr,
        nsubs,
        neventsPtr,
      ),
  };
}
