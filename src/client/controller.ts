import type { Clock } from '../api/clock';
import type { Disposable } from '../api/disposable';
import type { WorkQueue } from './workqueue';

/** controller-runtime's reconcile.Result. requeueAfter is in milliseconds of cluster time. */
export interface Result {
  requeue?: boolean;
  requeueAfter?: number;
}

export interface ControllerOptions<K = string> {
  name: string;
  queue: WorkQueue<K>;
  /** Level-based: reads current state (listers) and converges it. Must tolerate being called for deleted keys. */
  reconcile(key: K): Promise<Result | void>;
  /** Number of concurrent workers (the queue never gives one key to two of them). Default 1. */
  workers?: number;
  clock: Clock;
  /** Called with each reconcile error (after it is requeued); default logs nothing. */
  onError?(key: K, err: unknown): void;
}

/**
 * Runs workers that drain the queue into reconcile, controller-runtime's way:
 * error → addRateLimited(key); requeueAfter > 0 → forget + addAfter; requeue → addRateLimited; else forget.
 * Disposing shuts the queue down; in-flight reconciles finish but their results are not requeued.
 */
export function runController<K = string>(opts: ControllerOptions<K>): Disposable {
  const { queue } = opts;
  let stopped = false;

  async function worker(): Promise<void> {
    for (;;) {
      const key = await queue.get();
      if (key === undefined || stopped) return;
      try {
        const res = await opts.reconcile(key);
        if (stopped) continue;
        if (res?.requeueAfter && res.requeueAfter > 0) {
          queue.forget(key);
          queue.addAfter(key, res.requeueAfter);
        } else if (res?.requeue) {
          queue.addRateLimited(key);
        } else {
          queue.forget(key);
        }
      } catch (err) {
        if (!stopped) {
          queue.addRateLimited(key);
          opts.onError?.(key, err);
        }
      } finally {
        queue.done(key);
      }
    }
  }

  for (let i = 0; i < Math.max(1, opts.workers ?? 1); i++) void worker();
  return {
    dispose() {
      if (stopped) return;
      stopped = true;
      queue.shutDown();
    },
  };
}
