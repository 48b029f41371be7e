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

  const writer = (name: string, spec: Record<string, unknown>): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { nodeName: NODE, restartPolicy: 'Always', ...spec } as Pod['spec'], status: { phase: 'Pending' } });
  // seq 1 300000 writes 1988895 bytes (about 1.9Mi)
  const fill = (path: string) => ['sh', '-c', `seq 1 300000 > ${path}; sleep 3600`];

  async function storageNode(diskName: string, ephemeral: string) {
    const clock = new FakeClock();
    const api = new FakeApiHandler();
    const ids = seededIds(7);
    const disk = await openNodeDisk(`${diskName}-${process.pid}`);
    const runtime = createWasmRuntime({ nodeName: NODE, disk, clock, ids, images: createFsImageSource(), launcher });
    const kubelet = await startKubelet({ nodeName: NODE, client: new ApiClient(api), runtime, disk, clock, ids, nodeIndex: 1, capacity: { cpu: '2', 'ephemeral-storage': ephemeral, memory: '8Gi', pods: '110' } });
    const pod = (name: string) => api.get('pods', 'default', name) as unknown as Pod;
    const podUsage = async (name: string) => (await kubelet.api.statsSummary!()).pods.find((p) => p.podRef.name === name)?.['ephemeral-storage']?.usedBytes ?? 0;
    return { clock, api, kubelet, runtime, pod, podUsage, dispose: () => (kubelet.dispose(), runtime.dispose()) };
  }

  it('evicts pods over an emptyDir sizeLimit and a container ephemeral-storage limit, with the kubelet messages', async () => {
    const n = await storageNode('kubelet-eviction-limits', '64Mi');
    try {
      n.api.put('pods', writer('cache', { volumes: [{ name: 'cache', emptyDir: { sizeLimit: '1Mi' } }], containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], volumeMounts: [{ name: 'cache', mountPath: '/cache' }] }] }) as never);
      n.api.put('pods', writer('layer', { containers: [{ name: 'idle', image: 'busybox', command: ['sleep', '3600'], resources: { limits: { 'ephemeral-storage': '4Mi' } } }, { name: 'writer', image: 'busybox', command: fill('/tmp/f'), resources: { limits: { 'ephemeral-storage': '1Mi' } } }] }) as never);
      n.api.put('pods', writer('calm', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], resources: { limits: { 'ephemeral-storage': '1Mi' } } }] }) as never);
      await until(() => ['cache', 'layer', 'calm'].every((p) => n.pod(p)?.status?.phase === 'Running'), 'pods Running');
      // A disk-backed emptyDir takes writes past its sizeLimit (only medium Memory stops at it); the data is
      // put into the node's filesystem directly rather than through a container, to keep the test fast.
      await until(() => n.pod('cache')?.status?.phase === 'Running', 'cache Running');
      const hostFs = n.runtime.hostFs;
      const dir = hostFs.resolve(hostFs.root, '/var/lib/kubelet/pods/uid-cache/volumes/kubernetes.io~empty-dir/cache');
      hostFs.create('file', dir, 'f').write(0, new Uint8Array(1988895));
      await until(async () => (await n.podUsage('cache')) >= 1988895 && (await n.podUsage('layer')) >= 1988895, 'the files written').catch(async (err) => {
        console.log(JSON.stringify((await n.kubelet.api.statsSummary!()).pods.map((p) => [p.podRef.name, p['ephemeral-storage'], p.volume, p.containers.map((c) => c.rootfs)])));
        throw err;
      });
      const summary = await n.kubelet.api.statsSummary!();
      const layer = summary.pods.find((p) => p.podRef.name === 'layer')!;
      expect(layer.containers.find((c) => c.name === 'writer')?.rootfs?.usedBytes).toBe(1988895);
      expect(summary.pods.find((p) => p.podRef.name === 'cache')?.volume).toMatchObject([{ name: 'cache', usedBytes: 1988895 }]);
      expect(summary.node.fs).toMatchObject({ capacityBytes: 64 << 20 });
      await n.clock.advance(EVICTION_MONITORING_MS);
      await until(() => n.pod('cache')?.status?.phase === 'Failed' && n.pod('layer')?.status?.phase === 'Failed', 'both evicted');
      expect(n.pod('cache').status).toMatchObject({ reason: 'Evicted', message: 'Usage of EmptyDir volume "cache" exceeds the limit "1Mi". ' });
      expect(n.pod('layer').status).toMatchObject({ reason: 'Evicted', message: 'Container writer exceeded its local ephemeral storage limit "1Mi". ' });
      expect(n.pod('cache').status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toBeUndefined();
      const events = (n.api.list('events') as unknown as Event[]).filter((e) => e.reason === 'Evicted');
      expect(events.map((e) => [e.type, e.involvedObject.name, e.message]).sort()).toEqual([
        ['Warning', 'cache', 'Usage of EmptyDir volume "cache" exceeds the limit "1Mi". '],
        ['Warning', 'layer', 'Container writer exceeded its local ephemeral storage limit "1Mi". '],
      ]);
      expect(n.pod('calm').status?.phase).toBe('Running');
      const node = n.api.get('nodes', undefined, NODE) as unknown as Node;
      expect(node.status?.conditions?.find((c) => c.type === 'DiskPressure')).toMatchObject({ status: 'False', reason: 'KubeletHasNoDiskPressure' });
    } finally {
      n.dispose();
    }
  }, 90_000);

  it('reports DiskPressure when nodefs.available drops under 10% and evicts the pod using the disk', async () => {
    const n = await storageNode('kubelet-eviction-disk', '2Mi'); // threshold 209715 bytes
    try {
      const diskPressure = () => (n.api.get('nodes', undefined, NODE) as unknown as Node).status?.conditions?.find((c) => c.type === 'DiskPressure');
      n.api.put('pods', writer('filler', { containers: [{ name: 'filler', image: 'busybox', command: fill('/tmp/f') }] }) as never);
      n.api.put('pods', writer('quiet', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], resources: { requests: { 'ephemeral-storage': '100Ki' } } }] }) as never);
      await until(() => n.pod('filler')?.status?.phase === 'Running' && n.pod('quiet')?.status?.phase === 'Running', 'pods Running');
      await until(async () => (await n.podUsage('filler')) >= 1988895, 'the file written');
      await n.clock.advance(EVICTION_MONITORING_MS);
      await until(() => n.pod('filler')?.status?.phase === 'Failed', 'filler evicted');
      const status = n.pod('filler').status!;
      expect(status.reason).toBe('Evicted');
      expect(status.message).toMatch(/^The node was low on resource: ephemeral-storage\. Threshold quantity: 209715, available: \d+\. Container filler was using \d+, request is 0, has larger consumption of ephemeral-storage\. $/);
      expect(status.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({ status: 'True', reason: 'TerminationByKubelet', message: status.message });
      await until(() => diskPressure()?.status === 'True', 'DiskPressure True');
      expect(diskPressure()).toMatchObject({ reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' });
      expect(n.pod('quiet').status?.phase).toBe('Running');
      // a pod bound while the node has DiskPressure is rejected by the kubelet's admission (it never starts)
      n.api.put('pods', writer('late', { containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'] }] }) as never);
      await until(() => n.pod('late')?.status?.phase === 'Failed', 'late rejected');
      expect(n.pod('late').status).toMatchObject({ phase: 'Failed', reason: 'Evicted', message: 'Pod was rejected: The node had condition: [DiskPressure]. ', qosClass: 'BestEffort' });
      expect(n.pod('late').status?.containerStatuses).toBeUndefined();
      const rejected = (n.api.list('events') as unknown as Event[]).filter((e) => e.involvedObject.name === 'late');
      expect(rejected.map((e) => [e.type, e.reason, e.message])).toEqual([['Warning', 'Evicted', 'The node had condition: [DiskPressure]. ']]);
      // the filler's layer is gone with its container: the pressure clears at the next pass
      await n.kubelet.idle();
      await n.clock.advance(EVICTION_MONITORING_MS);
      await until(() => diskPressure()?.status === 'False', 'DiskPressure False');
      expect(diskPressure()).toMatchObject({ reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' });
      expect(n.pod('quiet').status?.phase).toBe('Running');
    } finally {
      n.dispose();
    }
  }, 90_000);
});
