import type { Clock } from '../api/clock';
import { StoreError, type Store } from './store';

/**
 * Hands out leases for keys that must expire after a TTL, reusing one lease for many keys like
 * kube-apiserver's etcd3 leaseManager: a lease is granted for ttl + reuse seconds and handed out for
 * `reuse` seconds (min(5% of ttl, 60 s)), so every key lives at least ttl and at most ttl + reuse.
 * Concurrent get() calls share one grant. A lease that vanished (revoked or expired early) is replaced.
 */
export class LeaseManager {
  private readonly current = new Map<number, { id: number; until: number }>();
  private readonly pending = new Map<number, Promise<number>>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** A lease id that keeps a key for at least ttlSeconds of cluster time. */
  get(ttlSeconds: number): Promise<number> {
    const reuse = Math.min(Math.floor(ttlSeconds * 0.05), 60);
    const now = this.clock.now();
    const cur = this.current.get(ttlSeconds);
    if (cur && now < cur.until) return Promise.resolve(cur.id);
    let p = this.pending.get(ttlSeconds);
    if (!p) {
      p = this.store.leaseGrant(ttlSeconds + reuse).then(
        (id) => {
          this.current.set(ttlSeconds, { id, until: now + reuse * 1000 });
          this.pending.delete(ttlSeconds);
          return id;
        },
        (err: unknown) => {
          this.pending.delete(ttlSeconds);
          throw err;
        },
      );
      this.pending.set(ttlSeconds, p);
    }
    return p;
  }

  /**
   * Runs write with a lease for ttlSeconds; if the store says the lease is gone (LeaseNotFound), forgets it
   * and retries once with a fresh one. Other errors pass through.
   */
  async withLease<T>(ttlSeconds: number, write: (lease: number) => Promise<T>): Promise<T> {
    const id = await this.get(ttlSeconds);
    try {
      return await write(id);
    } catch (err) {
      if (!(err instanceof StoreError && err.code === 'LeaseNotFound')) throw err;
      this.forget(id);
      return write(await this.get(ttlSeconds));
    }
  }

  /** Forgets a lease the store reported missing (LeaseNotFound), so the next get() grants a new one. */
  forget(id: number): void {
    for (const [ttl, cur] of this.current) if (cur.id === id) this.current.delete(ttl);
  }
}

const shared = new WeakMap<Store, LeaseManager>();

/** The one LeaseManager of a store (the apiserver's handlers share it). */
export function leaseManagerFor(store: Store, clock: Clock): LeaseManager {
  let m = shared.get(store);
  if (!m) shared.set(store, (m = new LeaseManager(store, clock)));
  return m;
}
