import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Node, Pod } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../../api';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { createFsImageSource } from '../../node/fs-image-source';
import { createWorkerThreadsLauncher } from '../../node/worker-threads-launcher';
import { createWasmRuntime, openNodeDisk } from '../runtime';
import { EVICTION_MONITORING_MS } from './eviction-manager';
import { startKubelet } from './kubelet';

// Node-pressure eviction on one kubelet with real stress --vm containers (worker threads) on a 160Mi node.
beforeAll(() => ensureImagesBuilt(), 180_000);
const launcher = createWorkerThreadsLauncher();
afterAll(() => launcher.dispose());

const NODE = 'tabernetes-worker';
const stressPod = (name: string, bytes: string, request?: string): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', uid: `uid-${name}` },
  spec: {
    nodeName: NODE,
    restartPolicy: 'Always',
    containers: [{ name: 'stress', image: 'polinux/stress', command: ['stress'], args: ['--vm', '1', '--vm-bytes', bytes, '--vm-hang', '100'], ...(request ? { resources: { requests: { memory: request } } } : {}) }],
  },
  status: { phase: 'Pending' },
});

async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('kubelet node-pressure eviction', () => {
  it('evicts the pod using more than it requested with the kubelet message, and reports MemoryPressure', async () => {
    const clock = new FakeClock();
    const api = new FakeApiHandler();
    const ids = seededIds(5);
    const disk = await openNodeDisk(`kubelet-eviction-${process.pid}`);
    const runtime = createWasmRuntime({ nodeName: NODE, disk, clock, ids, images: createFsImageSource(), launcher });
    const kubelet = await startKubelet({ nodeName: NODE, client: new ApiClient(api), runtime, disk, clock, ids, nodeIndex: 1, capacity: { cpu: '2', memory: '160Mi', pods: '110' } });
    try {
      api.put('pods', stressPod('hog', '120M') as never);
      api.put('pods', stressPod('modest', '40M', '64Mi') as never);
      const pod = (name: string) => api.get('pods', 'default', name) as unknown as Pod;
      const node = () => api.get('nodes', undefined, NODE) as unknown as Node;
      const memoryPressure = () => node().status?.conditions?.find((c) => c.type === 'MemoryPressure');
      await until(() => pod('hog')?.status?.phase === 'Running' && pod('modest')?.status?.phase === 'Running', 'both pods Running');
      expect(memoryPressure()?.status).toBe('False');
      // both working sets together exceed 160Mi - 2Mi (the threshold (the threshold scaled to this node)
      await until(async () => ((await kubelet.api.statsSummary!()).node.memory.workingSetBytes ?? 0) > 158 << 20, 'the vm hogs to allocate');
      await clock.advance(EVICTION_MONITORING_MS);
      await until(() => pod('hog')?.status?.phase === 'Failed', 'hog evicted').catch((err) => {
        console.log(JSON.stringify(pod('hog').status), JSON.stringify(memoryPressure()), JSON.stringify((api.list('events') as unknown as Event[]).map((e) => e.reason)));
        throw err;
      });
      const hog = pod('hog').status!;
      expect(hog.reason).toBe('Evicted');
      expect(hog.message).toMatch(/^The node was low on resource: memory\. Threshold quantity: 2Mi, available: -?\d+(Ki|Mi)\. Container stress was using \d+Ki, request is 0, has larger consumption of memory\. $/);
      expect(hog.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'TerminationByKubelet', message: hog.message });
      await until(() => memoryPressure()?.status === 'True', 'MemoryPressure True');
      expect(memoryPressure()).toMatchObject({ reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' });
      const evicted = (api.list('events') as unknown as Event[]).filter((e) => e.reason === 'Evicted');
      expect(evicted.map((e) => [e.type, e.involvedObject.name, e.message])).toEqual([['Warning', 'hog', hog.message]]);
      expect(pod('modest').status?.phase).toBe('Running');
      // the hog's memory is released: the pressure clears at the next pass
      await kubelet.idle();
      await clock.advance(EVICTION_MONITORING_MS);
      await until(() => memoryPressure()?.status === 'False', 'MemoryPressure False');
      expect(pod('modest').status?.phase).toBe('Running');
    } finally {
      kubelet.dispose();
      runtime.dispose();
    }
  }, 90_000);
});
