import { limitModuleCpu } from '../limit-module-cpu';
import { limitModuleMemory } from '../limit-module-memory';
import type { GuestMemory } from './guest-memory';
import type { Inode, MemFs } from './mem-fs';
import { Errno, WasiError } from './wasi-constants';
import type { FdEntry } from './wasi-fd-calls';
import { INIT_PID, installFd, Pipe, releaseFd, type ChildProcess, type ProcessTable } from './process-table';

/** Exit code of a child whose program is not found (the shell's 127 convention is the caller's). */
export const SPAWN_NOT_FOUND = Errno.NOENT;

export interface ProcessCallsContext {
  mem: GuestMemory;
  fs: MemFs;
  fds: Map<number, FdEntry>;
  procs: ProcessTable;
  /** The calling process's environment (PATH for lookups when the child's env has none). */
  env: string[];
  /** The container's memory limit: each child's module is capped like the container's own. */
  memoryLimitBytes?: number;
  /**
   * The container has a CPU limit: each child's module gets limitModuleCpu's checks, so a child that spins
   * without host calls is throttled with the container's budget (the child runs on this thread, whose CPU
   * the container's throttle and stats count).
   */
  cpuLimited?: boolean;
  /** The calling process's pid (getpid). */
  pid: number;
  /** Delivers a signal sent to pid 1 (WasiHostOptions.signalInit); absent: pid 1 cannot be reached (SRCH). */
  signalInit?(sig: number): void;
  /** Creates and runs child `pid`, a WASI process, to completion on this thread; returns its exit code. */
  runChild(module: WebAssembly.Module, args: string[], env: string[], fds: Map<number, FdEntry>, pid: number): number;
}

const SIGKILL = 9;
const SIGSTOP = 19;

const dec = new TextDecoder();
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** limitModuleCpu, or the module unchanged when it cannot be rewritten (unsupported instructions: no throttle, as module-cache). */
function cpuLimitedOrAsIs(bytes: Uint8Array): Uint8Array {
  try {
    return limitModuleCpu(bytes);
  } catch {
    return bytes;
  }
}

/** NUL-separated strings (argv/env blocks of the spawn ABI). */
function strings(mem: GuestMemory, ptr: number, len: number): string[] {
  if (!len) return [];
  const text = dec.decode(mem.read(ptr, len));
  return (text.endsWith('\0') ? text.slice(0, -1) : text).split('\0');
}

/**
 * The `tabernetes_process` import module (docs/images.md "Processes"; C wrappers in tabernetes.h):
 * - spawn(argv, argv_len, env, env_len, stdin_fd, stdout_fd, stderr_fd, pid_out) → errno: argv and env are
 *   NUL-separated string blocks; argv[0] without '/' is searched in the child's PATH. The child's fds 0-2
 *   share the parent's open descriptions of the three fds; fd 3 is the root preopen. NOENT when not found,
 *   NOEXEC (45) when it is not a WASI command.
 * - waitpid(pid, status_out) → errno: runs the child (ProcessTable's order) and stores its exit code;
 *   CHILD (12) for an unknown pid.
 * - pipe(fds_out) → errno: two new fds, [0] the read end and [1] the write end.
 * - kill(pid, sig) → errno: sig 0-31 (INVAL otherwise). For pid 1 (the container's main process, from any of
 *   its processes: itself, exec'd ones, children) as Linux treats the init of a pid namespace signalled from
 *   inside it: SIGKILL and SIGSTOP are dropped (init cannot handle them, so it never gets them), any other
 *   signal is delivered (signalInit) and reaches the program only if it handles it (a handler or the poll
 *   form, images/include/tabernetes.h; else it is ignored); 0 only checks; success in every case, as kill(2)
 *   for a dropped signal. Otherwise a pending child ends unrun with code 128 + sig (ProcessTable.kill); SRCH
 *   (71) for a pid that is not a child (and for pid 1 when signalInit is absent).
 * - getpid() → the caller's pid (1 for the container's main process).
 */
export function processCalls(ctx: ProcessCallsContext): Record<string, (...args: number[]) => number> {
  const { mem, fs, fds, procs } = ctx;
  const modules = new WeakMap<Inode, { size: number; mtime: number; module: WebAssembly.Module }>();
  const nextFd = () => {
    let n = 3;
    while (fds.has(n)) n++;
    return n;
  };

  const findProgram = (name: string, env: string[]): Inode | undefined => {
    const candidates = name.includes('/') ? [name] : (env.find((e) => e.startsWith('PATH='))?.slice(5) ?? DEFAULT_PATH).split(':').map((d) => `${d || '.'}/${name}`);
    for (const path of candidates) {
      try {
        const node = fs.resolve(fs.root, path.replace(/^\/+/, '') || '.', true);
        if (node.kind === 'file') return node;
      } catch {
        // not here
      }
    }
    return undefined;
  };

  const moduleOf = (node: Inode): WebAssembly.Module => {
    const cached = modules.get(node);
    if (cached && cached.size === node.size && cached.mtime === node.mtime) return cached.module;
    let module: WebAssembly.Module;
    try {
      let bytes = node.bytes();
      if (ctx.memoryLimitBytes !== undefined) bytes = limitModuleMemory(bytes, ctx.memoryLimitBytes);
      if (ctx.cpuLimited) bytes = cpuLimitedOrAsIs(bytes);
      module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>);
    } catch {
      throw new WasiError(45 /* NOEXEC */);
    }
    modules.set(node, { size: node.size, mtime: node.mtime, module });
    return module;
  };

  return {
    spawn(argvPtr, argvLen, envPtr, envLen, stdinFd, stdoutFd, stderrFd, pidOut) {
      const args = strings(mem, argvPtr, argvLen);
      const env = strings(mem, envPtr, envLen);
      if (!args.length) throw new WasiError(Errno.INVAL);
      const stdio = [stdinFd, stdoutFd, stderrFd].map((n) => {
        const e = fds.get(n);
        if (!e) throw new WasiError(Errno.BADF);
        return e;
      });
      const node = findProgram(args[0], env.length ? env : ctx.env);
      if (!node) throw new WasiError(Errno.NOENT);
      const module = moduleOf(node);
      const childFds = new Map<number, FdEntry>();
      stdio.forEach((e, i) => installFd(childFds, i, e));
      installFd(childFds, 3, { kind: 'dir', inode: fs.root, pos: 0, fdflags: 0, preopen: '/' });
      const child = procs.add(
        (pid): ChildProcess => ({
          pid,
          state: 'pending',
          fds: childFds,
          run() {
            this.state = 'running';
            try {
              this.exitCode = ctx.runChild(module, args, env, childFds, pid);
            } finally {
              this.state = 'exited';
              for (const e of childFds.values()) releaseFd(e);
              childFds.clear();
            }
          },
        }),
      );
      mem.u32(pidOut, child.pid);
      return Errno.SUCCESS;
    },
    waitpid(pid, statusOut) {
      const code = procs.wait(pid);
      if (code === undefined) throw new WasiError(12 /* CHILD */);
      mem.u32(statusOut, code);
      return Errno.SUCCESS;
    },
    kill(pid, sig) {
      if (sig < 0 || sig > 31) throw new WasiError(Errno.INVAL);
      if (pid === INIT_PID && ctx.signalInit) {
        if (sig !== 0 && sig !== SIGKILL && sig !== SIGSTOP) ctx.signalInit(sig);
        return Errno.SUCCESS;
      }
      if (!procs.kill(pid, sig)) throw new WasiError(71 /* SRCH */);
      return Errno.SUCCESS;
    },
    getpid: () => ctx.pid,
    pipe(fdsOut) {
      mem.check(fdsOut, 8);
      const p = new Pipe();
      const r = nextFd();
      installFd(fds, r, { kind: 'pipe', pipe: p, end: 'r', pos: 0, fdflags: 0 });
      const w = nextFd();
      installFd(fds, w, { kind: 'pipe', pipe: p, end: 'w', pos: 0, fdflags: 0 });
      mem.u32(fdsOut, r);
      mem.u32(fdsOut + 4, w);
      return Errno.SUCCESS;
    },
  };
}
