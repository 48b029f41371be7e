import type { VolumeCall } from '../volume-server';
import type { WasiNet } from './guest-socket';
import type { MemFs, RootfsSnapshot } from './mem-fs';
import type { ProcessTable } from './process-table';
import type { FdEntry } from './wasi-fd-calls';

export interface WasiHostOptions {
  /** argv; argv[0] is the program path. */
  args: string[];
  /** KEY=value strings. */
  env: string[];
  /** The image rootfs; the process gets a private writable copy (file bytes copied on first write). See mounts. */
  rootfs: RootfsSnapshot;
  /**
   * Volumes mounted over the rootfs, in order (see volume-fs.ts); a mount that fails is reported on stderr.
   * A first mount at "/" replaces the rootfs: the process's whole filesystem is then that server's tree (a
   * container's shared writable layer, container-layer.ts) and `rootfs` is not used.
   */
  mounts?: Array<{ containerPath: string; call: VolumeCall }>;
  /** Realtime in milliseconds since the epoch (cluster time), fractional for sub-ms resolution. */
  now(): number;
  /** What clock_res_get reports for every clock, in ns (default 1 ms: now() in whole milliseconds). */
  clockResolutionNs?: number;
  randomBytes(n: number): Uint8Array;
  stdout(chunk: Uint8Array): void;
  stderr(chunk: Uint8Array): void;
  /**
   * Blocking stdin seam: returns up to max bytes, an empty array at EOF. Default: always EOF.
   * A Worker can implement it with SharedArrayBuffer + Atomics.wait.
   */
  stdin?(max: number): Uint8Array | null;
  /**
   * For poll_oneoff on stdin: blocks up to timeoutMs (Infinity: no limit) until stdin is readable (data or
   * EOF); true when it is. Absent: stdin is always readable.
   */
  stdinReady?(timeoutMs: number): boolean;
  /**
   * Takes (and clears) the signals delivered to the process as a bit set (bit n = signal n). Checked after
   * every host call; see deliverSignals for what happens to them.
   */
  takeSignals?(): number;
  /**
   * The memory limit the module was built with (resources.limits.memory; see limitModuleMemory). A process
   * that ends abnormally (non-zero exit or trap) with its memory at the limit is reported OOMKilled (137).
   */
  memoryLimitBytes?: number;
  /**
   * Blocks the calling thread for ms (poll_oneoff with a clock; Atomics.wait in a Worker). Default: does not
   * block but advances this process's view of time by ms, so sleeps return at once and look elapsed.
   */
  sleep?(ms: number): void;
  /** This process's pid in its container (tabernetes_process.getpid); default 1, the container's main process. */
  pid?: number;
  /** Gives the pids of spawned children (pidAllocator over the container's counter); default 2, 3, … for this process tree. */
  allocPid?(): number;
  /**
   * Delivers a signal that this process or one of its children sent to pid 1 (tabernetes_process.kill(1, sig)),
   * which kill has already filtered as pid 1 of a pid namespace gets signals from inside it (process-calls.ts).
   * Absent: kill(1, …) fails with SRCH.
   */
  signalInit?(sig: number): void;
  /** Set for a child process (tabernetes_process.spawn): the container's filesystem and process table, and its own fd table. */
  shared?: { fs: MemFs; procs: ProcessTable; fds: Map<number, FdEntry> };
  /** The pod network (sockets; docs/sockets.md). Absent: `tabernetes_sock.socket` fails EAFNOSUPPORT. */
  net?: WasiNet;
  /**
   * resources.limits.cpu: called from inside a module rewritten by limitModuleCpu (installCpuCheck); may block
   * to throttle, returns the next check budget. Absent: such a module runs unthrottled.
   */
  cpuCheck?(): number;
  /** Called once the instance exists and its `_start` is about to be entered (the process is running). */
  onStart?(): void;
}

export interface WasiRunResult {
  exitCode: number;
  /** The process ended because its memory hit memoryLimitBytes (exitCode is then 137). */
  oomKilled?: boolean;
  /** Set for a trap or host failure: e.g. 'wasm trap: unreachable'. */
  error?: string;
}

/** Exit code reported for a wasm trap: 128 + SIGABRT, as wasmtime does on Unix. */
export const TRAP_EXIT_CODE = 134;
/** 128 + SIGKILL: the exit code of an OOM-killed or killed process. */
export const OOM_EXIT_CODE = 137;
/**
 * How close to its limit an abnormally ended process's memory must be to count as OOMKilled: a failed
 * memory.grow is not observable, so a process that dies with less than this left is taken to have failed
 * an allocation (malloc of up to about 1 MiB, or an eighth of the limit).
 */
export function oomMargin(limitBytes: number): number {
  return Math.max(limitBytes / 8, 1024 * 1024 + 65536);
}

/** The guest export the host calls with a pending signal number (defined by images/include/tabernetes.h). */
export const SIGNAL_HANDLER_EXPORT = 'tabernetes_signal_handler';
