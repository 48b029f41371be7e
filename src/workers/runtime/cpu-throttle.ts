/**
 * CFS bandwidth control for one container process (cpu.cfs_quota_us / cpu.cfs_period_us; with a CpuGroup, below,
 * the quota and periods are shared by all the container's processes): in each period of
 * real time the guest may run for `quota`; once it has, check() blocks it until the period ends. check() is
 * (atHostCall) called at every host call and, in a module rewritten by limitModuleCpu, (check) every `budget`
 * function entries or loop iterations; check returns the next budget, adapted so the guest is checked about every CHECK_INTERVAL_MS
 * of its running time. Running time past the quotas (checks are not instant, and the guest's running time is
 * real time, so a Worker descheduled by a loaded OS between two checks overruns, even across period ends) is
 * debt charged to the following periods, as CFS does, up to MAX_DEBT_PERIODS quotas (so after a suspended
 * machine it is throttled for at most that many periods): over a long window the guest runs at most quota/period.
 *
 * Time: `now` is real milliseconds; `runtimeMs()` is the guest's cumulative running time in real ms (not
 * counting blocking waits); `pause(ms)` blocks for ms without counting as running time (a signal may end it
 * early: the guest then runs on until its next check, which waits again while the period's quota is spent).
 * Counters (as cgroup cpu.stat): periods with runnable time, periods throttled, total time throttled.
 */
export const CHECK_INTERVAL_MS = 1;
const MIN_BUDGET = 64;
const MAX_BUDGET = 1 << 24;
export const MAX_DEBT_PERIODS = 10;

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
  private groupPeriod = -1;

  /** With `group`, `runtimeMs` is this process's own running time and `now` must be absolute (see CpuGroup). */
  constructor(
    quota: CpuQuota,
    private readonly now: () => number,
    private readonly runtimeMs: () => number,
    private readonly pause: (ms: number) => void,
    private readonly group?: CpuGroup,
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
    if (this.group) return this.throttleGroup();
    const at = this.now();
    this.roll(at, ran);
    if (ran - this.periodBase < this.quotaMs) return;
    // roll() made `at` fall in the current period, so the wait is positive.
    this.counters.throttledPeriods++;
    this.pause(this.periodStart + this.periodMs - at);
    const woke = this.now();
    this.counters.throttledMs += Math.max(0, woke - at);
    // Woken early (a signal): the period's quota stays spent, so the next check waits again.
    this.roll(woke, this.runtimeMs());
  }

  /**
   * Moves to the period `at` falls in, if it is a later one: the running time since the current period's base
   * beyond the quotas of the periods in between is debt on the new one. Periods skipped while the guest was
   * idle are not counted, as the kernel's timer is not armed then.
   */
  private roll(at: number, ran: number): void {
    const elapsed = Math.floor((at - this.periodStart) / this.periodMs);
    if (elapsed < 1) return;
    const debt = Math.min(Math.max(0, ran - this.periodBase - elapsed * this.quotaMs), MAX_DEBT_PERIODS * this.quotaMs);
    this.periodStart += elapsed * this.periodMs;
    this.periodBase = ran - debt;
    this.counters.periods++;
  }

  private throttleGroup(): void {
    const g = this.group!;
    const used = g.report(this.runtimeMs());
    const at = this.now();
    const index = Math.floor(at / this.periodMs);
    if (index !== this.groupPeriod) {
      if (this.groupPeriod >= 0) this.counters.periods++;
      this.groupPeriod = index;
    }
    if (used - g.periodBase(index, this.quotaMs, MAX_DEBT_PERIODS * this.quotaMs) < this.quotaMs) return;
    const wait = (index + 1) * this.periodMs - at;
    if (wait <= 0) return;
    this.counters.throttledPeriods++;
    this.pause(wait);
    const waited = Math.max(0, this.now() - at);
    this.counters.throttledMs += waited;
    g.throttled(index, waited);
  }
}

/**
 * Bytes of a CpuGroup's shared block: BigInt64 [total µs, current period index, total µs at its start, the
 * group's cpu.stat: nr_periods, nr_throttled, throttled ns (cluster time), last throttled period index].
 */
export const CPU_GROUP_BYTES = 64;
const TOTAL = 0;
const PERIOD = 1;
const BASE = 2;
const PERIODS = 3;
const THROTTLED_PERIODS = 4;
const THROTTLED_NS = 5;
const LAST_THROTTLED = 6;

/** A new shared block for one container's CpuGroup (created by the runtime, handed to each of its processes). */
export function newCpuGroupBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(CPU_GROUP_BYTES);
}

/** The group's cpu.stat as cgroup counts it (see CpuGroup); periods 0 while no member has checked yet. */
export function readCpuGroupStat(buffer: SharedArrayBuffer): { periods: number; throttledPeriods: number; throttledTimeNanos: number } {
  const w = new BigInt64Array(buffer, 0, CPU_GROUP_BYTES / 8);
  return { periods: Number(Atomics.load(w, PERIODS)), throttledPeriods: Number(Atomics.load(w, THROTTLED_PERIODS)), throttledTimeNanos: Number(Atomics.load(w, THROTTLED_NS)) };
}

/**
 * The CPU of every process of one container (its cgroup: main process, sh's children on its thread, `kubectl
 * exec` processes in their own Workers), so one limits.cpu quota covers them all. Each member's CpuThrottle
 * (constructed with the group) reports its own running time into the shared total (integer µs, Atomics)
 * at every check, and all members share the periods: aligned to multiples of the period on the absolute
 * clock they are given (the same in every Worker: timeOrigin + now), with the group's total at the period's
 * start recorded by the first member that sees the period. A member whose check finds the group's use in the
 * period at the quota waits for the period's end. Overrun is debt on the following periods (as CpuThrottle's).
 * The group's cpu.stat (readCpuGroupStat) counts like a cgroup's: a period once however many members ran in it
 * (nr_periods: periods some member checked in), a throttled period once however many members waited in it,
 * and throttled time summed over the members that waited (per runqueue, as the kernel sums per CPU), in
 * cluster time (real ms × `speed`).
 */
export class CpuGroup {
  private readonly words: BigInt64Array;
  private reportedUs = 0;

  constructor(
    buffer: SharedArrayBuffer,
    private readonly speed = 1,
  ) {
    this.words = new BigInt64Array(buffer, 0, CPU_GROUP_BYTES / 8);
  }

  /** Adds this member's running time (ms, cumulative) since its last report; the group's total in ms. */
  report(ownMs: number): number {
    const ranUs = Math.round(ownMs * 1000);
    const delta = BigInt(Math.max(0, ranUs - this.reportedUs));
    this.reportedUs = Math.max(ranUs, this.reportedUs);
    return Number(Atomics.add(this.words, TOTAL, delta) + delta) / 1000;
  }

  /** A member waited `waitedMs` (real) in period `index`: counts the period throttled once, adds the time. */
  throttled(index: number, waitedMs: number): void {
    const want = BigInt(index);
    for (let last = Atomics.load(this.words, LAST_THROTTLED); last < want; last = Atomics.load(this.words, LAST_THROTTLED)) {
      if (Atomics.compareExchange(this.words, LAST_THROTTLED, last, want) === last) {
        Atomics.add(this.words, THROTTLED_PERIODS, 1n);
        break;
      }
    }
    Atomics.add(this.words, THROTTLED_NS, BigInt(Math.round(waitedMs * this.speed * 1e6)));
  }

/**
   * The group's base (ms) for period `index`: its total when the first member saw the period, less the debt:
   * the group's running time since the last seen period's base beyond the quotas of the periods in between
   * (at most maxDebtMs), as CFS charges overrun to the next periods.
   */
  periodBase(index: number, quotaMs: number, maxDebtMs: number): number {
    const want = BigInt(index);
    for (;;) {
      const cur = Atomics.load(this.words, PERIOD);
      if (cur >= want) return Number(Atomics.load(this.words, BASE)) / 1000;
      // Claim the period, then record its base (a racing reader may see the old base for an instant).
      if (Atomics.compareExchange(this.words, PERIOD, cur, want) === cur) {
        Atomics.add(this.words, PERIODS, 1n);
        const total = Atomics.load(this.words, TOTAL);
        const allowedUs = BigInt(Math.round(quotaMs * 1000)) * (want - cur);
        let debt = total - Atomics.load(this.words, BASE) - allowedUs;
        if (debt < 0n) debt = 0n;
        const maxUs = BigInt(Math.round(maxDebtMs * 1000));
        if (debt > maxUs) debt = maxUs;
        Atomics.store(this.words, BASE, total - debt);
        return Number(total - debt) / 1000;
      }
    }
  }

  /** The group's total running time so far (ms), as members last reported it. */
  get totalMs(): number {
    return Number(Atomics.load(this.words, TOTAL)) / 1000;
  }
}
