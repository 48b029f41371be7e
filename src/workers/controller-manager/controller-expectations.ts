import type { Clock } from '../../api/clock';

/** client-go's ExpectationsTimeout: expectations older than this are considered satisfied (a lost watch event). */
export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

/**
 * kube's UIDTrackingControllerExpectations, keyed by controller key: how many creations it still expects to
 * observe and which pod keys it expects to see deleted. A controller only manages replicas when satisfied(),
 * so a lagging informer never makes it create or delete twice.
 */
export class ControllerExpectations {
  private readonly records = new Map<string, { add: number; dels: Set<string>; at: number }>();

  constructor(private readonly clock: Clock) {}

  /** True when nothing is pending for key, no record exists, or the record has expired. */
  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (!r) return true;
    return (r.add <= 0 && r.dels.size === 0) || this.clock.now() - r.at > EXPECTATIONS_TIMEOUT_MS;
  }

  /** Both at once (a DaemonSet pass may create on some nodes and delete on others). */
  expect(key: string, adds: number, podKeys: string[]): void {
    this.records.set(key, { add: adds, dels: new Set(podKeys), at: this.clock.now() });
  }

  expectCreations(key: string, n: number): void {
    this.records.set(key, { add: n, dels: new Set(), at: this.clock.now() });
  }

  expectDeletions(key: string, podKeys: string[]): void {
    this.records.set(key, { add: 0, dels: new Set(podKeys), at: this.clock.now() });
  }

  creationObserved(key: string): void {
    const r = this.records.get(key);
    if (r) r.add--;
  }

  deletionObserved(key: string, podKey: string): void {
    this.records.get(key)?.dels.delete(podKey);
  }

  delete(key: string): void {
    this.records.delete(key);
  }
}
