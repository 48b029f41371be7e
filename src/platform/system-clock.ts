import type { Clock } from '../api/clock';
import type { Disposable } from '../api/disposable';

/** Where cluster time stood at a wall-clock instant; every Worker given the same epoch agrees on now(). */
export interface Epoch {
  wall: number;
  cluster: number;
}

/** The real clock, whose speed can change while it runs (1× normally; 10× or 60× in tutorials). */
export interface AdjustableClock extends Clock {
  /**
   * Re-anchors cluster time at `epoch` (default: this clock's now(), at this instant) and runs it at
   * `speed` from there. Pending timers keep their due time in cluster time and are rescheduled.
   */
  setSpeed(speed: number, epoch?: Epoch): void;
  epoch(): Epoch;
}

interface Timer {
  at: number;
  fn: () => void;
  period?: number;
  handle?: ReturnType<typeof setTimeout>;
}

/**
 * The real clock for Workers, the page and Node. Timers are kept in cluster time, so a speed change
 * moves every pending one: a 5-minute eviction started at 1× fires in 5 s once the clock runs at 60×.
 */
export function systemClock(speed = 1, epoch: Epoch = { wall: Date.now(), cluster: Date.now() }): AdjustableClock {
  let anchor = { ...epoch };
  let rate = speed > 0 ? speed : 1;
  const timers = new Set<Timer>();
  const now = () => anchor.cluster + (Date.now() - anchor.wall) * rate;

  const arm = (t: Timer) => {
    t.handle = setTimeout(() => {
      if (!timers.has(t)) return;
      if (t.period) {
        t.at = Math.max(t.at + t.period, now());
        arm(t);
      } else timers.delete(t);
      t.fn();
    }, Math.max(0, (t.at - now()) / rate));
  };
  const add = (t: Timer): Disposable => {
    timers.add(t);
    arm(t);
    return {
      dispose() {
        timers.delete(t);
        clearTimeout(t.handle);
      },
    };
  };

  return {
    get speed() {
      return rate;
    },
    now,
    after: (ms, fn) => add({ at: now() + Math.max(0, ms), fn }),
    every: (ms, fn) => add({ at: now() + Math.max(1, ms), fn, period: Math.max(1, ms) }),
    sleep: (ms) => new Promise((resolve) => add({ at: now() + Math.max(0, ms), fn: resolve })),
    epoch: () => ({ ...anchor }),
    setSpeed(next, at) {
      anchor = at ? { ...at } : { wall: Date.now(), cluster: now() };
      rate = next > 0 ? next : 1;
      for (const t of timers) {
        clearTimeout(t.handle);
        arm(t);
      }
    },
  };
}
