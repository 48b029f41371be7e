import type { Clock } from '../../api/clock';
import type { IdSource } from '../../api/ids';
import type { CpuQuota } from './cpu-throttle';
import { CONTAINER_OVERHEAD_BYTES, type ProcessStats } from './container-stats';
import type { VolumeCall } from './volume-server';
import type { RootfsSnapshot } from './wasi/mem-fs';
import { INIT_PID, newPidCounter, pidAllocator } from './wasi/process-table';
import { ProcKilled } from './wasi/wasi-constants';
import { WasiHost } from './wasi/wasi-host';

/** One container process to run: a WASI command module with its argv, environment and root filesystem. */
/** A process's pod network: the fabric buffer, the pod IP, and the pod's DNS search path (its /etc/resolv.conf). */
export interface LaunchNet {
  fabric: SharedArrayBuffer;
  podIp: string;
  /** The pod's namespace (default search path when dns is absent). */
  namespace?: string;
  /** resolv.conf's search list and ndots; absent: names resolve only as numeric, localhost or the hostname. */
  dns?: { search: string[]; ndots: number };
}

export interface LaunchSpec {
  module: WebAssembly.Module;
  /** argv; argv[0] is the program path. */
  args: string[];
  env: string[];
  /**
   * The image rootfs (shared and read-only; the process writes to its own copy). Structured-cloneable.
   * Unused when mounts[0] is at "/" (the container's shared layer, see WasiHostOptions.mounts).
   */
  rootfs: RootfsSnapshot;
  /** True: stdin is a pipe fed by writeStdin (until closeStdin); false/absent: stdin reads EOF. */
  stdin?: boolean;
  /** resources.limits.memory: the module must already be limited (limitModuleMemory); used to report OOMKilled. */
  memoryLimitBytes?: number;
  /**
   * resources.limits.cpu (CFS quota per period): the module must already be rewritten by limitModuleCpu.
   * The Worker launcher throttles to it; the in-process launcher cannot block its thread and ignores it.
   */
  cpuQuota?: CpuQuota;
  /**
   * With cpuQuota: the container's CpuGroup block (cpu-throttle.ts), shared by all its processes (main and
   * exec'd) so they spend one quota together, as one cgroup. Absent: the process has the quota to itself.
   */
  cpuGroup?: SharedArrayBuffer;
  /** Volumes mounted into the process's filesystem, in order (a Worker reaches `call` over volume-channel.ts). */
  mounts?: Array<{ containerPath: string; call: VolumeCall }>;
  /**
   * The pod network (src/network): the cluster's fabric buffer and the pod's IP, shared by the pod's
   * containers. Absent, or with the in-process launcher: no sockets (EAFNOSUPPORT).
   */
  net?: LaunchNet;
  /**
   * The process's pid in its container (default 1: the main process, init of the container's pid namespace);
   * an exec'd process gets another from the container's counter.
   */
  pid?: number;
  /** The container's pid counter (newPidCounter in wasi/process-table.ts) its children take pids from; absent: a private one. */
  pidCounter?: SharedArrayBuffer;
  /**
   * For a pid other than 1: delivers a signal the process (or a child) sends to pid 1, e.g. as RunningProcess.signal
   * of the container's main process. Absent: kill(1, …) fails SRCH. The main process signals itself.
   */
  signalInit?(sig: number): void;
  /** Output in the order it was written; each chunk is owned by the receiver. */
  stdout(chunk: Uint8Array): void;
  stderr(chunk: Uint8Array): void;
}

export interface ProcessExit {
  exitCode: number;
  /** A trap or host failure ('wasm trap: unreachable'); absent for a normal exit. */
  error?: string;
  /** True when the exit was caused by kill(). */
  killed?: boolean;
  /** True when the process ended at its memory limit (exitCode 137). */
  oomKilled?: boolean;
}

export interface RunningProcess {
  /**
   * Resolves true once the program is running (its instance exists and `_start` was entered), false when it
   * ended (or was killed) before that; never rejects, and resolves before `exited`. Absent: the launcher cannot
   * tell, and the process counts as running from launch.
   */
  started?: Promise<boolean>;
  /** Resolves once, never rejects. No stdout/stderr callback runs after it resolves. */
  exited: Promise<ProcessExit>;
  /** Terminates the process now; `exited` resolves with KILLED_EXIT_CODE (unless it had already exited). */
  kill(): void;
  /** Queues bytes for the process's stdin (ignored after closeStdin or exit). Order is preserved. */
  writeStdin(data: Uint8Array): void;
  /** End of stdin: the process reads the queued bytes, then EOF. */
  closeStdin(): void;
  /** Delivers a signal (e.g. 15, SIGTERM) as WasiHost's deliverSignals describes. */
  signal(sig: number): void;
  /** CPU and memory so far (container-stats.ts); cheap (no message round trip). Absent: not measured. */
  stats?(): ProcessStats;
}

export interface ProcessLauncher {
  launch(spec: LaunchSpec): RunningProcess;
  /** A launch will likely follow soon (a pod sandbox was created): a launcher may start its thread ahead. */
  prepare?(): void;
}

export const IN_PROCESS_SLEEP_BUDGET_ERROR = 'killed: the in-process launcher cannot run a process that sleeps this long';

/** 128 + SIGKILL: WASI programs cannot handle signals, so a stop terminates at once. */
export const KILLED_EXIT_CODE = 137;

/**
 * Runs each process on the calling thread (Node tests, the single-process cluster). The program starts in a
 * later microtask; while it runs the thread is blocked, so kill() only takes effect before it starts or at
 * its next host call after control returns. Sleeps do not block: they advance the process's own clock
 * (cluster time + the total it has slept). A process that sleeps more than `sleepBudgetMs` in total (default
 * one minute) is killed (exit 137, error IN_PROCESS_SLEEP_BUDGET_ERROR) so a never-ending program cannot hang
 * the thread. Long-running containers need the Worker launcher. Stdin cannot block here: a read returns the
 * bytes queued so far, else EOF. Signals are delivered at the process's next host call.
 */
export function createInProcessLauncher(deps: { clock: Clock; ids: IdSource; sleepBudgetMs?: number }): ProcessLauncher {
  const budget = deps.sleepBudgetMs ?? 60_000;
  return {
    launch(spec) {
      let killed = false;
      let done = false;
      let settle!: (e: ProcessExit) => void;
      const exited = new Promise<ProcessExit>((resolve) => (settle = resolve));
      let setStarted!: (running: boolean) => void;
      const started = new Promise<boolean>((resolve) => (setStarted = resolve));
      const finish = (e: ProcessExit) => {
        if (done) return;
        done = true;
        setStarted(false);
        settle(e);
      };
      let slept = 0;
      let signals = 0;
      const stdinQueue: Uint8Array[] = [];
      const readStdin = (max: number): Uint8Array => {
        const head = stdinQueue[0];
        if (!spec.stdin || !head) return new Uint8Array(0);
        if (head.length <= max) return stdinQueue.shift()!;
        stdinQueue[0] = head.subarray(max);
        return head.slice(0, max);
      };
      const host = new WasiHost({
        args: spec.args,
        env: spec.env,
        rootfs: spec.rootfs,
        ...(spec.mounts ? { mounts: spec.mounts } : {}),
        now: () => deps.clock.now() + slept,
        sleep: (ms) => {
          slept += ms;
          if (slept > budget) throw new ProcKilled(KILLED_EXIT_CODE, IN_PROCESS_SLEEP_BUDGET_ERROR);
        },
        randomBytes: (n) => deps.ids.bytes(n),
        stdout: (c) => !done && spec.stdout(c),
        stderr: (c) => !done && spec.stderr(c),
        stdin: readStdin,
        stdinReady: () => true,
        takeSignals: () => {
          const bits = signals;
          signals = 0;
          return bits;
        },
        ...(spec.memoryLimitBytes !== undefined ? { memoryLimitBytes: spec.memoryLimitBytes } : {}),
        ...pidOptions(spec, (sig) => void (signals |= 1 << sig)),
        onStart: () => setStarted(true),
      });
      queueMicrotask(() => {
        if (killed) return;
        void host.run(spec.module).then((r) => finish(killed ? { exitCode: KILLED_EXIT_CODE, killed: true } : r));
      });
      return {
        started,
        exited,
        kill() {
          if (done || killed) return;
          killed = true;
          host.kill(KILLED_EXIT_CODE);
          finish({ exitCode: KILLED_EXIT_CODE, killed: true });
        },
        writeStdin(data) {
          if (!done && data.length) stdinQueue.push(data.slice());
        },
        closeStdin() {
          // EOF is what an empty queue already reads as here.
        },
        signal(sig) {
          if (!done) signals |= 1 << sig;
        },
        // The thread is blocked while the program runs, so CPU cannot be sampled here: memory only.
        stats: () => ({ cpuNanos: 0, memoryBytes: host.memoryBytes + CONTAINER_OVERHEAD_BYTES }),
      };
    },
  };
}

/**
 * WasiHost's pid options for a launched process: its pid, its children's allocator, and where its kill(1, sig)
 * goes — `self` (the process's own pending signals) for pid 1, else the spec's signalInit.
 */
export function pidOptions(spec: Pick<LaunchSpec, 'pid' | 'pidCounter' | 'signalInit'>, self: (sig: number) => void): { pid: number; allocPid: () => number; signalInit?: (sig: number) => void } {
  const pid = spec.pid ?? INIT_PID;
  const signalInit = pid === INIT_PID ? self : spec.signalInit;
  return { pid, allocPid: pidAllocator(spec.pidCounter ?? newPidCounter()), ...(signalInit ? { signalInit } : {}) };
}
