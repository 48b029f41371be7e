import 'fake-indexeddb/auto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Event, Pod } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../../api';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { ensureImagesBuilt } from '../../node/ensure-images-built';
import { createFsImageSource } from '../../node/fs-image-source';
import { createInProcessLauncher, createWasmRuntime, KILLED_EXIT_CODE, openNodeDisk, type ProcessExit, type ProcessLauncher, type WasmRuntime } from '../runtime';
import type { NodeDisk } from '../runtime/cri';
import { startKubelet, type Kubelet } from './kubelet';

// The kubelet state machine against the real WASM runtime (in-process launcher) and a fake apiserver.
beforeAll(() => ensureImagesBuilt(), 120_000);

const NODE = 'tabernetes-worker';
let seq = 0;

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

interface Node1 {
  clock: FakeClock;
  api: FakeApiHandler;
  disk: NodeDisk;
  runtime: WasmRuntime;
  kubelet: Kubelet;
}

const live: Node1[] = [];
afterEach(() => {
  for (const n of live.splice(0)) {
    n.kubelet.dispose();
    n.runtime.dispose();
  }
});

/** A launcher whose processes run until killed (a long-running container). */
const foreverLauncher = (): ProcessLauncher => ({
  launch() {
    let settle!: (e: ProcessExit) => void;
    const noop = () => undefined;
    return { exited: new Promise((r) => (settle = r)), kill: () => settle({ exitCode: KILLED_EXIT_CODE, killed: true }), writeStdin: noop, closeStdin: noop, signal: noop };
  },
});

async function start(api: FakeApiHandler, clock: FakeClock, diskName: string, launcher?: ProcessLauncher): Promise<Node1> {
  const ids = seededIds(++seq);
  const disk = await openNodeDisk(diskName);
  const runtime = createWasmRuntime({ nodeName: NODE, disk, clock, ids, images: createFsImageSource(), launcher: launcher ?? createInProcessLauncher({ clock, ids }) });
  const kubelet = await startKubelet({ nodeName: NODE, client: new ApiClient(api), runtime, disk, clock, ids, nodeIndex: 1 });
  const n = { clock, api, disk, runtime, kubelet };
  live.push(n);
  return n;
}

function helloPod(name: string, restartPolicy: string, image = 'hello-world', args?: string[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { nodeName: NODE, restartPolicy, containers: [{ name: 'hello', image, ...(args ? { args } : {}), env: [{ name: 'GREETING', value: 'hi $(POD)' }, { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] },
    status: { phase: 'Pending' },
  };
}

const podOf = (api: FakeApiHandler, name: string) => api.get('pods', 'default', name) as unknown as Pod | undefined;

describe('kubelet on the WASM runtime', () => {
  it('runs hello-world to Completed and serves its log', async () => {
    const clock = new FakeClock();
    const api = new FakeApiHandler();
    const n = await start(api, clock, `kubelet-wasm-${seq}-a`);
    api.put('pods', helloPod('hello', 'Never') as never);
    await until(() => podOf(api, 'hello')?.status?.phase === 'Succeeded', 'Succeeded');
    await n.kubelet.idle();
    const cs = podOf(api, 'hello')!.status!.containerStatuses![0];
    expect(cs.state?.terminated).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(cs.imageID).toMatch(/^docker\.io\/library\/hello-world@sha256:[0-9a-f]{64}$/);
    const logs = await n.kubelet.api.containerLogs('default', 'hello', 'hello', {});
    expect(logs).toContain('Hello from Tabernetes!');
    expect(logs).toContain('GREETING=hi $(POD)');
    expect(logs).toContain('hello-world: done');
    const stamped = await n.kubelet.api.containerLogs('default', 'hello', 'hello', { timestamps: true, tailLines: 1 });
    expect(stamped).toMatch(/^2026-01-01T00:00:\d\d(\.\d+)?Z hello-world: done\n$/);
    const reasons = (api.list('events') as unknown as Event[]).map((e) => e.reason);
    expect(reasons).toEqual(['Pulling', 'Pulled', 'Created', 'Started']);
  });

  it('leaves a Succeeded pod, its status and logs alone after a reload', async () => {
    const clock = new FakeClock();
    const api = new FakeApiHandler();
    const disk = `kubelet-wasm-${seq}-b`;
    const first = await start(api, clock, disk);
    api.put('pods', helloPod('done', 'Never') as never);
    await until(() => podOf(api, 'done')?.status?.phase === 'Succeeded', 'Succeeded');
    await first.kubelet.idle();
    const doneStatus = podOf(api, 'done')!.status;
    first.kubelet.dispose();
    first.runtime.dispose();
    live.splice(0);

    const second = await start(api, clock, disk);
    await clock.advance(1000);
    await new Promise((r) => setTimeout(r, 50));
    await second.kubelet.idle();
    expect(podOf(api, 'done')!.status).toEqual(doneStatus);
    expect(await second.kubelet.api.containerLogs('default', 'done', 'hello', {})).toContain('Hello from Tabernetes!');
    const started = (api.list('events') as unknown as Event[]).filter((e) => e.reason === 'Started');
    expect(started).toHaveLength(1);
  });

  it('after a reload restarts a pod that was running, in a new sandbox, counting the restart', async () => {
    const clock = new FakeClock();
    const api = new FakeApiHandler();
    const disk = `kubelet-wasm-${seq}-c`;
    const first = await start(api, clock, disk, foreverLauncher());
    api.put('pods', helloPod('web', 'Always') as never);
    await until(() => podOf(api, 'web')?.status?.phase === 'Running', 'Running');
    await first.kubelet.idle();
    expect(podOf(api, 'web')!.status!.containerStatuses![0]).toMatchObject({ ready: true, started: true, restartCount: 0 });
    first.kubelet.dispose();
    first.runtime.dispose();
    live.splice(0);

    await clock.advance(1); // a reload takes time; events of the new kubelet get new names
    const second = await start(api, clock, disk);
    await until(() => (podOf(api, 'web')?.status?.containerStatuses?.[0].restartCount ?? 0) >= 1, 'restart after reload');
    await second.kubelet.idle();
    const lost = (await second.runtime.listContainers()).find((c) => c.metadata.attempt === 0);
    expect(lost).toMatchObject({ state: 'CONTAINER_EXITED', exitCode: 255 });
    const reasons = (api.list('events') as unknown as Event[]).map((e) => e.reason);
    expect(reasons).toContain('SandboxChanged');
    const starts = (api.list('events') as unknown as Event[]).filter((e) => e.reason === 'Started').reduce((n, e) => n + (e.count ?? 1), 0);
    expect(starts).toBeGreaterThanOrEqual(2);
    expect(await second.kubelet.api.containerLogs('default', 'web', 'hello', {})).toContain('Hello from Tabernetes!');
  });
});
