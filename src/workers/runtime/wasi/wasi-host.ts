import { GuestMemory } from './guest-memory';
import { processEnvCalls } from './wasi-process-env-calls';
import { MemFs, emptyRootfs } from './mem-fs';
import { flushVolumeWrites, mountVolume, remoteRoot } from '../volume-fs';
import { installCpuCheck } from '../limit-module-cpu';
import { processCalls } from './process-calls';
import { INIT_PID, ProcessTable } from './process-table';
import { ClockId, Errno, ProcExit, ProcKilled, WasiError } from './wasi-constants';
import { type FdEntry, fdCalls, type WasiContext } from './wasi-fd-calls';
import { pathCalls } from './wasi-path-calls';
import { socketIo, sockPreview1Calls } from './wasi-socket-calls';
import { tabernetesSockCalls } from './tabernetes-sock-calls';
import { OOM_EXIT_CODE, oomMargin, SIGNAL_HANDLER_EXPORT, TRAP_EXIT_CODE, type WasiHostOptions, type WasiRunResult } from './wasi-host-options';

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
 * Also provides the `tabernetes` (signals) and `tabernetes_process` (spawn, waitpid, pipe, kill, getpid) import modules.
 * Sockets (sock_*, fd_read/fd_write/poll_oneoff on socket fds, and the `tabernetes_sock` module) need opts.net.
 * Unsupported calls (proc_raise) return NOSYS so every wasi-libc program links.
 */
export class WasiHost {
  readonly fs: MemFs;
  private readonly mem = new GuestMemory();
  private readonly fds: Map<number, FdEntry>;
  private readonly procs: ProcessTable;
  private skewMs = 0;
  private lastMonotonic = 0n;
  private killedWith: number | undefined;
  private instance: WebAssembly.Instance | undefined;
  private polledSignals = 0;
  private pollsSignals = false;
  private inHandler = false;

  constructor(private readonly opts: WasiHostOptions) {
    this.procs = opts.shared?.procs ?? new ProcessTable(opts.allocPid);
    if (opts.shared) {
      this.fs = opts.shared.fs;
      this.fds = opts.shared.fds;
      return;
    }
    const mounts = opts.mounts ?? [];
    const layer = mounts[0]?.containerPath === '/' ? mounts[0] : undefined;
    this.fs = layer ? new MemFs(emptyRootfs(), () => this.nowMs(), remoteRoot(layer.call)) : new MemFs(opts.rootfs, () => this.nowMs());
    this.fds = new Map();
    this.fds.set(0, { kind: 'stdio', stream: 0, pos: 0, fdflags: 0 });
    this.fds.set(1, { kind: 'stdio', stream: 1, pos: 0, fdflags: 0 });
    this.fds.set(2, { kind: 'stdio', stream: 2, pos: 0, fdflags: 0 });
    this.fds.set(3, { kind: 'dir', inode: this.fs.root, pos: 0, fdflags: 0, preopen: '/' });
    mounts.forEach((m, i) => {
      if (m === layer) return;
      try {
        mountVolume(this.fs, m.containerPath, m.call, i);
      } catch (err) {
        opts.stderr(new TextEncoder().encode(`tabernetes: cannot mount volume at ${m.containerPath}: errno ${(err as WasiError)?.errno ?? String(err)}\n`));
      }
    });
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
      readStdin: (max) => (this.opts.stdin ? this.opts.stdin(max) : new Uint8Array(0)),
      procs: this.procs,
    };
    const sockCtx = { mem: this.mem, fds: this.fds, net: this.opts.net, hostname: this.opts.env.find((e) => e.startsWith('HOSTNAME='))?.slice(9) };
    ctx.sockIo = socketIo(sockCtx);
    const calls: Record<string, (...args: number[]) => number> = { ...fdCalls(ctx), ...pathCalls(ctx), ...this.processCalls(), ...sockPreview1Calls(sockCtx) };
    // A file write may be deferred (volume-fs.ts write-behind); every other call publishes it first.
    const guard = (fn: (...args: number[]) => number, name = '') => (...args: number[]) => {
      if (this.killedWith !== undefined) throw new ProcKilled(this.killedWith);
      if (!((name === 'fd_write' || name === 'fd_pwrite') && this.fds.get(args[0])?.kind === 'file')) flushVolumeWrites();
      try {
        return fn(...args);
      } catch (err) {
        if (err instanceof WasiError) return err.errno;
        throw err;
      } finally {
        this.deliverSignals();
      }
    };
    const out: WebAssembly.ModuleImports = {};
    for (const name of PREVIEW1_FUNCTIONS) {
      const fn = calls[name];
      out[name] = guard(fn ?? (() => (name.startsWith('sock_') ? Errno.NOTSUP : Errno.NOSYS)), name);
    }
    const tabernetes: WebAssembly.ModuleImports = {
      // Returns and clears the signals not yet handled (bit n = signal n).
      signal_pending: () => {
        const bits = this.polledSignals;
        this.polledSignals = 0;
        return bits;
      },
    };
    const proc = processCalls({
      mem: this.mem,
      fs: this.fs,
      fds: this.fds,
      procs: this.procs,
      env: this.opts.env,
      ...(this.opts.memoryLimitBytes !== undefined ? { memoryLimitBytes: this.opts.memoryLimitBytes } : {}),
      ...(this.opts.cpuCheck ? { cpuLimited: true } : {}),
      pid: this.opts.pid ?? INIT_PID,
      ...(this.opts.signalInit ? { signalInit: this.opts.signalInit } : {}),
      runChild: (module, args, env, fds, pid) => {
        const { takeSignals: _t, ...inherited } = this.opts;
        const child = new WasiHost({ ...inherited, args, env, pid, shared: { fs: this.fs, procs: this.procs, fds } });
        if (this.killedWith !== undefined) throw new ProcKilled(this.killedWith);
        return child.start(new WebAssembly.Instance(module, child.imports())).exitCode;
      },
    });
    const tabernetes_process: WebAssembly.ModuleImports = {};
    for (const [name, fn] of Object.entries(proc)) tabernetes_process[name] = guard(fn);
    const tabernetes_sock: WebAssembly.ModuleImports = {};
    for (const [name, fn] of Object.entries(tabernetesSockCalls(sockCtx))) tabernetes_sock[name] = guard(fn);
    return { wasi_snapshot_preview1: out, tabernetes, tabernetes_process, tabernetes_sock };
  }

  /**
   * Signal delivery, after every host call: each pending signal is passed to the guest's
   * SIGNAL_HANDLER_EXPORT when it exports one; else it is kept for tabernetes.signal_pending when the module
   * imports that; else it is ignored (a container's main process is pid 1, whose default actions are ignored).
   */
  private deliverSignals(): void {
    const bits = this.opts.takeSignals?.() ?? 0;
    if (!bits || this.inHandler) {
      this.polledSignals |= bits;
      return;
    }
    const handler = this.instance?.exports[SIGNAL_HANDLER_EXPORT];
    if (typeof handler !== 'function') {
      if (this.pollsSignals) this.polledSignals |= bits;
      return;
    }
    this.inHandler = true;
    try {
      for (let sig = 1; sig < 32; sig++) if (bits & (1 << sig)) (handler as (s: number) => void)(sig);
    } finally {
      this.inHandler = false;
    }
  }

  /** The guest's linear memory size in bytes (0 before it starts); read by the container stats. */
  get memoryBytes(): number {
    const m = this.instance?.exports.memory;
    return m instanceof WebAssembly.Memory ? m.buffer.byteLength : 0;
  }

  /**
   * Idle-time warm-up only (container-start.ts warmContainerStart): the host calls of imports() then read and
   * write `scratch` as the guest's memory. Never on a host that runs a module.
   */
  attachScratch(scratch: ArrayBuffer): void {
    if (this.instance) throw new Error('attachScratch: the host runs a module');
    this.mem.attach({ buffer: scratch } as WebAssembly.Memory);
  }

  /** Instantiates and runs `_start`. Never rejects: traps and host failures become a result with `error`. */
  async run(module: WebAssembly.Module): Promise<WasiRunResult> {
    if (this.killedWith !== undefined) return { exitCode: this.killedWith };
    let instance: WebAssembly.Instance;
    this.pollsSignals = WebAssembly.Module.imports(module).some((i) => i.module === 'tabernetes' && i.name === 'signal_pending');
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
    this.instance = instance;
    installCpuCheck(instance, this.opts.cpuCheck ?? (() => 1 << 24));
    this.opts.onStart?.();
    const result = this.runStart(start as () => void);
    const limit = this.opts.memoryLimitBytes;
    if (result.exitCode !== 0 && !(result.error ?? '').startsWith('killed') && limit !== undefined && limit - memory.buffer.byteLength < oomMargin(limit)) {
      return { exitCode: OOM_EXIT_CODE, oomKilled: true, error: 'OOMKilled' };
    }
    return result;
  }

  private runStart(start: () => void): WasiRunResult {
    try {
      start();
      return { exitCode: 0 };
    } catch (err) {
      if (err instanceof ProcExit) return { exitCode: err.code };
      if (err instanceof ProcKilled) return { exitCode: err.code, ...(err.reason ? { error: err.reason } : {}) };
      if (err instanceof WebAssembly.RuntimeError) return { exitCode: TRAP_EXIT_CODE, error: `wasm trap: ${err.message}` };
      return { exitCode: TRAP_EXIT_CODE, error: `host error: ${String((err as Error)?.message ?? err)}` };
    } finally {
      flushVolumeWrites();
    }
  }

  private processCalls(): Record<string, (...args: number[]) => number> {
    return processEnvCalls({
      mem: this.mem,
      fds: this.fds,
      args: this.opts.args,
      env: this.opts.env,
      randomBytes: this.opts.randomBytes,
      clockResolutionNs: this.opts.clockResolutionNs ?? 1_000_000,
      timeNs: (id) => this.timeNs(id),
      ...(this.opts.stdinReady ? { stdinReady: this.opts.stdinReady } : {}),
      ...(this.opts.net ? { net: this.opts.net } : {}),
      sleep: (ms) => {
        if (this.opts.sleep) this.opts.sleep(ms);
        else this.skewMs += ms;
        if (this.killedWith !== undefined) throw new ProcKilled(this.killedWith);
      },
    });
  }

  private timeNs(id: number): bigint {
    const ms = this.nowMs();
    const whole = Math.floor(ms);
    const ns = BigInt(whole) * 1_000_000n + BigInt(Math.round((ms - whole) * 1e6));
    if (id === ClockId.REALTIME) return ns;
    if (ns > this.lastMonotonic) this.lastMonotonic = ns;
    return this.lastMonotonic;
  }

}
