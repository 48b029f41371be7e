import type { Mount } from './cri';
import type { VolumeCall } from './volume-server';
import { VolumeServer } from './volume-server';
import { MemFs, emptyRootfs } from './wasi/mem-fs';
import { WasiError } from './wasi/wasi-constants';

/** The node's host filesystem: volumes (emptyDir, configMap, …, hostPath) live here, in memory, for the node's lifetime. */
export function createHostFs(now: () => number = () => 0): MemFs {
  return new MemFs(emptyRootfs(), now);
}

/**
 * One VolumeServer per CRI mount, in order (a nested containerPath after its parent). Fails with runc's
 * text when a mount's hostPath does not exist in hostFs.
 */
export function serveMounts(hostFs: MemFs, mounts: Mount[], now: () => number): { mounts: Array<{ containerPath: string; call: VolumeCall }> } | { error: string } {
  const out: Array<{ containerPath: string; call: VolumeCall }> = [];
  const ordered = [...mounts].sort((a, b) => depth(a.containerPath) - depth(b.containerPath));
  for (const m of ordered) {
    try {
      const server = new VolumeServer(hostFs, m.hostPath, { ...(m.readonly ? { readOnly: true } : {}), ...(m.sizeLimitBytes !== undefined ? { sizeLimitBytes: m.sizeLimitBytes } : {}) }, now);
      out.push({ containerPath: m.containerPath, call: server.call });
    } catch (err) {
      if (!(err instanceof WasiError)) throw err;
      return { error: `error mounting "${m.hostPath}" to rootfs at "${m.containerPath}": stat ${m.hostPath}: no such file or directory` };
    }
  }
  return { mounts: out };
}

const depth = (p: string) => p.split('/').filter(Boolean).length;
