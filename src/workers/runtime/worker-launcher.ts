import type { ContainerMessage, StartMessage } from './container-protocol';
import { newStatsBuffer, readProcessStats } from './container-stats';
import { KILLED_EXIT_CODE, type ProcessExit, type ProcessLauncher } from './process-launcher';
import { SharedPipe } from './shared-pipe';
import { NetworkFabric } from '../../network/network-fabric';
import { VolumeReplySlot } from './volume-channel';
import type { WorkerPool } from './worker-pool';

/** The part of a Web Worker the launcher uses (declared structurally: core has no DOM types). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: unknown[]): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'error', listener: (ev: { message?: string }) => void): void;
  terminate(): void;
}

export interface WorkerLauncherOptions {
  /** Creates the container Worker: `new Worker(new URL('./main.ts', import.meta.url), { type: 'module' })`. */
  createWorker(): WorkerLike;
  /** Anchors the Worker's clock to cluster time (the kubelet's epoch and speed). */
  clockBase?: { wall: number; cluster: number; speed: number };
  /**
   * Absolute real time in ms as the container Worker reads it (performance.timeOrigin + performance.now()), so
   * stats count a guest that spins without host calls (see container-stats.ts). Optional.
   */
  wallNow?: () => number;
  /** Started idle Workers to take before calling createWorker (worker-pool.ts); each launch also primes it with its module and tells it when its Worker ends. */
  pool?: WorkerPool;
}

/** One NetworkFabric view per fabric buffer (building one parses its tables): launches share it. */
const fabrics = new WeakMap<SharedArrayBuffer, NetworkFabric>();
function fabricOf(buffer: SharedArrayBuffer): NetworkFabric {
  let f = fabrics.get(buffer);
  if (!f) fabrics.set(buffer, (f = new NetworkFabric(buffer)));
  return f;
}

/** Code reported when the Worker fails before the program exits (script error, instantiate failure). */
export const WORKER_ERROR_EXIT_CODE = 128;

/**
 * Runs each process in its own Worker; kill() terminates the Worker. Stdin and signals go through a
 * SharedPipe: bytes that do not fit in its ring wait here, in order, until the Worker reports space.
 */
export function createWorkerLauncher(opts: WorkerLauncherOptions): ProcessLauncher {
  return {
    prepare: () => opts.pool?.reserve(),
    launch(spec) {
      let done = false;
      let settle!: (e: ProcessExit) => void;
      const exited = new Promise<ProcessExit>((resolve) => (settle = resolve));
      let setStarted!: (running: boolean) => void;
      const started = new Promise<boolean>((resolve) => (setStarted = resolve));
      const worker = opts.pool ? opts.pool.take() : opts.createWorker();
      opts.pool?.prime(spec.module);
      const pipe = new SharedPipe();
      const statsBuffer = newStatsBuffer();
      const backlog: Uint8Array[] = [];
      const slot = spec.mounts?.length ? new VolumeReplySlot() : undefined;
      let stdinClosed = false;
      // The process's sockets are tagged with owner; its exit (or kill) closes them, so peers see EOF.
      const fabric = spec.net ? fabricOf(spec.net.fabric) : undefined;
      const owner = fabric?.newOwner() ?? 0;
      const pump = () => {
        while (backlog.length) {
          const head = backlog[0];
          const n = pipe.write(head);
          if (n < head.length) {
            backlog[0] = head.subarray(n);
            return;
          }
          backlog.shift();
        }
        if (stdinClosed) pipe.close();
      };
      const finish = (e: ProcessExit) => {
        if (done) return;
        done = true;
        worker.terminate();
        opts.pool?.ended();
        fabric?.releaseOwner(owner);
        setStarted(false);
        settle(e);
      };
      worker.addEventListener('message', (ev) => {
        if (done) return;
        const msg = ev.data as ContainerMessage;
        if (msg.type === 'stdout') spec.stdout(msg.chunk);
        else if (msg.type === 'stderr') spec.stderr(msg.chunk);
        else if (msg.type === 'started') setStarted(true);
        else if (msg.type === 'stdin-space') pump();
        else if (msg.type === 'signal-init') spec.signalInit?.(msg.sig);
        else if (msg.type === 'volume') slot?.put(spec.mounts?.[msg.mount]?.call(msg.req) ?? { errno: 8 /* EBADF */ });
        else if (msg.type === 'exit') finish({ exitCode: msg.exitCode, ...(msg.error ? { error: msg.error } : {}), ...(msg.oomKilled ? { oomKilled: true } : {}) });
      });
      worker.addEventListener('error', (ev) => finish({ exitCode: WORKER_ERROR_EXIT_CODE, error: `container worker failed: ${ev.message ?? 'unknown error'}` }));
      const start: StartMessage = {
        type: 'start',
        module: spec.module,
        args: spec.args,
        env: spec.env,
        rootfs: spec.rootfs,
        control: pipe.buffer,
        stats: statsBuffer,
        stdin: !!spec.stdin,
        ...(spec.memoryLimitBytes !== undefined ? { memoryLimitBytes: spec.memoryLimitBytes } : {}),
        ...(spec.cpuQuota ? { cpuQuota: spec.cpuQuota } : {}),
        ...(spec.cpuQuota && spec.cpuGroup ? { cpuGroup: spec.cpuGroup } : {}),
        ...(spec.pid !== undefined ? { pid: spec.pid } : {}),
        ...(spec.pidCounter ? { pidCounter: spec.pidCounter } : {}),
        ...(spec.signalInit ? { signalInit: true } : {}),
        clockBase: opts.clockBase,
        ...(spec.net ? { net: { ...spec.net, owner } } : {}),
        ...(slot && spec.mounts ? { mounts: spec.mounts.map((m) => m.containerPath), volumeSlot: slot.buffer, mountRoots: spec.mounts.map((m) => m.call({ op: 'root' })) } : {}),
      };
      worker.postMessage(start);
      return {
        started,
        exited,
        kill: () => finish({ exitCode: KILLED_EXIT_CODE, killed: true }),
        writeStdin(data) {
          if (done || stdinClosed || !data.length) return;
          backlog.push(data.slice());
          if (backlog.length === 1) pump();
        },
        closeStdin() {
          if (stdinClosed) return;
          stdinClosed = true;
          if (!backlog.length) pipe.close();
        },
        signal: (sig) => !done && pipe.raise(sig),
        stats: () => readProcessStats(statsBuffer, opts.wallNow),
      };
    },
  };
}
