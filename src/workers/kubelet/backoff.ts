import type { Clock } from '../../api/clock';

/**
 * client-go's flowcontrol.Backoff on the cluster Clock: per-key exponential back-off.
 * - next(key, at): starts at `initial` (or again at `initial` once the entry has been idle for 2×max),
 *   otherwise doubles up to `max`; records `at` as the entry's last update.
 * - isInBackOffSince(key, at): true while less than the current back-off has passed since `at`
 *   (the kubelet passes a container's finishedAt).
 * - isInBackOffSinceUpdate(key, at): true while `at` is less than the back-off after the last update
 *   (the image puller passes now).
 * - remaining(key, since): ms left until the back-off since `since` ends (0 when not in back-off).
 */
export class Backoff {
  private readonly entries = new Map<string, { backoff: number; lastUpdate: number }>();

  constructor(
    private readonly clock: Clock,
    readonly initial: number,
    readonly max: number,
  ) {}

  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  next(key: string, at: number): void {
    const e = this.entries.get(key);
    if (!e || this.expired(at, e.lastUpdate)) this.entries.set(key, { backoff: this.initial, lastUpdate: at });
    else this.entries.set(key, { backoff: Math.min(e.backoff * 2, this.max), lastUpdate: at });
  }

  isInBackOffSince(key: string, at: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(this.clock.now(), e.lastUpdate)) return false;
    return this.clock.now() - at < e.backoff;
  }

  isInBackOffSinceUpdate(key: string, at: number): boolean {
    const e = this.entries.get(key);
    if (!e || this.expired(this.clock.now(), e.lastUpdate)) return false;
    return at - e.lastUpdate < e.backoff;
  }

  remaining(key: string, since: number): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, since + e.backoff - this.clock.now());
  }

  /** ms until the back-off counted from the last update ends (0 when not in back-off). */
  remainingSinceUpdate(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    return Math.max(0, e.lastUpdate + e.backoff - this.clock.now());
  }

  /** Forgets every key with the given prefix (a pod's keys once it is gone). */
  forgetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  private expired(at: number, lastUpdate: number): boolean {
    return at - lastUpdate > this.max * 2;
  }
}
