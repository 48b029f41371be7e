import type { Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';

/**
 * kubelet's pod workers: one serial lane per pod uid.
 *
 * Contracts:
 * - sync(uid) never runs twice at once for the same uid; update() during a sync runs one more sync after it
 *   (coalesced: any number of updates during a sync cause exactly one follow-up).
 * - sync resolves with a delay in ms to sync again after (requeue), or undefined. A pending requeue is
 *   replaced by an earlier one, never by a later one; an update() cancels nothing (the timer still fires).
 * - A sync that throws is logged once per uid and requeued after 10 s (kubelet's workerBackOffPeriod).
 * - After dispose() no sync starts and every timer is cancelled.
 */
export class PodWorkers implements Disposable {
  private readonly lanes = new Map<string, { running: boolean; again: boolean; timer?: Disposable; timerAt?: number; done?: Promise<void> }>();
  private disposed = false;
  private readonly warned = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly sync: (uid: string) => Promise<number | undefined>,
  ) {}

  update(uid: string): void {
    if (this.disposed) return;
    const lane = this.lane(uid);
    if (lane.running) {
      lane.again = true;
      return;
    }
    lane.running = true;
    lane.done = this.run(uid, lane);
  }

  requeue(uid: string, ms: number): void {
    if (this.disposed) return;
    const lane = this.lane(uid);
    const at = this.clock.now() + Math.max(0, ms);
    if (lane.timer && lane.timerAt !== undefined && lane.timerAt <= at) return;
    lane.timer?.dispose();
    lane.timerAt = at;
    lane.timer = this.clock.after(Math.max(0, ms), () => {
      lane.timer = undefined;
      lane.timerAt = undefined;
      this.update(uid);
    });
  }

  /** Drops the uid's lane once its current sync finishes (the pod is gone for good). */
  forget(uid: string): void {
    const lane = this.lanes.get(uid);
    if (!lane) return;
    lane.timer?.dispose();
    if (!lane.running) this.lanes.delete(uid);
  }

  /** Resolves when no lane is running (tests, orderly shutdown). */
  async idle(): Promise<void> {
    for (;;) {
      const busy = [...this.lanes.values()].filter((l) => l.running).map((l) => l.done);
      if (!busy.length) return;
      await Promise.all(busy);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const lane of this.lanes.values()) lane.timer?.dispose();
  }

  private lane(uid: string) {
    let lane = this.lanes.get(uid);
    if (!lane) this.lanes.set(uid, (lane = { running: false, again: false }));
    return lane;
  }

  private async run(uid: string, lane: { running: boolean; again: boolean }): Promise<void> {
    try {
      do {
        lane.again = false;
        if (this.disposed) break;
        let delay: number | undefined;
        try {
          delay = await this.sync(uid);
        } catch (err) {
          if (!this.warned.has(uid)) {
            this.warned.add(uid);
            console.warn(`kubelet: error syncing pod ${uid}:`, err instanceof Error ? err.message : err);
          }
          delay = 10_000;
        }
        if (delay !== undefined) this.requeue(uid, delay);
      } while (lane.again && !this.disposed);
    } finally {
      lane.running = false;
    }
  }
}
