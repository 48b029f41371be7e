import type { Mount } from './cri';
import type { ProgramLookup } from './container-spec';
import { VolumeServer, type VolumeCall } from './volume-server';
import { mountVolume } from './volume-fs';
import { serveMounts } from './volume-mounts';
import { MemFs, type Inode, type RootfsSnapshot } from './wasi/mem-fs';
import { WasiError } from './wasi/wasi-constants';

/**
 * A container's filesystem, one per container for its lifetime: the image rootfs with a writable layer on
 * top (a MemFs in the runtime's thread, file bytes copied from the image on first write) and the container's
 * volumes mounted in it. Every process of the container — the main process, each exec, and the children
 * they spawn — mounts it as its root ("/" mount, see WasiHost) through `call`, a VolumeServer over the whole
 * tree (direct in-process; a SharedArrayBuffer reply slot from a Worker, volume-channel.ts), so a file one
 * of them writes is there for all the others at once. A recreated container gets a new layer.
 */
export interface ContainerLayer {
  readonly fs: MemFs;
  readonly call: VolumeCall;
}

/** The layer over `rootfs` with `mounts` from hostFs, or runc's error text when a mount's hostPath is missing. */
export function createContainerLayer(rootfs: RootfsSnapshot, hostFs: MemFs, mounts: Mount[] | undefined, now: () => number): ContainerLayer | { error: string } {
  const fs = new MemFs(rootfs, now);
  if (mounts?.length) {
    const served = serveMounts(hostFs, mounts, now);
    if ('error' in served) return served;
    for (const [i, m] of served.mounts.entries()) {
      try {
        mountVolume(fs, m.containerPath, m.call, i);
      } catch (err) {
        const errno = err instanceof WasiError ? err.errno : String(err);
        return { error: `error mounting volume to rootfs at "${m.containerPath}": errno ${errno}` };
      }
    }
  }
  return { fs, call: new VolumeServer(fs, '/', {}, now).call };
}

/**
 * Finds the program file like execve via runc, in the live layer (so an exec runs what is in the container
 * now, a file `kubectl cp` put there say): a name without '/' is searched in PATH, otherwise resolved against
 * workingDir. The error is runc's text ('exec: "x": executable file not found in $PATH'). `unchanged` is
 * true while the file still holds the image's bytes.
 */
export function findLiveProgram(fs: MemFs, argv0: string, env: string[], workingDir = '/'): ProgramLookup & { unchanged?: boolean } {
  const find = (path: string): Inode | undefined => {
    try {
      return fs.lookup(fs.root, path, true).node;
    } catch {
      return undefined;
    }
  };
  const found = (path: string, node: Inode) => ({ path, data: node.bytes(), unchanged: node.shared });
  if (!argv0.includes('/')) {
    const pathVar = env.find((e) => e.startsWith('PATH='))?.slice(5) ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
    for (const dir of pathVar.split(':')) {
      const full = `${dir || '.'}/${argv0}`;
      const node = find(full.startsWith('/') ? full : `${workingDir}/${full}`);
      if (node?.kind === 'file') return found(full, node);
    }
    return { error: `exec: "${argv0}": executable file not found in $PATH` };
  }
  const full = argv0.startsWith('/') ? argv0 : `${workingDir.replace(/\/$/, '')}/${argv0}`;
  const node = find(full);
  if (!node) return { error: `exec: "${argv0}": stat ${argv0}: no such file or directory` };
  if (node.kind !== 'file') return { error: `exec: "${argv0}": permission denied` };
  return found(full, node);
}
