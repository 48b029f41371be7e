import { afterEach } from 'vitest';
import type { LocalCluster } from '../src/cluster';
import { startThreadedTestCluster } from '../src/node/threaded-test-cluster';

/**
 * Returns boot(): a fresh threaded cluster (its own databases, named `<prefix>-<pid>-<n>`) that is
 * stopped after the test that booted it.
 */
export function threadedClusterPerTest(prefix: string, seed: number): () => Promise<LocalCluster> {
  const running: LocalCluster[] = [];
  let booted = 0;
  afterEach(async () => {
    for (const c of running.splice(0)) await c.stop();
  });
  return async () => {
    const { cluster } = await startThreadedTestCluster(`${prefix}-${process.pid}-${++booted}`, seed);
    running.push(cluster);
    return cluster;
  };
}
