import { describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock';
import { createMemoryStore } from './create-memory-store';
import { LeaseManager } from './lease-manager';

describe('LeaseManager', () => {
  it('reuses one lease for 60 s of a 1 h TTL, granted for ttl + 60 s; concurrent callers share a grant', async () => {
    const clock = new FakeClock();
    const s = createMemoryStore({ clock });
    const m = new LeaseManager(s, clock);
    const [a, b] = await Promise.all([m.get(3600), m.get(3600)]);
    expect(a).toBe(b);
    expect(await s.leaseTimeToLive(a)).toMatchObject({ grantedTtl: 3660 });
    await clock.advance(59_000);
    expect(await m.get(3600)).toBe(a);
    await clock.advance(1_000);
    const c = await m.get(3600);
    expect(c).not.toBe(a);
    expect((await m.get(100)) !== c).toBe(true);
    expect(await s.leaseTimeToLive(await m.get(100))).toMatchObject({ grantedTtl: 105 });
    await s.close();
  });

  it('withLease retries once with a fresh lease when the handed-out one was revoked', async () => {
    const clock = new FakeClock();
    const s = createMemoryStore({ clock });
    const m = new LeaseManager(s, clock);
    const first = await m.get(3600);
    await s.leaseRevoke(first);
    const r = await m.withLease(3600, (lease) => s.create('/e', 'v', lease));
    expect(r.kv.lease).not.toBe(first);
    expect((await s.leaseTimeToLive(r.kv.lease)).keys).toEqual(['/e']);
    await expect(m.withLease(3600, () => s.create('/e', 'again'))).rejects.toMatchObject({ code: 'KeyExists' });
    await s.close();
  });
});
