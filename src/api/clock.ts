import type { Disposable } from './disposable';

/**
 * Cluster time. Core code never calls Date.now or setTimeout: it takes a Clock.
 * - now(): milliseconds since the Unix epoch in cluster time.
 * - after(ms, fn): runs fn once, ms of cluster time from now; dispose cancels it.
 * - every(ms, fn): runs fn every ms of cluster time; dispose stops it.
 * - sleep(ms): a promise that resolves after ms of cluster time.
 * - speed: how many cluster milliseconds pass per real millisecond (1 normally; >1 in fast tutorials).
 */
export interface Clock {
  now(): number;
  after(ms: number, fn: () => void): Disposable;
  every(ms: number, fn: () => void): Disposable;
  sleep(ms: number): Promise<void>;
  readonly speed: number;
}

/** RFC 3339 timestamp with second precision, as Kubernetes writes metav1.Time. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** RFC 3339 with microseconds, as Kubernetes writes metav1.MicroTime. */
export function rfc3339Micro(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.678Z
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

interface Timer {
  at: number;
  seq: number;
  fn: () => void;
  period?: number;
}

/**
 * A clock that moves only when told to (tests). advance(ms) runs every timer due, in time order,
 * including timers scheduled by timers, then resolves after pending microtasks have run.
 */
export class FakeClock implements Clock {
  readonly speed = 1;
  private current: number;
  private seq = 0;
  private timers = new Set<Timer>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): Disposable {
    const t: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.add(t);
    return { dispose: () => void this.timers.delete(t) };
  }

  every(ms: number, fn: () => void): Disposable {
    const t: Timer = { at: this.current + ms, seq: this.seq++, fn, period: Math.max(1, ms) };
    this.timers.add(t);
    return { dispose: () => void this.timers.delete(t) };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** Moves time forward by ms, firing due timers in order and letting promise chains settle between them. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await flushMicrotasks();
      const next = this.nextDue(target);
      if (!next) break;
      this.current = Math.max(this.current, next.at);
      if (next.period) next.at += next.period;
      else this.timers.delete(next);
      next.fn();
    }
    this.current = target;
    await flushMicrotasks();
  }

  private nextDue(limit: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.at > limit) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
