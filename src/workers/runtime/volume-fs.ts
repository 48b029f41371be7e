import { Inode, type MemFs } from './wasi/mem-fs';
import { Errno, WasiError } from './wasi/wasi-constants';
import type { VolumeCall, VolumeNodeKind, VolumeReply, VolumeRequest, VolumeStat } from './volume-server';

/**
 * The container side of a mounted volume: inodes whose every attribute, child and byte is fetched from the
 * VolumeServer through a synchronous VolumeCall (see volume-server.ts), so MemFs and the WASI calls use them
 * unchanged. Inode identity is stable per handle (fds, ==, WeakMaps work). Inode numbers are the host's,
 * offset per mount so they do not collide with the container's own. Renames and hard links between a volume
 * and anything else fail with EXDEV (as across Linux mounts; `mv` then copies).
 */
const READ_CHUNK = 256 * 1024;
const INO_BASE = 0x4000_0000;
const INO_STRIDE = 0x0100_0000;
const ROOT_INDEX = -1;
/**
 * Write-behind for a container layer's own files (root client, dev 0: never read-only, no size limit): a
 * run of contiguous writes to one file is sent as one `write` once it reaches WRITE_BEHIND_BYTES, before any
 * other request of the client, or at flushVolumeWrites (which WasiHost calls before every host call other
 * than a file write, and when the process ends). Writes into volumes are never deferred, so their errors
 * (EROFS, ENOSPC) are the write's.
 */
const WRITE_BEHIND_BYTES = 64 * 1024;
const dirty = new Set<VolumeClient>();

/** Sends every deferred write of this thread's volume clients (see WRITE_BEHIND_BYTES). */
export function flushVolumeWrites(): void {
  if (dirty.size) for (const c of [...dirty]) c.flush();
}

class VolumeClient {
  private readonly nodes = new Map<number, RemoteInode>();
  constructor(
    readonly call: VolumeCall,
    /** The mount's index in the container; ROOT_INDEX for a container's whole filesystem (container-layer.ts). */
    readonly index: number,
  ) {}

  /** The inode number the container sees for server handle h (a root client keeps the server's numbers). */
  ino(h: number): number {
    return this.index === ROOT_INDEX ? h : INO_BASE + this.index * INO_STRIDE + (h % INO_STRIDE);
  }

  private pending: { h: number; pos: number; parts: Uint8Array[]; len: number } | undefined;

  /** The reply, or throws WasiError with its errno. Deferred writes go first. */
  ask(req: VolumeRequest): VolumeReply {
    if (this.pending) this.flush();
    const r = this.call(req);
    if (r.errno) throw new WasiError(r.errno);
    return r;
  }

  /** Writes `data` (owned) at pos of file h: deferred when it continues the pending run of a root client. */
  write(h: number, dev: number, pos: number, data: Uint8Array): void {
    if (this.index !== ROOT_INDEX || dev !== 0) return void this.ask({ op: 'write', h, pos, data });
    const p = this.pending;
    if (p && (p.h !== h || p.pos + p.len !== pos)) this.flush();
    if (!this.pending) {
      this.pending = { h, pos, parts: [], len: 0 };
      dirty.add(this);
    }
    this.pending.parts.push(data);
    this.pending.len += data.length;
    if (this.pending.len >= WRITE_BEHIND_BYTES) this.flush();
  }

  /** Sends the deferred run; a failure is lost (the layer's own files only fail when the tree is gone). */
  flush(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    dirty.delete(this);
    this.call({ op: 'write', h: p.h, pos: p.pos, data: p.parts.length === 1 ? p.parts[0] : concat(p.parts, p.len) });
  }

  node(stat: VolumeStat, parent: Inode | undefined): RemoteInode {
    let n = this.nodes.get(stat.h);
    if (!n) this.nodes.set(stat.h, (n = new RemoteInode(this, stat)));
    if (parent && (n.kind !== 'dir' || !n.parent)) n.parent = parent;
    return n;
  }
}

/** A live attribute backed by a stat call; assignments become `set` calls (or are ignored, for size/nlink). */
function remoteAttr(self: RemoteInode, key: keyof VolumeStat, settable: boolean): void {
  Object.defineProperty(self, key, {
    configurable: true,
    enumerable: true,
    get: () => self.stat()[key],
    set: (v: number | string) => {
      if (settable) self.client.ask({ op: 'set', h: self.h, [key]: v } as VolumeRequest);
    },
  });
}

export class RemoteInode extends Inode {
  readonly h: number;
  /** The server's device of this inode (VolumeStat.dev): 0 for its own tree, n + 1 for its n-th mounted volume. */
  readonly dev: number;

  constructor(
    readonly client: VolumeClient,
    stat: VolumeStat,
  ) {
    super(stat.kind, client.ino(stat.h), stat.mode, stat.atime, stat.mtime, stat.ctime);
    this.h = stat.h;
    this.dev = stat.dev ?? 0;
    for (const k of ['mode', 'atime', 'mtime', 'ctime', 'target'] as const) remoteAttr(this, k, true);
    for (const k of ['size', 'nlink'] as const) remoteAttr(this, k, false);
    this.children = new RemoteChildren(this);
  }

  stat(): VolumeStat {
    return this.client.ask({ op: 'stat', h: this.h }).stat!;
  }

  override bytes(): Uint8Array {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const data = this.client.ask({ op: 'read', h: this.h, pos: total, len: READ_CHUNK }).data ?? new Uint8Array(0);
      parts.push(data);
      total += data.length;
      if (data.length < READ_CHUNK) break;
    }
    return parts.length === 1 ? parts[0] : concat(parts, total);
  }

  override read(pos: number, len: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let total = 0;
    while (total < len) {
      const ask = Math.min(len - total, READ_CHUNK);
      const data = this.client.ask({ op: 'read', h: this.h, pos: pos + total, len: ask }).data ?? new Uint8Array(0);
      parts.push(data);
      total += data.length;
      if (data.length < ask) break;
    }
    return parts.length === 1 ? parts[0] : concat(parts, total);
  }

  override get stampsWrites(): boolean {
    return true;
  }

  override reserve(): void {}

  override truncate(size: number): void {
    this.client.ask({ op: 'truncate', h: this.h, size });
  }

  override write(pos: number, data: Uint8Array): void {
    this.client.write(this.h, this.dev, pos, data.slice());
  }

  override createChild(kind: VolumeNodeKind, name: string): Inode {
    return this.client.node(this.client.ask({ op: 'create', h: this.h, kind, name }).stat!, this);
  }
}

/** A remote directory's entries as the Map MemFs expects; set() links an inode of the same volume (else EXDEV). */
class RemoteChildren extends Map<string, Inode> {
  constructor(private readonly dir: RemoteInode) {
    super();
  }

  private list(): Array<[string, Inode]> {
    const { client } = this.dir;
    return (client.ask({ op: 'list', h: this.dir.h }).entries ?? []).map(([name, stat]) => [name, client.node(stat, this.dir)]);
  }

  override get(name: string): Inode | undefined {
    const stat = this.dir.client.ask({ op: 'lookup', h: this.dir.h, name }).stat;
    return stat ? this.dir.client.node(stat, this.dir) : undefined;
  }

  override has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  override set(name: string, node: Inode): this {
    if (!(node instanceof RemoteInode) || node.client !== this.dir.client) throw new WasiError(Errno.XDEV);
    this.dir.client.ask({ op: 'link', h: this.dir.h, name, target: node.h });
    return this;
  }

  override delete(name: string): boolean {
    this.dir.client.ask({ op: 'unlink', h: this.dir.h, name });
    return true;
  }

  override clear(): void {
    for (const [name] of this.list()) this.delete(name);
  }

  override get size(): number {
    return this.list().length;
  }

  override entries(): MapIterator<[string, Inode]> {
    return this.list()[Symbol.iterator]() as MapIterator<[string, Inode]>;
  }

  override [Symbol.iterator](): MapIterator<[string, Inode]> {
    return this.entries();
  }

  override keys(): MapIterator<string> {
    return this.list().map(([k]) => k)[Symbol.iterator]() as MapIterator<string>;
  }

  override values(): MapIterator<Inode> {
    return this.list().map(([, v]) => v)[Symbol.iterator]() as MapIterator<Inode>;
  }

  override forEach(cb: (value: Inode, key: string, map: Map<string, Inode>) => void): void {
    for (const [k, v] of this.list()) cb(v, k, this);
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) out.set(p, (off += p.length) - p.length);
  return out;
}

/**
 * Mounts the volume served through `call` at `containerPath` of `fs` (see MemFs.mount). `index` numbers the
 * container's mounts (it offsets inode numbers). Throws WasiError when the server or the path fails.
 */
export function mountVolume(fs: MemFs, containerPath: string, call: VolumeCall, index: number): void {
  const client = new VolumeClient(call, index);
  fs.mount(containerPath, client.node(client.ask({ op: 'root' }).stat!, undefined));
}

/**
 * The root of a whole filesystem served through `call` (a container's writable layer, container-layer.ts), to
 * be a MemFs root. Inode numbers are the server's. Throws WasiError when the server fails.
 */
export function remoteRoot(call: VolumeCall): Inode {
  const client = new VolumeClient(call, ROOT_INDEX);
  return client.node(client.ask({ op: 'root' }).stat!, undefined);
}

/** True when `a` and `b` are on different filesystems (a volume and the container's own tree, or two volumes). */
export function crossDevice(a: Inode, b: Inode): boolean {
  const ca = a instanceof RemoteInode ? a.client : undefined;
  const cb = b instanceof RemoteInode ? b.client : undefined;
  return ca !== cb || (a instanceof RemoteInode ? a.dev : 0) !== (b instanceof RemoteInode ? b.dev : 0);
}

/** The device number a VolumeServer reports for `n` of its tree (VolumeStat.dev). */
export function deviceOf(n: Inode): number {
  return n instanceof RemoteInode ? n.client.index + 1 : 0;
}
