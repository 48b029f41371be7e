import type { Clock } from '../../api/clock';
import { DisposableStore, type Disposable } from '../../api/disposable';
import { createWorkQueue, type WorkQueue } from '../../client/workqueue';

/** kube-scheduler defaults: podInitialBackoffDuration 1s, podMaxBackoffDuration 10s, podMaxInUnschedulablePodsDuration 5m. */
export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;
export const MAX_UNSCHEDULABLE_MS = 5 * 60_000;
const FLUSH_UNSCHEDULABLE_EVERY_MS = 30_000;

interface PodState {
  attempts: number;
  lastAttempt: number;
  /** Set while parked in unschedulablePods. */
  parkedAt?: number;
}

/**
 * kube-scheduler's PriorityQueue, reduced: activeQ (a stingy FIFO: one pod is never scheduled twice at once),
 * backoffQ (delayed adds on the Clock, 1s·2^(attempts-1) capped at 10s) and unschedulablePods (parked until a
 * cluster event — moveAllToActiveOrBackoff — or 5 minutes pass). A pod that fails while a cluster event
 * arrived during its attempt goes to backoff instead of being parked (kube's moveRequestCycle).
 */
export class SchedulingQueue implements Disposable {
  private readonly active: WorkQueue<string>;
  private readonly pods = new Map<string, PodState>();
  private readonly poppedAtCycle = new Map<string, number>();
  private moveCycle = 0;
  private readonly disposables = new DisposableStore();

  constructor(private readonly clock: Clock) {
    this.active = createWorkQueue<string>(clock);
    this.disposables.add(clock.every(FLUSH_UNSCHEDULABLE_EVERY_MS, () => this.flushUnschedulableLeftover()));
    this.disposables.add({ dispose: () => this.active.shutDown() });
  }

  /** A new or changed pending pod: active now, or when its backoff expires. */
  add(key: string): void {
    const st = this.pods.get(key);
    if (st) st.parkedAt = undefined;
    const wait = st ? this.backoffRemaining(st) : 0;
    if (wait > 0) this.active.addAfter(key, wait);
    else this.active.add(key);
  }

  /** The next pod to schedule (undefined after dispose). Call done(key) when the attempt ends. */
  async pop(): Promise<string | undefined> {
    const key = await this.active.get();
    if (key !== undefined) this.poppedAtCycle.set(key, this.moveCycle);
    return key;
  }

  done(key: string): void {
    this.poppedAtCycle.delete(key);
    this.active.done(key);
  }

  /** The attempt found no fitting node: park the pod (or back it off if the cluster changed meanwhile). */
  unschedulable(key: string): void {
    const st = this.recordAttempt(key);
    if (this.poppedAtCycle.get(key) !== this.moveCycle) {
      this.active.addAfter(key, this.backoffRemaining(st));
    } else {
      st.parkedAt = this.clock.now();
    }
  }

  /** The attempt failed for another reason (API error): retry after backoff. */
  error(key: string): void {
    const st = this.recordAttempt(key);
    this.active.addAfter(key, this.backoffRemaining(st));
  }

  /** The pod is bound or gone: forget it. */
  forget(key: string): void {
    this.pods.delete(key);
  }

  isParked(key: string): boolean {
    return this.pods.get(key)?.parkedAt !== undefined;
  }

  /** A cluster event that may make parked pods schedulable (node added, updated, pod removed). */
  moveAllToActiveOrBackoff(): void {
    this.moveCycle++;
    for (const [key, st] of this.pods) {
      if (st.parkedAt === undefined) continue;
      this.add(key);
    }
  }

  len(): number {
    return this.active.len();
  }

  dispose(): void {
    this.disposables.dispose();
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
