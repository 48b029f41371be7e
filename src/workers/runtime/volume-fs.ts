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

class VolumeClient {
  private readonly nodes = new Map<number, RemoteInode>();
  constructor(
    readonly call: VolumeCall,
    readonly index: number,
  ) {}

  /** The reply, or throws WasiError with its errno. */
  ask(req: VolumeRequest): VolumeReply {
    const r = this.call(req);
    if (r.errno) throw new WasiError(r.errno);
    return r;
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

  constructor(
    readonly client: VolumeClient,
    stat: VolumeStat,
  ) {
    super(stat.kind, INO_BASE + client.index * INO_STRIDE + (stat.h % INO_STRIDE), stat.mode, stat.atime, stat.mtime, stat.ctime);
    this.h = stat.h;
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
    if (parts.length === 1) return parts[0];
    const out = new Uint8Array(total);
    let off = 0;
    for (const p of parts) out.set(p, (off += p.length) - p.length);
    return out;
  }

  override reserve(): void {}

  override truncate(size: number): void {
    this.client.ask({ op: 'truncate', h: this.h, size });
  }

  override write(pos: number, data: Uint8Array): void {
    this.client.ask({ op: 'write', h: this.h, pos, data: data.slice() });
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

/**
 * Mounts the volume served through `call` at `containerPath` of `fs` (see MemFs.mount). `index` numbers the
 * container's mounts (it offsets inode numbers). Throws WasiError when the server or the path fails.
 */
export function mountVolume(fs: MemFs, containerPath: string, call: VolumeCall, index: number): void {
  const client = new VolumeClient(call, index);
  fs.mount(containerPath, client.node(client.ask({ op: 'root' }).stat!, undefined));
}

/** True when `a` and `b` are on different filesystems (a volume and the container's own tree, or two volumes). */
export function crossDevice(a: Inode, b: Inode): boolean {
  const ca = a instanceof RemoteInode ? a.client : undefined;
  const cb = b instanceof RemoteInode ? b.client : undefined;
  return ca !== cb;
}
