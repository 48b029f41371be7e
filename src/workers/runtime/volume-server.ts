import type { Inode, MemFs } from './wasi/mem-fs';
import { crossDevice, deviceOf } from './volume-fs';
import { Errno, WasiError } from './wasi/wasi-constants';

/**
 * Volumes shared between containers (and written by the kubelet) live in the node's host filesystem, one
 * MemFs in the kubelet's thread (see HostFs in wasm-runtime). A container reaches a mounted directory of it
 * through a VolumeServer: a synchronous request → reply call on inode handles (the host inode numbers).
 * In-process the call is direct; a container Worker posts the request and blocks on a SharedArrayBuffer
 * reply slot (volume-channel.ts) while the kubelet thread answers it. Nothing is cached on the container
 * side, so every container and the kubelet see each other's writes at once.
 *
 * Errors are WASI errnos in the reply: EROFS for any change through a read-only mount, ENOSPC when a write
 * would take the mount's tree past sizeLimitBytes (emptyDir sizeLimit), ESTALE for a handle this server
 * never gave out, EXDEV for a link across volumes mounted in the served tree, and whatever MemFs throws.
 */
export const ERRNO_NOSPC = 51;
export const ERRNO_ROFS = 69;
export const ERRNO_STALE = 72;

export type VolumeNodeKind = 'file' | 'dir' | 'symlink';

export interface VolumeStat {
  h: number;
  kind: VolumeNodeKind;
  mode: number;
  size: number;
  nlink: number;
  atime: number;
  mtime: number;
  ctime: number;
  target: string;
  /** 0: the served tree itself; n + 1: inside its n-th mounted volume (a container layer, container-layer.ts). */
  dev?: number;
}

export type VolumeRequest =
  | { op: 'root' }
  | { op: 'stat'; h: number }
  | { op: 'lookup'; h: number; name: string }
  | { op: 'list'; h: number }
  | { op: 'read'; h: number; pos: number; len: number }
  | { op: 'write'; h: number; pos: number; data: Uint8Array }
  | { op: 'truncate'; h: number; size: number }
  | { op: 'create'; h: number; name: string; kind: VolumeNodeKind }
  | { op: 'unlink'; h: number; name: string }
  | { op: 'link'; h: number; name: string; target: number }
  | { op: 'set'; h: number; atime?: number; mtime?: number; mode?: number; target?: string };

/** errno 0 = success; `stat` for root/stat/lookup/create (lookup of a missing name: no stat), `entries` for list, `data` for read. */
export interface VolumeReply {
  errno: number;
  stat?: VolumeStat;
  entries?: Array<[string, VolumeStat]>;
  data?: Uint8Array;
}

/** A synchronous volume call (direct in-process; over a SharedArrayBuffer slot from a Worker). */
export type VolumeCall = (req: VolumeRequest) => VolumeReply;

export interface VolumeServerOptions {
  readOnly?: boolean;
  /** Total file bytes allowed under the mount's root; writes past it fail with ENOSPC. */
  sizeLimitBytes?: number;
}

const MUTATIONS = new Set(['write', 'truncate', 'create', 'unlink', 'link', 'set']);

/** Serves one mount: the subtree of `fs` at `hostPath` (which must exist). Throws WasiError(ENOENT) if not. */
export class VolumeServer {
  private readonly handles = new Map<number, Inode>();
  private readonly root: Inode;

  constructor(
    private readonly fs: MemFs,
    hostPath: string,
    private readonly opts: VolumeServerOptions = {},
    private readonly now: () => number = () => 0,
  ) {
    this.root = fs.resolve(fs.root, hostPath, true);
    this.handles.set(this.root.ino, this.root);
  }

  readonly call: VolumeCall = (req) => {
    try {
      if (!MUTATIONS.has(req.op)) return this.handle(req);
      if (this.opts.readOnly) return { errno: ERRNO_ROFS };
      const reply = this.handle(req);
      this.fs.changes++;
      return reply;
    } catch (err) {
      if (err instanceof WasiError) return { errno: err.errno };
      return { errno: Errno.IO };
    }
  };

  private node(h: number): Inode {
    const n = this.handles.get(h);
    if (!n) throw new WasiError(ERRNO_STALE);
    return n;
  }

  private dir(h: number): Inode {
    const n = this.node(h);
    if (n.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
    return n;
  }

  private stat(n: Inode): VolumeStat {
    this.handles.set(n.ino, n);
    const dev = deviceOf(n);
    return { h: n.ino, kind: n.kind, mode: n.mode, size: n.size, nlink: n.nlink, atime: n.atime, mtime: n.mtime, ctime: n.ctime, target: n.target, ...(dev ? { dev } : {}) };
  }

  private used(n: Inode = this.root): number {
    if (n.kind === 'file') return n.size;
    let total = 0;
    for (const c of n.children.values()) total += this.used(c);
    return total;
  }

  private checkGrowth(n: Inode, newSize: number): void {
    const limit = this.opts.sizeLimitBytes;
    if (limit === undefined || newSize <= n.size) return;
    if (this.used() + (newSize - n.size) > limit) throw new WasiError(ERRNO_NOSPC);
  }

  private handle(req: VolumeRequest): VolumeReply {
    switch (req.op) {
      case 'root':
        return { errno: 0, stat: this.stat(this.root) };
      case 'stat':
        return { errno: 0, stat: this.stat(this.node(req.h)) };
      case 'lookup': {
        const child = this.dir(req.h).children.get(req.name);
        return child ? { errno: 0, stat: this.stat(child) } : { errno: 0 };
      }
      case 'list':
        return { errno: 0, entries: [...this.dir(req.h).children].map(([name, c]) => [name, this.stat(c)] as [string, VolumeStat]) };
      case 'read': {
        const n = this.node(req.h);
        if (n.kind === 'dir') throw new WasiError(Errno.ISDIR);
        return { errno: 0, data: n.read(req.pos, req.len).slice() };
      }
      case 'write': {
        const n = this.node(req.h);
        if (n.kind !== 'file') throw new WasiError(Errno.ISDIR);
        this.checkGrowth(n, req.pos + req.data.length);
        n.write(req.pos, req.data);
        n.mtime = this.now();
        return { errno: 0 };
      }
      case 'truncate': {
        const n = this.node(req.h);
        if (n.kind !== 'file') throw new WasiError(Errno.ISDIR);
        this.checkGrowth(n, req.size);
        n.truncate(req.size);
        n.mtime = this.now();
        return { errno: 0 };
      }
      case 'create':
        return { errno: 0, stat: this.stat(this.fs.create(req.kind, this.dir(req.h), req.name)) };
      case 'unlink': {
        const dir = this.dir(req.h);
        const n = dir.children.get(req.name);
        if (!n) throw new WasiError(Errno.NOENT);
        this.fs.unlink(dir, req.name, n);
        return { errno: 0 };
      }
      case 'link': {
        const dir = this.dir(req.h);
        const n = this.node(req.target);
        if (crossDevice(dir, n)) throw new WasiError(Errno.XDEV);
        const old = dir.children.get(req.name);
        if (old === n) return { errno: 0 };
        if (old) old.nlink = Math.max(0, old.nlink - 1);
        dir.children.set(req.name, n);
        n.nlink++;
        if (n.kind === 'dir') n.parent = dir;
        dir.mtime = this.now();
        return { errno: 0 };
      }
      case 'set': {
        const n = this.node(req.h);
        if (req.atime !== undefined) n.atime = req.atime;
        if (req.mtime !== undefined) n.mtime = req.mtime;
        if (req.mode !== undefined) n.mode = req.mode;
        if (req.target !== undefined && n.kind === 'symlink') n.target = req.target;
        return { errno: 0 };
      }
    }
  }
}
