import type { Clock } from '../../api/clock';
import { DisposableStore, type Disposable } from '../../api/disposable';

/** kube-scheduler defaults: podInitialBackoffDuration 1s, podMaxBackoffDuration 10s, podMaxInUnschedulablePodsDuration 5m. */
export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;
export const MAX_UNSCHEDULABLE_MS = 5 * 60_000;
const FLUSH_UNSCHEDULABLE_EVERY_MS = 30_000;
/** Events kept for pods in flight; beyond this the log collapses into one wildcard event (every in-flight pod backs off). */
const MAX_IN_FLIGHT_EVENTS = 1000;

/** A queueing hint's verdict for one parked pod and one event: stay parked, go via backoffQ, or go to activeQ now. */
export type Requeue = 'skip' | 'backoff' | 'immediate';

/** The plugins that rejected a pod's last attempt (kube's QueuedPodInfo.UnschedulablePlugins and PendingPlugins). */
export interface Rejectors {
  unschedulable: ReadonlySet<string>;
  pending: ReadonlySet<string>;
}
export const NO_REJECTORS: Rejectors = { unschedulable: new Set(), pending: new Set() };

/** isPodWorthRequeuing: decides for a pod (by key) with these rejectors whether event may help it. */
export type RequeueFn<E> = (key: string, rejectors: Rejectors, event: E) => Requeue;

/** What the queue sorts activeQ by (PrioritySort): higher priority first, then earlier timestamp. */
export interface QueueOrder {
  priority: number;
  timestamp: number;
}

interface PodState {
  attempts: number;
  lastAttempt: number;
  /** Set while parked in unschedulablePods. */
  parkedAt?: number;
  /** Set while waiting in backoffQ. */
  backoff?: Disposable;
  /** The last unschedulable attempt's rejecting plugins. */
  rejectors?: Rejectors;
}

/**
 * kube-scheduler's PriorityQueue: activeQ ordered by priority (desc) then the order's timestamp (asc, then
 * insertion), backoffQ (1s·2^(attempts−1) capped at 10s on the Clock) and unschedulablePods (parked until
 * a cluster event one of its rejecting plugins registered says may help — moveOnEvent with the RequeueFn, kube's
 * QueueingHints — or any event when no plugin rejected it, or moveAllToActiveOrBackoff (wildcard), or 5 minutes
 * pass). A pod is never handed out twice at once: adding a pod that is being scheduled re-queues it after done().
 * Events arriving while a pod is in flight are kept; when its attempt fails, those that may help it send it to
 * backoff (or active, for a pending plugin) instead of parking it (kube's in-flight events).
 */
export class SchedulingQueue<E = unknown> implements Disposable {
  private readonly active: string[] = [];
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly dirty = new Set<string>();
  private readonly pods = new Map<string, PodState>();
  /** In-flight pod → the event sequence number when it was popped. */
  private readonly poppedAtCycle = new Map<string, number>();
  /** Events since the oldest in-flight pod was popped (event undefined: wildcard). */
  private inFlightEvents: { seq: number; event: E | undefined }[] = [];
  /** The order of each pod in activeQ (set on entry, dropped when it leaves). */
  private readonly orders = new Map<string, QueueOrder & { seq: number }>();
  private nextSeq = 0;
  private eventSeq = 0;
  private waiters: ((key: string | undefined) => void)[] = [];
  private closed = false;
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly clock: Clock,
    private readonly order: (key: string) => QueueOrder = () => ({ priority: 0, timestamp: 0 }),
    private readonly requeue: RequeueFn<E> = () => 'backoff',
  ) {
    this.disposables.add(clock.every(FLUSH_UNSCHEDULABLE_EVERY_MS, () => this.flushUnschedulableLeftover()));
  }

  /** A new or changed pending pod: active now, or when its backoff expires. */
  add(key: string): void {
    const st = this.pods.get(key);
    if (st) st.parkedAt = undefined;
    const wait = st ? this.backoffRemaining(st) : 0;
    if (wait > 0 && st) this.toBackoff(key, st, wait);
    else this.activate(key);
  }

  /** The next pod to schedule (undefined after dispose). Call done(key) when the attempt ends. */
  pop(): Promise<string | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const key = this.active.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.leaveFlight(key);
    this.processing.delete(key);
    if (this.dirty.delete(key)) this.activate(key);
  }

  /**
   * The attempt found no fitting node; rejectors are the plugins that rejected it (none: any event moves it). Parks
   * the pod, unless an event during the attempt may help it: then backoff (or active for a pending plugin's Queue).
   * A pod never popped goes to backoff.
   */
  unschedulable(key: string, rejectors: Rejectors = NO_REJECTORS): void {
    const st = this.recordAttempt(key);
    st.rejectors = rejectors;
    const since = this.poppedAtCycle.get(key);
    let verdict: Requeue = since === undefined ? 'backoff' : 'skip';
    if (since !== undefined) {
      for (const e of this.inFlightEvents) {
        if (e.seq <= since) continue;
        const v = e.event === undefined ? 'backoff' : this.requeue(key, rejectors, e.event);
        if (v === 'immediate') {
          verdict = v;
          break;
        }
        if (v === 'backoff') verdict = v;
      }
    }
    this.leaveFlight(key);
    if (verdict === 'skip') st.parkedAt = this.clock.now();
    else if (verdict === 'immediate') this.activate(key);
    else this.toBackoff(key, st, this.backoffRemaining(st));
  }

  /** The attempt failed for another reason (API error, Reserve/PreBind/Bind failure): retry after backoff. */
  error(key: string): void {
    const st = this.recordAttempt(key);
    st.rejectors = NO_REJECTORS;
    this.leaveFlight(key);
    this.toBackoff(key, st, this.backoffRemaining(st));
  }

  /** The pod is bound or gone: forget it (also drops it from activeQ and backoffQ). */
  forget(key: string): void {
    this.pods.get(key)?.backoff?.dispose();
    this.pods.delete(key);
    this.dirty.delete(key);
    if (this.queued.delete(key)) this.active.splice(this.active.indexOf(key), 1);
    this.orders.delete(key);
  }

  isParked(key: string): boolean {
    return this.pods.get(key)?.parkedAt !== undefined;
  }

  /** Where the pod waits: active, backoff, unschedulable, or undefined when unknown. */
  where(key: string): 'active' | 'backoff' | 'unschedulable' | undefined {
    if (this.queued.has(key)) return 'active';
    const st = this.pods.get(key);
    if (st?.backoff) return 'backoff';
    if (st?.parkedAt !== undefined) return 'unschedulable';
    return undefined;
  }

  /** A cluster event: each parked pod whose RequeueFn verdict is not skip leaves unschedulablePods. */
  moveOnEvent(event: E): void {
    this.recordEvent(event);
    for (const [key, st] of this.pods) {
      if (st.parkedAt === undefined) continue;
      const v = this.requeue(key, st.rejectors ?? NO_REJECTORS, event);
      if (v === 'skip') continue;
      st.parkedAt = undefined;
      if (v === 'immediate') this.activate(key);
      else this.add(key);
    }
  }

  /** The wildcard event: every parked pod goes to active or backoff. */
  moveAllToActiveOrBackoff(): void {
    this.recordEvent(undefined);
    for (const [key, st] of this.pods) if (st.parkedAt !== undefined) this.add(key);
  }

  len(): number {
    return this.active.length;
  }

  dispose(): void {
    this.closed = true;
    for (const st of this.pods.values()) st.backoff?.dispose();
    for (const w of this.waiters.splice(0)) w(undefined);
    this.disposables.dispose();
  }

  private take(key: string): string {
    this.queued.delete(key);
    this.orders.delete(key);
    this.processing.add(key);
    this.poppedAtCycle.set(key, this.eventSeq);
    return key;
  }

  private recordEvent(event: E | undefined): void {
    const seq = ++this.eventSeq;
    if (!this.poppedAtCycle.size) return;
    if (this.inFlightEvents.length >= MAX_IN_FLIGHT_EVENTS) this.inFlightEvents = [{ seq, event: undefined }];
    else this.inFlightEvents.push({ seq, event });
  }

  /** The pod's attempt is over: drop the events no in-flight pod can still look at. */
  private leaveFlight(key: string): void {
    if (!this.poppedAtCycle.delete(key)) return;
    if (!this.inFlightEvents.length) return;
    if (!this.poppedAtCycle.size) {
      this.inFlightEvents = [];
      return;
    }
    let oldest = Infinity;
    for (const seq of this.poppedAtCycle.values()) if (seq < oldest) oldest = seq;
    let drop = 0;
    while (drop < this.inFlightEvents.length && this.inFlightEvents[drop].seq <= oldest) drop++;
    if (drop) this.inFlightEvents.splice(0, drop);
  }

  private activate(key: string): void {
    if (this.closed) return;
    const st = this.pods.get(key);
    if (st?.backoff) {
      st.backoff.dispose();
      st.backoff = undefined;
    }
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    const waiter = this.waiters.shift();
    if (waiter) return waiter(this.take(key));
    // binary insertion: priority desc, timestamp asc, then arrival. A queued pod's order is read once, when
    // it enters activeQ (a pod's priority and creationTimestamp are immutable).
    const o = { ...this.order(key), seq: this.nextSeq++ };
    this.orders.set(key, o);
    const before = (other: string) => {
      const p = this.orders.get(other)!;
      if (p.priority !== o.priority) return p.priority > o.priority;
      if (p.timestamp !== o.timestamp) return p.timestamp < o.timestamp;
      return p.seq < o.seq;
    };
    let lo = 0;
    let hi = this.active.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(this.active[mid])) lo = mid + 1;
      else hi = mid;
    }
    this.active.splice(lo, 0, key);
    this.queued.add(key);
  }

  private toBackoff(key: string, st: PodState, wait: number): void {
    if (wait <= 0) return this.activate(key);
    st.backoff?.dispose();
    st.backoff = this.clock.after(wait, () => {
      st.backoff = undefined;
      this.activate(key);
    });
  }

  private recordAttempt(key: string): PodState {
    const st = this.pods.get(key) ?? { attempts: 0, lastAttempt: 0 };
    st.attempts++;
    st.lastAttempt = this.clock.now();
    this.pods.set(key, st);
    return st;
  }

  private backoffRemaining(st: PodState): number {
    const backoff = Math.min(INITIAL_BACKOFF_MS * 2 ** Math.max(0, st.attempts - 1), MAX_BACKOFF_MS);
    return Math.max(0, st.lastAttempt + backoff - this.clock.now());
  }

  private flushUnschedulableLeftover(): void {
    const now = this.clock.now();
    for (const [key, st] of this.pods) {
      if (st.parkedAt !== undefined && now - st.parkedAt >= MAX_UNSCHEDULABLE_MS) this.add(key);
    }
  }
}
