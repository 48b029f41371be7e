/**
 * CFS bandwidth control for one container process (cpu.cfs_quota_us / cpu.cfs_period_us): in each period of
 * real time the guest may run for `quota`; once it has, check() blocks it until the period ends. check() is
 * (atHostCall) called at every host call and, in a module rewritten by limitModuleCpu, (check) every `budget`
 * function entries or loop iterations; check returns the next budget, adapted so the guest is checked about every CHECK_INTERVAL_MS
 * of its running time (a throttled guest overruns its quota by at most about that much per period).
 *
 * Time: `now` is real milliseconds; `runtimeMs()` is the guest's cumulative running time in real ms (not
 * counting blocking waits); `pause(ms)` blocks for ms without counting as running time (a signal may end it
 * early: the guest then runs on until its next check).
 * Counters (as cgroup cpu.stat): periods with runnable time, periods throttled, total time throttled.
 */
export const CHECK_INTERVAL_MS = 1;
const MIN_BUDGET = 64;
const MAX_BUDGET = 1 << 24;

export interface CpuQuota {
  /** Microseconds of CPU per period (CRI cpu_quota). */
  quotaUs: number;
  /** Period in microseconds (CRI cpu_period; the kubelet uses 100000). */
  periodUs: number;
}

export interface ThrottleCounters {
  periods: number;
  throttledPeriods: number;
  throttledMs: number;
}

export class CpuThrottle {
  /** periods counts the running period too (from its start), so periods ≥ throttledPeriods at every instant. */
  readonly counters: ThrottleCounters = { periods: 1, throttledPeriods: 0, throttledMs: 0 };
  private readonly periodMs: number;
  private readonly quotaMs: number;
  private periodStart: number;
  private periodBase: number;
  private lastCheck: number;
  private budget = 10_000;

  constructor(
    quota: CpuQuota,
    private readonly now: () => number,
    private readonly runtimeMs: () => number,
    private readonly pause: (ms: number) => void,
  ) {
    this.periodMs = quota.periodUs / 1000;
    this.quotaMs = quota.quotaUs / 1000;
    this.periodStart = now();
    this.periodBase = runtimeMs();
    this.lastCheck = this.periodBase;
  }

  /** For the module's checks: throttles if the period's quota is spent; returns the next budget. */
  check = (): number => {
    const ran = this.runtimeMs();
    const since = ran - this.lastCheck;
    // At most doubles per check, so one quick check cannot make the next one far away.
    const factor = since > 0 ? Math.min(2, CHECK_INTERVAL_MS / since) : 2;
    this.budget = Math.round(Math.min(MAX_BUDGET, Math.max(MIN_BUDGET, this.budget * factor)));
    this.throttle(ran);
    this.lastCheck = this.runtimeMs();
    return this.budget;
  };

  /** For host calls: throttles if the period's quota is spent. */
  atHostCall = (): void => {
    this.throttle(this.runtimeMs());
  };

  private throttle(ran: number): void {
    let at = this.now();
    if (at - this.periodStart >= this.periodMs) this.newPeriod(at, ran, 0);
    const used = ran - this.periodBase;
    if (used < this.quotaMs) return;
    const wait = this.periodStart + this.periodMs - at;
    if (wait > 0) {
      this.counters.throttledPeriods++;
      this.pause(wait);
      at = this.now();
      this.counters.throttledMs += Math.max(0, at - (this.periodStart + this.periodMs - wait));
    }
    // The overrun past the quota (checks are not instant) is charged to the next period, as CFS does.
    this.newPeriod(at, this.runtimeMs(), Math.min(used - this.quotaMs, this.quotaMs));
  }

  private newPeriod(at: number, ran: number, debtMs: number): void {
    // Periods skipped while the guest was idle are not counted, as the kernel's timer is not armed then.
    this.periodStart = at - ((at - this.periodStart) % this.periodMs);
    this.periodBase = ran - debtMs;
    this.counters.periods++;
  }
}
