// Kubelet tests on one WasmNode (src/workers/kubelet/testing/wasm-node) with the real built images: the
// per-file setup they share, and a real-time wait.
import { afterEach, beforeAll } from 'vitest';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { createFsImageSource } from '../src/node/fs-image-source';
import { startWasmNode, type WasmNode } from '../src/workers/kubelet/testing/wasm-node';

type WasmNodeOptions = Parameters<typeof startWasmNode>[0];

/**
 * Call at the top of a test file: builds the images before its tests (beforeAll, 120 s) and disposes every
 * node started by the returned function after each test (a node the test disposed itself is skipped). The function starts a node on the built images
 * with defaults, overridden by opts.
 */
export function wasmNodes(defaults: Omit<WasmNodeOptions, 'images'>): (opts?: Partial<WasmNodeOptions>) => Promise<WasmNode> {
  beforeAll(() => ensureImagesBuilt(), 120_000);
  const live: WasmNode[] = [];
  afterEach(() => live.splice(0).forEach((n) => n.dispose()));
  return async (opts = {}) => {
    const started = await startWasmNode({ images: createFsImageSource(), ...defaults, ...opts });
    let disposed = false;
    const n: WasmNode = {
      ...started,
      dispose() {
        if (disposed) return;
        disposed = true;
        started.dispose();
      },
    };
    live.push(n);
    return n;
  };
}

/** Polls cond every 2 ms (real time) until it holds; rejects after ms, or as soon as cond throws. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
