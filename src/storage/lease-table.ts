/** A lease as persisted (the IndexedDB `leases` store, keyed by id). */
export interface LeaseRecord {
  id: number;
  /** The granted TTL in seconds. */
  ttl: number;
  /** Cluster time (ms) at which the lease expires unless kept alive. */
  deadline: number;
}

/**
 * The live leases, in memory. Ids are handed out from a counter that only grows (persisted as leaseSeq),
 * so a revoked id is never reused. Which keys a lease holds is not tracked here: the MVCC index is the
 * truth (a key's current record names its lease), and revoke scans it.
 */
export class LeaseTable {
  private readonly leases = new Map<number, LeaseRecord>();

  constructor(
    records: readonly LeaseRecord[] = [],
    private lastId = 0,
  ) {
    for (const r of records) {
      this.leases.set(r.id, { ...r });
      this.lastId = Math.max(this.lastId, r.id);
    }
  }

  /** The highest id ever granted. */
  get seq(): number {
    return this.lastId;
  }

  get(id: number): LeaseRecord | undefined {
    return this.leases.get(id);
  }

  has(id: number): boolean {
    return this.leases.has(id);
  }

  grant(ttlSeconds: number, now: number): LeaseRecord {
    const rec: LeaseRecord = { id: ++this.lastId, ttl: ttlSeconds, deadline: now + ttlSeconds * 1000 };
    this.leases.set(rec.id, rec);
    return rec;
  }

  /** Puts rec back exactly (undo of a failed commit, or a refresh). */
  set(rec: LeaseRecord): void {
    this.leases.set(rec.id, rec);
  }

  remove(id: number): void {
    this.leases.delete(id);
  }

  /** Leases whose deadline is at or before now, oldest deadline first. */
  expired(now: number): LeaseRecord[] {
    return [...this.leases.values()].filter((l) => l.deadline <= now).sort((a, b) => a.deadline - b.deadline);
  }

  all(): LeaseRecord[] {
    return [...this.leases.values()].sort((a, b) => a.id - b.id);
  }
}
