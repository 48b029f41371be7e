import type { Event, Pod } from 'kubernetes-types/core/v1';
import type { ExecStreamChunk } from '../../../api/protocol';
import { FakeClock, seededIds } from '../../../api';
import { ApiClient } from '../../../client/api-client';
import { FakeApiHandler } from '../../../client/testing/fake-api-handler';
import { createInProcessLauncher, createWasmRuntime, KILLED_EXIT_CODE, openNodeDisk, type ImageSource, type ProcessExit, type ProcessLauncher, type WasmRuntime } from '../../runtime';
import type { NodeDisk } from '../../runtime/cri';
import { startKubelet, type Kubelet } from '../kubelet';

/** Test helpers: one kubelet on the real WASM runtime against a FakeApiHandler (tests pass the Node image source). */
export const NODE = 'tabernetes-worker';

export interface WasmNode {
  clock: FakeClock;
  api: FakeApiHandler;
  disk: NodeDisk;
  runtime: WasmRuntime;
  kubelet: Kubelet;
  dispose(): void;
}

let seq = 0;

/**
 * A launcher whose processes named `sleep` run until killed (a long-running container, invisible to the
 * in-process runner's sleep budget); every other process (exec probes, hooks, short containers) runs for
 * real in-process.
 */
export function sleepForeverLauncher(clock: FakeClock, ids = seededIds(99)): ProcessLauncher {
  const real = createInProcessLauncher({ clock, ids });
  return {
    launch(spec) {
      if (spec.args[0] !== 'sleep') return real.launch(spec);
      let settle!: (e: ProcessExit) => void;
      const noop = () => undefined;
      const exited = new Promise<ProcessExit>((r) => (settle = r));
      return { exited, kill: () => settle({ exitCode: KILLED_EXIT_CODE, killed: true }), writeStdin: noop, closeStdin: noop, signal: (sig) => sig === 15 && settle({ exitCode: 143 }) };
    },
  };
}

export async function startWasmNode(opts: { images: ImageSource; diskName: string; api?: FakeApiHandler; clock?: FakeClock; launcher?: (clock: FakeClock) => ProcessLauncher }): Promise<WasmNode> {
  const clock = opts.clock ?? new FakeClock();
  const api = opts.api ?? new FakeApiHandler();
  const ids = seededIds(++seq + 1000);
  const disk = await openNodeDisk(`${opts.diskName}-${seq}`);
  const launcher = opts.launcher ? opts.launcher(clock) : createInProcessLauncher({ clock, ids });
  const runtime = createWasmRuntime({ nodeName: NODE, disk, clock, ids, images: opts.images, launcher });
  const kubelet = await startKubelet({ nodeName: NODE, client: new ApiClient(api), runtime, disk, clock, ids, nodeIndex: 1 });
  return {
    clock,
    api,
    disk,
    runtime,
    kubelet,
    dispose() {
      kubelet.dispose();
      runtime.dispose();
    },
  };
}

export function pod(name: string, spec: Record<string, unknown>, ns = 'default'): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, uid: `uid-${name}` }, spec: { nodeName: NODE, ...spec } as Pod['spec'], status: { phase: 'Pending' } };
}

export const podOf = (api: FakeApiHandler, name: string, ns = 'default') => api.get('pods', ns, name) as unknown as Pod | undefined;
export const eventsOf = (api: FakeApiHandler) => api.list('events') as unknown as Event[];
export const messages = (api: FakeApiHandler, reason: string) => eventsOf(api).filter((e) => e.reason === reason).map((e) => e.message);

/** Reads an exec/attach session to its end: every chunk, in order. */
export async function drainExec(k: Kubelet, id: string): Promise<ExecStreamChunk[]> {
  const all: ExecStreamChunk[] = [];
  for (let b = await k.api.execRead!(id); b; b = await k.api.execRead!(id)) all.push(...b);
  return all;
}
