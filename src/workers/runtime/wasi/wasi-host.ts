import { GuestMemory, stringListSize } from './guest-memory';
import { MemFs, type RootfsSnapshot } from './mem-fs';
import { ClockId, Errno, EventType, ProcExit, ProcKilled, SUBCLOCK_ABSTIME, WasiError } from './wasi-constants';
import { type FdEntry, fdCalls, type WasiContext } from './wasi-fd-calls';
import { pathCalls } from './wasi-path-calls';

export interface WasiHostOptions {
  /** argv; argv[0] is the program path. */
  args: string[];
  /** KEY=value strings. */
  env: string[];
  /** The image rootfs; the process gets a private writable copy (file bytes copied on first write). */
  rootfs: RootfsSnapshot;
  /** Realtime in milliseconds since the epoch (cluster time). */
  now(): number;
  randomBytes(n: number): Uint8Array;
  stdout(chunk: Uint8Array): void;
  stderr(chunk: Uint8Array): void;
  /**
   * Blocking stdin seam: returns up to max bytes, an empty array at EOF. Default: always EOF.
   * A Worker can implement it with SharedArrayBuffer + Atomics.wait.
   */
  stdin?(max: number): Uint8Array;
  /**
   * Blocks the calling thread for ms (poll_oneoff with a clock; Atomics.wait in a Worker). Default: does not
   * block but advances this process's view of time by ms, so sleeps return at once and look elapsed.
   */
  sleep?(ms: number): void;
}

export interface WasiRunResult {
  exitCode: number;
  /** Set for a trap or host failure: e.g. 'wasm trap: unreachable'. */
  error?: string;
}

/** Exit code reported for a wasm trap: 128 + SIGABRT, as wasmtime does on Unix. */
export const TRAP_EXIT_CODE = 134;

const PREVIEW1_FUNCTIONS = [
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get',
  'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags',
  'fd_fdstat_set_rights', 'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread',
  'fd_prestat_get', 'fd_prestat_dir_name', 'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek',
  'fd_sync', 'fd_tell', 'fd_write', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times',
  'path_link', 'path_open', 'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink',
  'path_unlink_file', 'poll_oneoff', 'proc_exit', 'proc_raise', 'sched_yield', 'random_get', 'sock_accept',
  'sock_recv', 'sock_send', 'sock_shutdown',
];

/**
 * A wasi_snapshot_preview1 host for one process: fds 0-2 are stdio, fd 3 is the preopened root "/".
 * Unsupported calls (sockets, proc_raise) return NOTSUP/NOSYS so every wasi-libc program links.
 */
export class WasiHost {
  readonly fs: MemFs;
  private readonly mem = new GuestMemory();
  private readonly fds = new Map<number, FdEntry>();
  private skewMs = 0;
  private lastMonotonic = 0n;
  private killedWith: number | undefined;

  constructor(private readonly opts: WasiHostOptions) {
    this.fs = new MemFs(opts.rootfs, () => this.nowMs());
    this.fds.set(0, { kind: 'stdio', stream: 0, pos: 0, fdflags: 0 });
    this.fds.set(1, { kind: 'stdio', stream: 1, pos: 0, fdflags: 0 });
    this.fds.set(2, { kind: 'stdio', stream: 2, pos: 0, fdflags: 0 });
    this.fds.set(3, { kind: 'dir', inode: this.fs.root, pos: 0, fdflags: 0, preopen: '/' });
  }

  /** Makes every later host call throw, ending the guest with exit code `code`. */
  kill(code: number): void {
    this.killedWith ??= code;
  }

  private nowMs(): number {
    return this.opts.now() + this.skewMs;
  }

  imports(): WebAssembly.Imports {
    const ctx: WasiContext = {
      mem: this.mem,
      fs: this.fs,
      fds: this.fds,
      nowMs: () => this.nowMs(),
      writeStdio: (stream, data) => (stream === 1 ? this.opts.stdout(data) : this.opts.stderr(data)),
      readStdin: (max) => this.opts.stdin?.(max) ?? new Uint8Array(0),
    };
    const calls: Record<string, (...args: number[]) => number> = { ...fdCalls(ctx), ...pathCalls(ctx), ...this.processCalls() };
    const out: WebAssembly.ModuleImports = {};
    for (const name of PREVIEW1_FUNCTIONS) {
      const fn = calls[name];
      out[name] = (...args: number[]) => {
        if (this.killedWith !== undefined) throw new ProcKilled(this.killedWith);
        if (!fn) return name.startsWith('sock_') ? Errno.NOTSUP : Errno.NOSYS;
        try {
          return fn(...args);
        } catch (err) {
          if (err instanceof WasiError) return err.errno;
          throw err;
        }
      };
    }
    return { wasi_snapshot_preview1: out };
  }

  /** Instantiates and runs `_start`. Never rejects: traps and host failures become a result with `error`. */
  async run(module: WebAssembly.Module): Promise<WasiRunResult> {
    if (this.killedWith !== undefined) return { exitCode: this.killedWith };
    let instance: WebAssembly.Instance;
    try {
      instance = await WebAssembly.instantiate(module, this.imports());
    } catch (err) {
      return { exitCode: 128, error: `failed to instantiate module: ${String((err as Error)?.message ?? err)}` };
    }
    return this.start(instance);
  }

  start(instance: WebAssembly.Instance): WasiRunResult {
    const memory = instance.exports.memory;
    const start = instance.exports._start;
    if (!(memory instanceof WebAssembly.Memory) || typeof start !== 'function') {
      return { exitCode: 128, error: 'module is not a WASI command: it must export "memory" and "_start"' };
    }
    this.mem.attach(memory);
    try {
      (start as () => void)();
      return { exitCode: 0 };
    } catch (err) {
      if (err instanceof ProcExit) return { exitCode: err.code };
      if (err instanceof ProcKilled) return { exitCode: err.code, ...(err.reason ? { error: err.reason } : {}) };
      if (err instanceof WebAssembly.RuntimeError) return { exitCode: TRAP_EXIT_CODE, error: `wasm trap: ${err.message}` };
      return { exitCode: TRAP_EXIT_CODE, error: `host error: ${String((err as Error)?.message ?? err)}` };
    }
  }

  private processCalls(): Record<string, (...args: number[]) => number> {
    const mem = this.mem;
    const { args, env } = this.opts;
    return {
      args_sizes_get: (argc, size) => (mem.u32(argc, args.length), mem.u32(size, stringListSize(args)), Errno.SUCCESS),
      args_get: (ptrs, buf) => (mem.writeStringList(args, ptrs, buf), Errno.SUCCESS),
      environ_sizes_get: (n, size) => (mem.u32(n, env.length), mem.u32(size, stringListSize(env)), Errno.SUCCESS),
      environ_get: (ptrs, buf) => (mem.writeStringList(env, ptrs, buf), Errno.SUCCESS),
      clock_res_get: (id, out) => {
        if (id > ClockId.THREAD_CPUTIME) return Errno.INVAL;
        mem.u64(out, 1_000_000n);
        return Errno.SUCCESS;
      },
      clock_time_get: (id, _precision, out) => {
        if (id > ClockId.THREAD_CPUTIME) return Errno.INVAL;
        mem.u64(out, this.timeNs(id));
        return Errno.SUCCESS;
      },
      random_get: (buf, len) => {
        mem.check(buf, len);
        for (let off = 0; off < len; off += 65536) mem.write(buf + off, this.opts.randomBytes(Math.min(65536, len - off)));
        return Errno.SUCCESS;
      },
      sched_yield: () => Errno.SUCCESS,
      proc_exit: (code) => {
        throw new ProcExit(code >>> 0);
      },
      proc_raise: () => Errno.NOSYS,
      poll_oneoff: (inPtr, outPtr, nsubs, neventsPtr) => this.pollOneoff(inPtr, outPtr, nsubs, neventsPtr),
    };
  }

  private timeNs(id: number): bigint {
    const ms = this.nowMs();
    const whole = Math.floor(ms);
    const ns = BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
    if (id === ClockId.REALTIME) return ns;
    if (ns > this.lastMonotonic) this.lastMonotonic = ns;
    return this.lastMonotonic;
  }

  /**
   * Clock subscriptions sleep until the earliest deadline; fd_read on stdin and fd_write on stdout/stderr are
   * always ready (stdin reports EOF). Ready fd events are returned without sleeping.
   */
  private pollOneoff(inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): number {
    if (nsubs === 0) return Errno.INVAL;
    const mem = this.mem;
    const fdEvents: Array<{ userdata: bigint; type: number; error: number }> = [];
    const clocks: Array<{ userdata: bigint; deadline: bigint }> = [];
    for (let i = 0; i < nsubs; i++) {
      const s = inPtr + i * 48;
      const userdata = mem.getU64(s);
      const tag = mem.bytes[s + 8];
      if (tag === EventType.CLOCK) {
        const id = mem.getU32(s + 16);
        const timeout = mem.getU64(s + 24);
        const flags = mem.view.getUint16(s + 40, true);
        const now = this.timeNs(id);
        clocks.push({ userdata, deadline: flags & SUBCLOCK_ABSTIME ? timeout : now + timeout });
      } else {
        const fd = mem.getU32(s + 16);
        fdEvents.push({ userdata, type: tag, error: this.fds.has(fd) ? Errno.SUCCESS : Errno.BADF });
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
    if (fdEvents.length) {
      for (const ev of fdEvents) emit(ev.userdata, ev.type, ev.error);
    } else {
      const first = clocks.reduce((a, b) => (b.deadline < a ? b.deadline : a), clocks[0].deadline);
      const waitMs = Number(first - this.timeNs(ClockId.MONOTONIC)) / 1e6;
      if (waitMs > 0) {
        if (this.opts.sleep) this.opts.sleep(waitMs);
        else this.skewMs += waitMs;
      }
      if (this.killedWith !== undefined) throw new ProcKilled(this.killedWith);
      for (const c of clocks) if (c.deadline <= first) emit(c.userdata, EventType.CLOCK, Errno.SUCCESS);
    }
    mem.u32(neventsPtr, n);
    return Errno.SUCCESS;
  }
}
