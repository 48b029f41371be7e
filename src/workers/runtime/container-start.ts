import type { ContainerMessage, StartMessage } from './container-protocol';
import { newStatsBuffer, ProcessStatsWriter } from './container-stats';
import { CpuGroup, CpuThrottle } from './cpu-throttle';
import { pidOptions } from './process-launcher';
import { SharedPipe } from './shared-pipe';
import { VolumeReplySlot } from './volume-channel';
import type { VolumeCall, VolumeReply } from './volume-server';
import { emptyRootfs } from './wasi/mem-fs';
import { WasiHost } from './wasi/wasi-host';
import { workerNet } from './worker-net';

/** What the container Worker's thread provides to a start (main.ts: postMessage, performance, crypto). */
export interface ContainerThread {
  post(msg: ContainerMessage, transfer?: ArrayBuffer[]): void;
  /** Absolute real time in ms with sub-ms precision (performance.timeOrigin + performance.now()). */
  wallNow(): number;
  /** Monotonic ms (performance.now()). */
  monoNow(): number;
  randomBytes(n: number): Uint8Array;
}

/** `call`, answering its first `{ op: 'root' }` with the reply the launcher already asked for (when given). */
function withRoot(call: VolumeCall, root: VolumeReply | undefined): VolumeCall {
  let pending = root;
  return (req) => {
    if (req.op === 'root' && pending) {
      const r = pending;
      pending = undefined;
      return r;
    }
    return call(req);
  };
}

const CLOCK_RESOLUTION_NS = 1000;

/**
 * The WasiHost of one `start` (its stdio, clock, stats, CPU throttle, pids, volumes and sockets wired to the
 * thread); the caller runs it with host.run(msg.module) (the module is not read here). Everything it holds is made from `msg`: nothing is
 * kept in module state between two calls.
 */
export function containerHost(msg: Omit<StartMessage, 'module'>, thread: ContainerThread): WasiHost {
  const { post, wallNow } = thread;
  const base = msg.clockBase;
  const speed = base?.speed ?? 1;
  // The cluster's clock (its epoch and speed, e.g. a fast demo clock) when the launcher gives one.
  const now = () => (base ? base.cluster + (wallNow() - base.wall) * speed : wallNow());
  // Blocking reads and sleeps wait on the control block, so a signal (stopContainer's SIGTERM) wakes them.
  const pipe = new SharedPipe(msg.control, thread.monoNow);
  const afterRead = () => pipe.takeWantSpace() && post({ type: 'stdin-space' });
  // CPU and memory for the kubelet's stats: blocking waits do not count as CPU; published at every host call.
  let host: WasiHost | undefined;
  const stats = msg.stats ? new ProcessStatsWriter(msg.stats, wallNow, speed, () => host?.memoryBytes ?? 0) : undefined;
  const blocking = <T>(wait: () => T): T => (stats ? stats.blocking(wait) : wait());
  // resources.limits.cpu (a throttle wait is not cut short by signals: they are delivered after it): throttled at host calls and at the module's own checks (limit-module-cpu.ts).
  const throttleWait = msg.cpuQuota ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
  const throttle =
    msg.cpuQuota && stats && throttleWait
      ? new CpuThrottle(msg.cpuQuota, msg.cpuGroup ? wallNow : thread.monoNow, () => stats.runningMs(), (ms) => void blocking(() => Atomics.wait(throttleWait, 0, 0, ms)), msg.cpuGroup ? new CpuGroup(msg.cpuGroup, speed) : undefined)
      : undefined;
  if (stats && throttle) stats.throttle = throttle.counters;
  // Signals this process tree sends to itself as pid 1 (kill(1, sig) in the main process or its children).
  let ownSignals = 0;
  const pids = pidOptions({ ...(msg.pid !== undefined ? { pid: msg.pid } : {}), ...(msg.pidCounter ? { pidCounter: msg.pidCounter } : {}), ...(msg.signalInit ? { signalInit: (sig: number) => post({ type: 'signal-init', sig }) } : {}) }, (sig) => void (ownSignals |= 1 << sig));
  const slot = msg.volumeSlot ? new VolumeReplySlot(msg.volumeSlot) : undefined;
  const mounts = slot ? (msg.mounts ?? []).map((containerPath, i) => ({ containerPath, call: withRoot(slot.caller(i, (m) => post(m)), msg.mountRoots?.[i]) })) : [];
  host = new WasiHost({
    args: msg.args,
    env: msg.env,
    rootfs: msg.rootfs,
    mounts,
    now,
    clockResolutionNs: CLOCK_RESOLUTION_NS,
    randomBytes: thread.randomBytes,
    stdout: (chunk) => post({ type: 'stdout', chunk }, [chunk.buffer as ArrayBuffer]),
    stderr: (chunk) => post({ type: 'stderr', chunk }, [chunk.buffer as ArrayBuffer]),
    sleep: (ms) => void blocking(() => pipe.sleep(ms / speed)),
    stdin: (max) => {
      if (!msg.stdin) return new Uint8Array(0);
      const r = blocking(() => pipe.read(max));
      if ('data' in r) {
        afterRead();
        return r.data;
      }
      return 'signal' in r ? null : new Uint8Array(0);
    },
    stdinReady: (timeoutMs) => {
      if (!msg.stdin || pipe.available > 0 || pipe.closed) return true;
      blocking(() => pipe.read(0, timeoutMs / speed));
      return pipe.available > 0 || pipe.closed;
    },
    takeSignals: () => {
      throttle?.atHostCall();
      stats?.tick();
      const own = ownSignals;
      ownSignals = 0;
      return pipe.takeSignals() | own;
    },
    ...pids,
    ...(msg.memoryLimitBytes !== undefined ? { memoryLimitBytes: msg.memoryLimitBytes } : {}),
    ...(throttle ? { cpuCheck: throttle.check } : {}),
    onStart: () => post({ type: 'started' }),
    ...(msg.net ? { net: workerNet(msg.net, now, () => pipe.pendingSignals() !== 0, blocking) } : {}),
  });
  return host;
}

/**
 * Idle-time preparation of a pooled container Worker (main.ts, on the pool's `warm` message; a Worker made for a
 * launch directly skips it, as compiling there costs the same as in its start): builds a throwaway host for a synthetic start (own tiny buffers, no module, a thread whose
 * post drops everything) and its import object,
 * and makes the host calls a guest's first steps make (args, a write to stdout, a 1 ns clock poll that sleeps
 * through the stats' blocking wait) against a scratch ArrayBuffer, so the code a real start runs is compiled
 * before that start. It instantiates nothing (no Wasm memory is reserved) and keeps nothing: the
 * host, its buffers, fds and filesystem are garbage on return, and it posts nothing.
 */
export function warmContainerStart(thread: ContainerThread): void {
  const quiet: ContainerThread = { ...thread, post: () => {} };
  const msg: Omit<StartMessage, 'module'> = {
    type: 'start',
    args: ['/warm'],
    env: ['HOSTNAME=warm'],
    rootfs: emptyRootfs(),
    control: new SharedArrayBuffer(32 + 16),
    stats: newStatsBuffer(),
    stdin: false,
    clockBase: { wall: thread.wallNow(), cluster: 0, speed: 1 },
  };
  const host = containerHost(msg, quiet);
  const calls = host.imports().wasi_snapshot_preview1 as Record<string, (...args: number[]) => number>;
  const scratch = new ArrayBuffer(1024);
  host.attachScratch(scratch);
  const view = new DataView(scratch);
  calls.args_sizes_get(0, 4);
  calls.args_get(16, 64);
  calls.fd_fdstat_get(1, 128);
  // one iovec { buf 512, len 1 } at 160
  view.setUint32(160, 512, true);
  view.setUint32(164, 1, true);
  calls.fd_write(1, 160, 1, 168);
  // one relative clock subscription of 1 ns (monotonic) at 256; its event at 320, nevents at 384
  view.setUint8(264, 0);
  view.setUint32(272, 1, true);
  view.setBigUint64(280, 1n, true);
  calls.poll_oneoff(256, 320, 1, 384);
}
