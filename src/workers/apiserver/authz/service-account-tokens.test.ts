import { describe, expect, it } from 'vitest';
import type { ServiceAccount } from 'kubernetes-types/core/v1';
import { FakeClock } from '../../../api/clock';
import { seededIds } from '../../../api/ids';
import { createMemoryStore } from '../../../storage/create-memory-store';
import { API_AUDIENCE, ServiceAccountTokens } from './service-account-tokens';

const saKey = (ns: string, name: string) => `/registry/serviceaccounts/${ns}/${name}`;
const sa = (name: string, uid: string): ServiceAccount => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'default', uid } });

describe('ServiceAccountTokens', () => {
  it('bench: verify cost per request', async () => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    const tokens = new ServiceAccountTokens(store, clock, seededIds(1));
    await store.create(saKey('default', 'bench'), JSON.stringify(sa('bench', 'u1')));
    const { token } = await tokens.issue(sa('bench', 'u1'), [API_AUDIENCE], 3600);
    for (let i = 0; i < 200; i++) await tokens.verify(token);
    const n = 5000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) expect(await tokens.verify(token)).toBeDefined();
    console.log(`verify: ${(((performance.now() - t0) / n) * 1000).toFixed(1)} µs/request (token ${token.length} chars)`);
  });
});

describe('ServiceAccountTokens verify cache', () => {
  const setup = async (cacheSize?: number) => {
    const store = createMemoryStore();
    const clock = new FakeClock();
    const tokens = new ServiceAccountTokens(store, clock, seededIds(2), cacheSize);
    await store.create(saKey('default', 'app'), JSON.stringify(sa('app', 'u1')));
    const { token } = await tokens.issue(sa('app', 'u1'), [API_AUDIENCE], 600);
    return { store, clock, tokens, token };
  };

  it('keeps answering a cached token until it expires', async () => {
    const { clock, tokens, token } = await setup();
    expect((await tokens.verify(token))?.username).toBe('system:serviceaccount:default:app');
    await clock.advance(599_000);
    expect((await tokens.verify(token))?.uid).toBe('u1');
    await clock.advance(1_000);
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('stops a cached token once its ServiceAccount is deleted, terminating or re-created with another uid', async () => {
    const { store, tokens, token } = await setup();
    expect(await tokens.verify(token)).toBeDefined();
    const kv = (await store.get(saKey('default', 'app'))).kv!;
    // An unrelated update (labels) keeps it valid.
    await store.update(saKey('default', 'app'), JSON.stringify({ ...sa('app', 'u1'), metadata: { ...sa('app', 'u1').metadata, labels: { a: 'b' } } }), kv.modRevision);
    expect(await tokens.verify(token)).toBeDefined();
    const kv2 = (await store.get(saKey('default', 'app'))).kv!;
    await store.update(saKey('default', 'app'), JSON.stringify({ ...sa('app', 'u1'), metadata: { ...sa('app', 'u1').metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }), kv2.modRevision);
    expect(await tokens.verify(token)).toBeUndefined();
    await store.delete(saKey('default', 'app'));
    expect(await tokens.verify(token)).toBeUndefined();
    await store.create(saKey('default', 'app'), JSON.stringify(sa('app', 'u2')));
    expect(await tokens.verify(token)).toBeUndefined();
  });

  it('rejects a tampered token even while the original is cached, and evicts the least recently used', async () => {
    const { store, tokens, token } = await setup(2);
    expect(await tokens.verify(token)).toBeDefined();
    const [h, p] = token.split('.');
    expect(await tokens.verify(`${h}.${p}.${'A'.repeat(43)}`)).toBeUndefined();
    const others = [];
    for (const name of ['b', 'c']) {
      await store.create(saKey('default', name), JSON.stringify(sa(name, `u-${name}`)));
      others.push((await tokens.issue(sa(name, `u-${name}`), [API_AUDIENCE], 600)).token);
    }
    for (const t of others) expect(await tokens.verify(t)).toBeDefined();
    // Evicted tokens verify again through the signature.
    expect((await tokens.verify(token))?.username).toBe('system:serviceaccount:default:app');
  });
});
