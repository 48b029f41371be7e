import 'fake-indexeddb/auto';
import { FakeClock, seededIds } from '../api';
import { startLocalCluster, type LocalCluster } from '../cluster';
import { createFsImageSource } from './fs-image-source';
import { createWorkerThreadsLauncher } from './worker-threads-launcher';

/**
 * A whole cluster for tests that need real, long-running containers: fake-indexeddb databases named
 * after `tag` (keep tags unique per boot), a FakeClock that only moves when told to, the images in
 * public/images, and one worker_threads thread per container. Build the images first (ensureImagesBuilt).
 */
export async function startThreadedTestCluster(tag: string, seed = 77): Promise<{ cluster: LocalCluster; clock: FakeClock }> {
  const clock = new FakeClock();
  const cluster = await startLocalCluster({
    storeName: `etcd-${tag}`,
    diskName: (n) => `${tag}-${n}`,
    clock,
    ids: seededIds(seed),
    images: createFsImageSource(),
    launcher: createWorkerThreadsLauncher({ clockBase: { wall: Date.now(), cluster: clock.now(), speed: 1 } }),
  });
  return { cluster, clock };
}
