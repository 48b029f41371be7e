/**
 * A container process's resource counters in one small SharedArrayBuffer, written only by the container
 * Worker and read (without blocking, at any time) by the launcher's thread:
 * - cpu: cumulative CPU time in nanoseconds of cluster time: the time the guest ran outside blocking waits
 *   (sleep/poll timeouts, blocking stdin reads), times the clock speed (so a busy loop is one core at 1×, 10×
 *   and 60× alike). It is published at every host call and at each blocking wait's start and end. A reader
 *   that passes `wallNow` (the same absolute real-time clock the Worker uses: performance.timeOrigin +
 *   performance.now()) also counts the time since the last publication when the guest was not blocked, so a
 *   guest spinning without host calls is measured too; without it that time shows at its next host call.
 *   It is the time the guest was runnable: a Worker descheduled by the OS still counts.
 * - memory: the working set: the guest's linear memory size plus CONTAINER_OVERHEAD_BYTES.
 * - throttling (resources.limits.cpu only): cgroup cpu.stat's nr_periods, nr_throttled and throttled_time
 *   (real time of the throttle waits, times the clock speed), as published at the last update.
 * Float64 slots: each is written with one aligned store by one writer; a reader may see a value one update old.
 */
export const CONTAINER_STATS_BYTES = 72;
const CPU = 0;
const MEMORY = 1;
const UPDATES = 2;
/** Absolute real ms of the last publication (0: none yet). */
const WALL = 3;
/** 1 while the guest is in a blocking wait. */
const BLOCKED = 4;
const SPEED = 5;
const PERIODS = 6;
const THROTTLED_PERIODS = 7;
const THROTTLED_NS = 8;
const SLOTS = 9;

/** The runtime's per-container cost outside linear memory (instance, fd tables, stdio buffers), as cAdvisor adds the shim's. */
export const CONTAINER_OVERHEAD_BYTES = 256 * 1024;

export interface ProcessStats {
  /** Cumulative CPU core-nanoseconds (cluster time). */
  cpuNanos: number;
  /** Working set in bytes. */
  memoryBytes: number;
  /** Set for a process with a CPU limit (cpu-throttle.ts). */
  throttling?: { periods: number; throttledPeriods: number; throttledTimeNanos: number };
}

/** The throttle counters a writer publishes (CpuThrottle.counters). */
export interface ThrottleSource {
  periods: number;
  throttledPeriods: number;
  throttledMs: number;
}

export function newStatsBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTAINER_STATS_BYTES);
}

export function readProcessStats(buffer: SharedArrayBuffer, wallNow?: () => number): ProcessStats {
  const f = new Float64Array(buffer, 0, SLOTS);
  let cpu = f[CPU];
  const wall = f[WALL];
  if (wallNow && wall > 0 && f[BLOCKED] === 0) cpu += Math.max(0, wallNow() - wall) * f[SPEED] * 1e6;
  const out: ProcessStats = { cpuNanos: Math.round(cpu), memoryBytes: f[MEMORY] };
  if (f[PERIODS] > 0 || f[THROTTLED_PERIODS] > 0) out.throttling = { periods: f[PERIODS], throttledPeriods: f[THROTTLED_PERIODS], throttledTimeNanos: Math.round(f[THROTTLED_NS]) };
  return out;
}

/**
 * The container Worker's side. `now` is the absolute real-time millisecond clock (performance.timeOrigin +
 * performance.now());
 * `memoryBytes` reads the guest's current linear memory size (0 before it is instantiated).
 * Blocking waits may nest (a child process's sleep inside the parent's host call): only the outermost counts.
 */
export class ProcessStatsWriter {
  private readonly f: Float64Array;
  private readonly start: number;
  private blocked = 0;
  private blockedAt = 0;
  private depth = 0;
  /** The CPU throttle's counters, published with every update; set once by the Worker. */
  throttle: ThrottleSource | undefined;

  constructor(
    buffer: SharedArrayBuffer,
    private readonly now: () => number,
    private readonly speed: number,
    private readonly memoryBytes: () => number,
  ) {
    this.f = new Float64Array(buffer, 0, SLOTS);
    this.start = now();
    this.f[SPEED] = speed;
    this.publish(this.start);
  }

  /** After a host call: publishes the CPU time so far and the memory size. */
  tick(): void {
    if (this.depth > 0) return;
    this.publish(this.now());
  }

  /** Runs a blocking wait; its duration does not count as CPU time. */
  blocking<T>(wait: () => T): T {
    if (this.depth++ === 0) {
      this.blockedAt = this.now();
      this.publish(this.blockedAt);
      this.f[BLOCKED] = 1;
    }
    try {
      return wait();
    } finally {
      if (--this.depth === 0) {
        const at = this.now();
        this.blocked += at - this.blockedAt;
        this.publish(at);
        this.f[BLOCKED] = 0;
      }
    }
  }

  /** The guest's running time so far in real ms (its time outside blocking waits). */
  runningMs(): number {
    const at = this.depth > 0 ? this.blockedAt : this.now();
    return at - this.start - this.blocked;
  }

  private publish(at: number): void {
    if (this.throttle) {
      this.f[PERIODS] = this.throttle.periods;
      this.f[THROTTLED_PERIODS] = this.throttle.throttledPeriods;
      this.f[THROTTLED_NS] = this.throttle.throttledMs * this.speed * 1e6;
    }
    this.f[CPU] = Math.max(0, at - this.start - this.blocked) * this.speed * 1e6;
    this.f[MEMORY] = this.memoryBytes() + CONTAINER_OVERHEAD_BYTES;
    this.f[WALL] = at;
    this.f[UPDATES]++;
  }
}
