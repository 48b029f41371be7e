import type { Disposable } from '../../api/disposable';
import type { PrimeMessage, WarmMessage } from './container-protocol';
import type { WorkerLike } from './worker-launcher';

/**
 * Idle-time warming: the pool grows its idle Workers beyond `size`, one at a time, while nothing is being
 * launched, until idle + taken-and-alive Workers reach `target` (a node's expected containers). A take or
 * reserve pauses it for `quietMs`; a taken Worker ending (ended()) or a take below target resumes it.
 */
export interface WorkerPoolWarming {
  /** Workers (idle + taken and alive) warming aims at; the idle count never grows beyond it. */
  target: number;
  /** Wait before the first warm start (the cluster's boot is not slowed). */
  delayMs: number;
  /** Wait between two warm starts (each costs a Worker's start-up on another thread). */
  stepMs: number;
  /** Warming resumes only after this long without a take or reserve. */
  quietMs: number;
  /** Runs fn after ms (a timer); core code has none of its own. */
  after(ms: number, fn: () => void): Disposable;
}

export interface WorkerPoolOptions {
  /** Creates one container Worker (the same factory the launcher would call). */
  createWorker(): WorkerLike;
  /** Idle Workers kept started. 0: take() always creates. */
  size: number;
  /** Most idle Workers reserve() keeps (default 4 × size, at least warm.target); the refill after a take only restores `size`. */
  max?: number;
  /** Runs the refill after a take (default queueMicrotask); tests pass a manual scheduler. */
  defer?: (fn: () => void) => void;
  /** Idle-time warming beyond `size` (absent: none). */
  warm?: WorkerPoolWarming;
}

export interface WorkerPool extends Disposable {
  /** An idle started Worker (the oldest), or a new one when none is idle or the pool is disposed; a refill follows. */
  take(): WorkerLike;
  /**
   * Posts `module` (a `prime` message) to every idle Worker that has not received it, and to every Worker
   * started later, so its structured clone is received while the Worker is idle. A different module replaces it.
   */
  prime(module: WebAssembly.Module): void;
  /**
   * A launch is coming (a pod sandbox was created): starts one more idle Worker now unless the idle ones
   * already cover `size` plus every launch announced and not yet taken, so that launch finds it started;
   * nothing when `max` are idle or the pool is disposed. Extra idle Workers are not replaced once taken.
   * An announced launch that never comes keeps counting (bounded by `max`).
   */
  reserve(): void;
  /** A Worker take() returned has ended (its launcher terminated it): warming may replace it. */
  ended(): void;
  /** Idle Workers now. */
  readonly idle: number;
  /** Workers take() returned that have not ended yet. */
  readonly taken: number;
}

/**
 * Keeps `size` container Workers started (script loaded, and told `warm`: their start path compiled in idle time)
 * so a container start does not wait for a Worker's start-up, and with `warm` grows that to a node's worth in idle time. A Worker that reports an error while
 * idle is terminated and replaced at the next refill. The pool's listeners ignore a Worker once it is taken.
 * dispose() terminates the idle Workers (not the taken ones: their launcher owns them) and stops warming;
 * take() after dispose creates a Worker directly.
 */
export function createWorkerPool(opts: WorkerPoolOptions): WorkerPool {
  const defer = opts.defer ?? ((fn: () => void) => queueMicrotask(fn));
  const warm = opts.warm;
  const max = Math.max(opts.max ?? 4 * opts.size, warm?.target ?? 0);
  type Entry = { worker: WorkerLike; primed?: WebAssembly.Module; taken: boolean; failed: boolean };
  const idle: Entry[] = [];
  let module: WebAssembly.Module | undefined;
  let disposed = false;
  let refillQueued = false;
  let taken = 0;
  let warmTimer: Disposable | undefined;
  let busy = false; // a take or reserve since the last warming step
  let announced = 0; // reserve() calls no take() has matched yet

  const primeEntry = (e: Entry) => {
    if (!module || e.primed === module) return;
    e.primed = module;
    const msg: PrimeMessage = { type: 'prime', module };
    e.worker.postMessage(msg);
  };
  const start = () => {
    const entry: Entry = { worker: opts.createWorker(), taken: false, failed: false };
    const warmMsg: WarmMessage = { type: 'warm' };
    entry.worker.postMessage(warmMsg);
    entry.worker.addEventListener('error', () => {
      if (entry.taken || entry.failed) return;
      entry.failed = true;
      entry.worker.terminate();
      const i = idle.indexOf(entry);
      if (i >= 0) idle.splice(i, 1);
      queueRefill();
    });
    primeEntry(entry);
    idle.push(entry);
  };
  const refill = () => {
    refillQueued = false;
    while (!disposed && idle.length < opts.size) start();
  };
  const queueRefill = () => {
    if (refillQueued || disposed) return;
    refillQueued = true;
    defer(refill);
  };
  const wantsWarm = () => !!warm && !disposed && idle.length < max && idle.length + taken < warm.target;
  const warmAfter = (ms: number) => {
    if (!warm || warmTimer || !wantsWarm()) return;
    warmTimer = warm.after(ms, warmStep);
  };
  const warmStep = () => {
    warmTimer = undefined;
    if (!warm || !wantsWarm()) return;
    if (busy) {
      busy = false;
      warmAfter(warm.quietMs);
      return;
    }
    start();
    warmAfter(warm.stepMs);
  };
  refill();
  if (warm) warmTimer = warm.after(warm.delayMs, warmStep);

  return {
    take() {
      const entry = disposed ? undefined : idle.shift();
      queueRefill();
      taken++;
      if (announced > 0) announced--;
      busy = true;
      warmAfter(warm?.quietMs ?? 0);
      if (!entry) return opts.createWorker();
      entry.taken = true;
      return entry.worker;
    },
    reserve() {
      busy = true;
      announced++;
      if (!disposed && idle.length < Math.min(max, opts.size + announced)) start();
    },
    ended() {
      if (taken > 0) taken--;
      warmAfter(warm?.quietMs ?? 0);
    },
    prime(m) {
      if (module === m) return;
      module = m;
      for (const e of idle) primeEntry(e);
    },
    get idle() {
      return idle.length;
    },
    get taken() {
      return taken;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      warmTimer?.dispose();
      warmTimer = undefined;
      for (const e of idle.splice(0)) e.worker.terminate();
    },
  };
}
