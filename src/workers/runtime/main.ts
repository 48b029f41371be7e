/// <reference lib="webworker" />
// Container Worker entry: runs one WASI process (see container-protocol.ts) and reports its output and exit.
import type { ContainerMessage, PrimeMessage, StartMessage } from './container-protocol';
import { ProcessStatsWriter } from './container-stats';
import { CpuGroup, CpuThrottle } from './cpu-throttle';
import { pidOptions } from './process-launcher';
import { SharedPipe } from './shared-pipe';
import { VolumeReplySlot } from './volume-channel';
import type { VolumeCall, VolumeReply } from './volume-server';
import { WasiHost } from './wasi/wasi-host';
import { workerNet } from './worker-net';

declare const self: DedicatedWorkerGlobalScope;

const throttleWait = new Int32Array(new SharedArrayBuffer(4));
const post = (msg: ContainerMessage, transfer: Transferable[] = []) => self.postMessage(msg, transfer);


// The module received while idle (a pool's `prime`): held so its clone is not collected before `start`.
let primed: WebAssembly.Module | undefined;

self.addEventListener('message', (ev: MessageEvent<StartMessage | PrimeMessage>) => {
  const msg = ev.data;
  if (msg?.type === 'prime') primed = msg.module;
  if (msg?.type !== 'start') return;
  primed = undefined;
  try {
    run(msg);
  } catch (err) {
    post({ type: 'exit', exitCode: 128, error: `container worker failed: ${String((err as Error)?.message ?? err)}` });
  }
});

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

// Sub-millisecond wall time (Date.now() is whole ms): the WASI clocks report microseconds.
const wallNow = () => performance.timeOrigin + performance.now();
const CLOCK_RESOLUTION_NS = 1000;

function run(msg: StartMessage): void {
  const base = msg.clockBase;
  const speed = base?.speed ?? 1;
  // The cluster's clock (its epoch and speed, e.g. a fast demo clock) when the launcher gives one.
  const now = () => (base ? base.cluster + (wallNow() - base.wall) * speed : wallNow());
  // Blocking reads and sleeps wait on the control block, so a signal (stopContainer's SIGTERM) wakes them.
  const pipe = new SharedPipe(msg.control, () => performance.now());
  const afterRead = () => pipe.takeWantSpace() && post({ type: 'stdin-space' });
  // CPU and memory for the kubelet's stats: blocking waits do not count as CPU; published at every host call.
  let host: WasiHost | undefined;
  const stats = msg.stats ? new ProcessStatsWriter(msg.stats, wallNow, speed, () => host?.memoryBytes ?? 0) : undefined;
  const blocking = <T>(wait: () => T): T => (stats ? stats.blocking(wait) : wait());
  // resources.limits.cpu (a throttle wait is not cut short by signals: they are delivered after it): throttled at host calls and at the module's own checks (limit-module-cpu.ts).
  const throttle =
    msg.cpuQuota && stats
      ? new CpuThrottle(msg.cpuQuota, msg.cpuGroup ? wallNow : () => performance.now(), () => stats.runningMs(), (ms) => void blocking(() => Atomics.wait(throttleWait, 0, 0, ms)), msg.cpuGroup ? new CpuGroup(msg.cpuGroup, speed) : undefined)
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
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
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
  void host.run(msg.module).then(
    (r) => post({ type: 'exit', exitCode: r.exitCode, ...(r.error ? { error: r.error } : {}), ...(r.oomKilled ? { oomKilled: true } : {}) }),
    (err) => post({ type: 'exit', exitCode: 128, error: `container worker failed: ${String(err?.message ?? err)}` }),
  );
}
