import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './create-memory-store';
import { runStoreBench } from './run-store-bench';

describe('runStoreBench', () => {
  it('runs every workload and reports each figure', async () => {
    const s = createMemoryStore();
    const r = await runStoreBench(s, { valueBytes: 16, sequentialOps: 20, writers: 5, opsPerWriter: 4, rangeKeys: 600, rangeReps: 2, watchers: 3, watchEvents: 5 }, () => performance.now());
    expect(r.sequentialPut.ops).toBe(20);
    expect(r.concurrentPut.ops).toBe(20);
    expect(r.range.keys).toBe(600);
    expect(r.watch.events).toBe(15);
    expect(r.concurrentPut.opsPerSec).toBeGreaterThan(0);
    expect(s.currentRevision()).toBe(1 + 20 + 20 + 600 + 5);
  });
});
