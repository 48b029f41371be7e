import type { Clock } from '../../api/clock';
import type { PodSandboxConfig } from './cri';
import { createContainerLayer, findLiveProgram, type ContainerLayer } from './container-layer';
import type { ImageStore } from './image-store';
import type { ModuleCache } from './module-cache';
import { withPodEtcFiles } from './pod-etc-files';
import type { ContainerRecord } from './runtime-records';
import type { MemFs } from './wasi/mem-fs';

export type PreparedProcess = { error: string } | { layer: ContainerLayer; module: WebAssembly.Module };

export interface PrepareDeps {
  images: ImageStore;
  modules: ModuleCache;
  hostFs: MemFs;
  clock: Clock;
  sandboxConfig(podSandboxId: string): PodSandboxConfig | undefined;
}

/**
 * The process of argv in container c: its module (memory- and CPU-limited like the container) found in the
 * container's layer — `layer`, or a new one over the image with the sandbox's /etc/resolv.conf and /etc/hosts
 * and the container's mounts (the main process) — or runc's error text. Never rejects for a missing program
 * or an image that went away; a module that does not compile is `exec format error`.
 */
export function createPreparer(d: PrepareDeps): (c: ContainerRecord, argv: string[], layer?: ContainerLayer) => Promise<PreparedProcess> {
  return async (c, argv, layer) => {
    const img = await d.images.find(c.imageId);
    if (!img) return { error: `image ${c.image.image} is no longer present` };
    if (!layer) {
      const rootfs = withPodEtcFiles(await d.images.rootfsOf(img), d.sandboxConfig(c.podSandboxId), c.createdAt);
      const made = createContainerLayer(rootfs, d.hostFs, c.mounts, () => d.clock.now());
      if ('error' in made) return made;
      layer = made;
    }
    const program = findLiveProgram(layer.fs, argv[0] ?? '', c.env, c.workingDir);
    if ('error' in program) return program;
    try {
      // Image files share one compiled module per node; a file changed in the layer is compiled afresh.
      const key = program.unchanged ? `${img.layers.join(',')}:${program.path}` : undefined;
      return { layer, module: await d.modules.compile(key, program.data, c.memoryLimitBytes, !!c.cpuQuota) };
    } catch {
      return { error: `exec: "${argv[0]}": exec format error` };
    }
  };
}
