import type { Disposable } from '../../api/disposable';
import type { PrimeMessage } from './container-protocol';
import type { WorkerLike } from './worker-launcher';

export interface WorkerPoolOptions {
  /** Creates one container Worker (the same factory the launcher would call). */
  createWorker(): WorkerLike;
  /** Idle Workers kept started. 0: take() always creates. */
  size: number;
  /** Most idle Workers reserve() keeps (default 4 × size); the refill after a take only restores `size`. */
  max?: number;
  /** Runs the refill after a take (default queueMicrotask); tests pass a manual scheduler. */
  defer?: (fn: () => void) => void;
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
   * A launch is coming (a pod sandbox was created): starts one more idle Worker now, beyond `size`, so that
   * launch finds it started; nothing when `max` are idle or the pool is disposed. Extra idle Workers are not
   * replaced once taken.
   */
  reserve(): void;
  /** Idle Workers now. */
  readonly idle: number;
}

/**
 * Keeps `size` container Workers started (script loaded) so a container start does not wait for a Worker's
 * start-up. A Worker that reports an error while idle is terminated and replaced at the next refill. The
 * pool's listeners ignore a Worker once it is taken. dispose() terminates the idle Workers (not the taken ones:
 * their launcher owns them); take() after dispose creates a Worker directly.
 */
export function createWorkerPool(opts: WorkerPoolOptions): WorkerPool {
  const defer = opts.defer ?? ((fn: () => void) => queueMicrotask(fn));
  type Entry = { worker: WorkerLike; primed?: WebAssembly.Module; taken: boolean; failed: boolean };
  const idle: Entry[] = [];
  let module: WebAssembly.Module | undefined;
  let disposed = false;
  let refillQueued = false;

  const primeEntry = (e: Entry) => {
    if (!module || e.primed === module) return;
    e.primed = module;
    const msg: PrimeMessage = { type: 'prime', module };
    e.worker.postMessage(msg);
  };
  const start = () => {
    const entry: Entry = { worker: opts.createWorker(), taken: false, failed: false };
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
  refill();

  return {
    take() {
      const entry = disposed ? undefined : idle.shift();
      queueRefill();
      if (!entry) return opts.createWorker();
      entry.taken = true;
      return entry.worker;
    },
    reserve() {
      if (!disposed && idle.length < (opts.max ?? 4 * opts.size)) start();
    },
    prime(m) {
      if (module === m) return;
      module = m;
      for (const e of idle) primeEntry(e);
    },
    get idle() {
      return idle.length;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const e of idle.splice(0)) e.worker.terminate();
    },
  };
}
