import type { Store } from './store';

/** The benchmark workload (the same one scripts/bench-store.mjs runs against etcd). */
export interface StoreBenchSpec {
  valueBytes: number;
  /** Sequential puts, each awaited before the next. */
  sequentialOps: number;
  /** Concurrent writers, each issuing opsPerWriter awaited puts back to back. */
  writers: number;
  opsPerWriter: number;
  /** Keys under one prefix, then ranged rangeReps times. */
  rangeKeys: number;
  rangeReps: number;
  /** Watchers on one prefix; watchEvents awaited puts, latency from put call to each watcher's callback. */
  watchers: number;
  watchEvents: number;
}

export const DEFAULT_BENCH_SPEC: StoreBenchSpec = {
  valueBytes: 1024,
  sequentialOps: 2000,
  writers: 100,
  opsPerWriter: 50,
  rangeKeys: 10_000,
  rangeReps: 10,
  watchers: 20,
  watchEvents: 200,
};

export interface StoreBenchResult {
  sequentialPut: { ops: number; opsPerSec: number; p50Ms: number; p99Ms: number };
  concurrentPut: { writers: number; ops: number; opsPerSec: number; p50Ms: number; p99Ms: number };
  range: { keys: number; p50Ms: number; maxMs: number };
  watch: { watchers: number; events: number; p50Ms: number; p99Ms: number };
}

/** Runs the workload (every write an unconditional put, as etcdctl put) on a fresh, empty store; `now` is a monotonic millisecond clock (performance.now). */
export async function runStoreBench(store: Store, spec: StoreBenchSpec, now: () => number): Promise<StoreBenchResult> {
  const value = 'x'.repeat(spec.valueBytes);
  const put = (key: string, v: string) => store.txn({ success: [{ type: 'put', key, value: v }] });

  const seqLat: number[] = [];
  let t0 = now();
  for (let i = 0; i < spec.sequentialOps; i++) {
    const s = now();
    await put(`/bench/seq/${i % 100}`, value);
    seqLat.push(now() - s);
  }
  const seqMs = now() - t0;

  const conLat: number[] = [];
  t0 = now();
  await Promise.all(
    Array.from({ length: spec.writers }, async (_, w) => {
      for (let i = 0; i < spec.opsPerWriter; i++) {
        const s = now();
        await put(`/bench/con/${w}/${i % 10}`, value);
        conLat.push(now() - s);
      }
    }),
  );
  const conMs = now() - t0;

  for (let i = 0; i < spec.rangeKeys; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, spec.rangeKeys - i) }, (_, j) => store.create(`/bench/range/${String(i + j).padStart(6, '0')}`, value)));
  }
  const rangeLat: number[] = [];
  for (let i = 0; i < spec.rangeReps; i++) {
    const s = now();
    const r = await store.list('/bench/range/');
    if (r.count !== spec.rangeKeys) throw new Error(`range returned ${r.count} keys, expected ${spec.rangeKeys}`);
    rangeLat.push(now() - s);
  }

  const started = new Map<string, number>();
  const watchLat: number[] = [];
  const subs = Array.from({ length: spec.watchers }, () =>
    store.watch('/bench/watch/', 0, {
      onEvents(events) {
        const t = now();
        for (const e of events) watchLat.push(t - (started.get(e.kv.value) ?? t));
      },
    }),
  );
  await Promise.resolve();
  for (let i = 0; i < spec.watchEvents; i++) {
    const tag = `${i}`;
    started.set(tag, now());
    await put('/bench/watch/k', tag);
  }
  for (let i = 0; i < 100 && watchLat.length < spec.watchers * spec.watchEvents; i++) await new Promise<void>((r) => queueMicrotask(r));
  for (const s of subs) s.dispose();

  return {
    sequentialPut: { ops: spec.sequentialOps, opsPerSec: round((spec.sequentialOps / seqMs) * 1000), p50Ms: pct(seqLat, 50), p99Ms: pct(seqLat, 99) },
    concurrentPut: { writers: spec.writers, ops: conLat.length, opsPerSec: round((conLat.length / conMs) * 1000), p50Ms: pct(conLat, 50), p99Ms: pct(conLat, 99) },
    range: { keys: spec.rangeKeys, p50Ms: pct(rangeLat, 50), maxMs: round(Math.max(...rangeLat), 3) },
    watch: { watchers: spec.watchers, events: watchLat.length, p50Ms: pct(watchLat, 50), p99Ms: pct(watchLat, 99) },
  };
}

/** Nearest-rank percentile, rounded to 0.001 ms. */
export function pct(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)], 3);
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
