import type { Clock } from '../api/clock';
import type { Disposable } from '../api/disposable';

/**
 * client-go's workqueue: a stingy FIFO (each key at most once in the queue; a key being processed is
 * never handed to a second worker — re-adding it marks it dirty and it is queued again on done()),
 * plus delaying (addAfter) and per-item rate limiting (addRateLimited / forget / numRequeues).
 */
export interface WorkQueue<T = string> {
  /** Queues key unless already queued; if it is being processed it is queued again after done(key). No-op after shutDown. */
  add(key: T): void;
  /** Resolves with the next key (FIFO), waiting if empty; resolves undefined once shut down. The caller must call done(key). */
  get(): Promise<T | undefined>;
  /** Marks key's processing finished; re-queues it if it was added meanwhile. */
  done(key: T): void;
  /** add(key) after ms of cluster time; a key already waiting keeps the earlier of its two ready times. */
  addAfter(key: T, ms: number): void;
  /** addAfter(key, rateLimiter.when(key)): exponential per-item backoff (5ms·2^n, max 1000s), overall 10 qps burst 100. */
  addRateLimited(key: T): void;
  /** Clears key's failure count (call after a successful reconcile). */
  forget(key: T): void;
  numRequeues(key: T): number;
  /** Number of keys queued (not counting those processing or waiting for a delay). */
  len(): number;
  /** Stops the queue: pending and future get() resolve undefined, delayed adds are cancelled. */
  shutDown(): void;
  readonly shuttingDown: boolean;
}

export interface RateLimiter<T> {
  /** The delay before key may be retried; counts a failure. */
  when(key: T): number;
  forget(key: T): void;
  numRequeues(key: T): number;
}

/** client-go ItemExponentialFailureRateLimiter: base·2^failures, capped at max. */
export function itemExponentialRateLimiter<T>(baseMs = 5, maxMs = 1000_000): RateLimiter<T> {
  const failures = new Map<T, number>();
  return {
    when(key) {
      const n = failures.get(key) ?? 0;
      failures.set(key, n + 1);
      return Math.min(baseMs * 2 ** n, maxMs);
    },
    forget: (key) => void failures.delete(key),
    numRequeues: (key) => failures.get(key) ?? 0,
  };
}

/** client-go BucketRateLimiter (golang.org/x/time/rate): qps tokens per second, burst capacity; reservations may go into debt. */
export function bucketRateLimiter<T>(clock: Clock, qps = 10, burst = 100): RateLimiter<T> {
  let tokens = burst;
  let last = clock.now();
  return {
    when() {
      const now = clock.now();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * qps);
      last = now;
      tokens -= 1;
      return tokens >= 0 ? 0 : Math.ceil((-tokens / qps) * 1000);
    },
    forget: () => undefined,
    numRequeues: () => 0,
  };
}

/** client-go DefaultControllerRateLimiter: the max of the per-item exponential and the overall bucket limiter. */
export function defaultControllerRateLimiter<T>(clock: Clock): RateLimiter<T> {
  const item = itemExponentialRateLimiter<T>();
  const bucket = bucketRateLimiter<T>(clock);
  return {
    when: (key) => Math.max(item.when(key), bucket.when(key)),
    forget: (key) => item.forget(key),
    numRequeues: (key) => item.numRequeues(key),
  };
}

export function createWorkQueue<T = string>(clock: Clock, rateLimiter: RateLimiter<T> = defaultControllerRateLimiter<T>(clock)): WorkQueue<T> {
  const queue: T[] = [];
  const dirty = new Set<T>();
  const processing = new Set<T>();
  const waiters: ((key: T | undefined) => void)[] = [];
  const delayed = new Map<T, { at: number; timer: Disposable }>();
  let shutting = false;

  const push = (key: T) => {
    const w = waiters.shift();
    if (w) {
      processing.add(key);
      dirty.delete(key);
      w(key);
    } else queue.push(key);
  };

  const q: WorkQueue<T> = {
    add(key) {
      if (shutting || dirty.has(key)) return;
      dirty.add(key);
      if (processing.has(key)) return;
      push(key);
    },
    get() {
      if (shutting) return Promise.resolve(undefined);
      if (queue.length) {
        const key = queue.shift() as T;
        processing.add(key);
        dirty.delete(key);
        return Promise.resolve(key);
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
    done(key) {
      processing.delete(key);
      if (dirty.has(key) && !shutting) push(key);
    },
    addAfter(key, ms) {
      if (shutting) return;
      if (ms <= 0) return q.add(key);
      const at = clock.now() + ms;
      const prev = delayed.get(key);
      if (prev && prev.at <= at) return;
      prev?.timer.dispose();
      const timer = clock.after(ms, () => {
        delayed.delete(key);
        q.add(key);
      });
      delayed.set(key, { at, timer });
    },
    addRateLimited(key) {
      q.addAfter(key, rateLimiter.when(key));
    },
    forget: (key) => rateLimiter.forget(key),
    numRequeues: (key) => rateLimiter.numRequeues(key),
    len: () => queue.length,
    shutDown() {
      if (shutting) return;
      shutting = true;
      for (const d of delayed.values()) d.timer.dispose();
      delayed.clear();
      queue.length = 0;
      for (const w of waiters.splice(0)) w(undefined);
    },
    get shuttingDown() {
      return shutting;
    },
  };
  return q;
}
