import { Errno, WasiError } from './wasi-constants';

/**
 * A container's root filesystem as plain data (structured-cloneable, so it can be posted to a Worker).
 * Times are milliseconds since the epoch. Built from image layers by `rootfsFromLayers`.
 */
export type FsNode = FsFile | FsDir | FsSymlink;
export interface FsFile {
  kind: 'file';
  data: Uint8Array;
  mode: number;
  mtime: number;
}
export interface FsDir {
  kind: 'dir';
  entries: Record<string, FsNode>;
  mode: number;
  mtime: number;
}
export interface FsSymlink {
  kind: 'symlink';
  target: string;
  mtime: number;
}
export type RootfsSnapshot = FsDir;

export function emptyRootfs(mtime = 0): RootfsSnapshot {
  return { kind: 'dir', entries: {}, mode: 0o755, mtime };
}

/** An inode of the live filesystem. File bytes are shared with the snapshot until first written (copy on write). */
export class Inode {
  size = 0;
  buf: Uint8Array = new Uint8Array(0);
  shared = false;
  children = new Map<string, Inode>();
  target = '';
  parent: Inode | undefined;
  nlink = 1;
  constructor(
    readonly kind: 'file' | 'dir' | 'symlink',
    readonly ino: number,
    public mode: number,
    public atime: number,
    public mtime: number,
    public ctime: number,
  ) {}

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.size);
  }

  /** Up to len bytes from pos (fewer at the end of the file; a view, not a copy). */
  read(pos: number, len: number): Uint8Array {
    return this.buf.subarray(Math.min(pos, this.size), Math.min(pos + len, this.size));
  }

  /** True when write/truncate stamp mtime themselves (a served inode, volume-fs.ts): callers need not set it. */
  get stampsWrites(): boolean {
    return false;
  }

  /** Makes room for `size` bytes and takes ownership of the buffer. */
  reserve(size: number): void {
    if (!this.shared && size <= this.buf.length) return;
    const next = new Uint8Array(Math.max(size, this.shared ? size : this.buf.length * 2, 64));
    next.set(this.buf.subarray(0, Math.min(this.size, size)));
    this.buf = next;
    this.shared = false;
  }

  truncate(size: number): void {
    if (size > this.size) {
      this.reserve(size);
      this.buf.fill(0, this.size, size);
    } else if (this.shared) {
      this.reserve(size);
    }
    this.size = size;
  }

  write(pos: number, data: Uint8Array): void {
    const end = pos + data.length;
    if (end > this.size) this.truncate(end);
    else this.reserve(this.size);
    this.buf.set(data, pos);
  }

  /**
   * Creates a child in a directory that lives elsewhere (a mounted volume, see volume-fs.ts) and returns it;
   * undefined (the default) means a local directory, where MemFs.create makes the inode itself.
   */
  createChild(_kind: 'file' | 'dir' | 'symlink', _name: string): Inode | undefined {
    return undefined;
  }
}

/**
 * The writable in-memory filesystem of one process. Path resolution is confined to the root: ".." at the
 * root stays at the root and absolute symlink targets resolve from it. Methods throw WasiError(errno).
 */
export class MemFs {
  readonly root: Inode;
  /** Bumped by VolumeServer after each change it makes (lets the kubelet notice volume writes cheaply). */
  changes = 0;
  private nextIno = 1;

  /** `root`: use this inode (e.g. a served container layer, volume-fs.ts remoteRoot) instead of loading `snapshot`. */
  constructor(
    snapshot: RootfsSnapshot,
    private readonly now: () => number,
    root?: Inode,
  ) {
    this.root = root ?? this.load(snapshot, undefined);
    this.root.parent = this.root;
  }

  private load(node: FsNode, parent: Inode | undefined): Inode {
    const mode = node.kind === 'symlink' ? 0o777 : node.mode;
    const n = new Inode(node.kind, this.nextIno++, mode, node.mtime, node.mtime, node.mtime);
    n.parent = parent;
    if (node.kind === 'file') {
      n.buf = node.data;
      n.size = node.data.length;
      n.shared = true;
    } else if (node.kind === 'symlink') {
      n.target = node.target;
    } else {
      for (const [name, child] of Object.entries(node.entries)) n.children.set(name, this.load(child, n));
    }
    return n;
  }

  create(kind: 'file' | 'dir' | 'symlink', parent: Inode, name: string): Inode {
    if (parent.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
    if (parent.children.has(name)) throw new WasiError(Errno.EXIST);
    const elsewhere = parent.createChild(kind, name);
    if (elsewhere) return elsewhere;
    const t = this.now();
    const n = new Inode(kind, this.nextIno++, kind === 'dir' ? 0o755 : 0o644, t, t, t);
    n.parent = parent;
    parent.children.set(name, n);
    parent.mtime = t;
    return n;
  }

  /**
   * Resolves `path` from `base`. With follow=false the last component is not dereferenced if it is a symlink.
   * Returns the parent directory, the last name and the node (undefined if it does not exist).
   */
  lookup(base: Inode, path: string, follow: boolean, depth = 0): { parent: Inode; name: string; node: Inode | undefined } {
    if (depth > 32) throw new WasiError(Errno.LOOP);
    if (path === '') throw new WasiError(Errno.NOENT);
    let dir = path.startsWith('/') ? this.root : base;
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length === 0) return { parent: dir.parent ?? dir, name: '.', node: dir };
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const last = i === parts.length - 1;
      if (dir.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
      let next: Inode | undefined = part === '..' ? (dir.parent ?? this.root) : dir.children.get(part);
      if (next && next.kind === 'symlink' && (!last || follow)) {
        const r = this.lookup(dir, next.target, true, depth + 1);
        if (!r.node) {
          if (last) return r;
          throw new WasiError(Errno.NOENT);
        }
        next = r.node;
      }
      if (last) {
        const trailingSlash = path.endsWith('/');
        if (trailingSlash && next && next.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
        return { parent: dir, name: part, node: next };
      }
      if (!next) throw new WasiError(Errno.NOENT);
      dir = next;
    }
    throw new WasiError(Errno.NOENT);
  }

  /**
   * Mounts `root` (an inode of another tree, e.g. a volume's RemoteInode) at the absolute `path`: missing
   * directories on the way are created in this filesystem and whatever was at `path` is hidden. ".." from
   * the mount's root leads back to the directory holding the mount point. Throws WasiError (ENOTDIR when
   * a path component is a file, EXDEV for a mount point inside another mounted volume).
   */
  mount(path: string, root: Inode): void {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
    if (!parts.length) throw new WasiError(Errno.INVAL);
    let dir = this.root;
    for (const part of parts.slice(0, -1)) {
      const { node } = this.lookup(dir, part, true);
      dir = node ?? this.create('dir', dir, part);
      if (dir.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
    }
    const name = parts[parts.length - 1];
    dir.children.set(name, root); // a mount inside another mounted volume: its map throws EXDEV
    root.parent = dir;
  }

  resolve(base: Inode, path: string, follow = true): Inode {
    const { node } = this.lookup(base, path, follow);
    if (!node) throw new WasiError(Errno.NOENT);
    return node;
  }

  unlink(parent: Inode, name: string, node: Inode): void {
    parent.children.delete(name);
    node.nlink = Math.max(0, node.nlink - 1);
    parent.mtime = this.now();
  }

  /** Absolute path of a directory inode (for diagnostics and getcwd-like callers). */
  pathOf(node: Inode): string {
    const names: string[] = [];
    let cur = node;
    while (cur !== this.root && cur.parent) {
      const parent: Inode = cur.parent;
      let found = '';
      for (const [n, c] of parent.children) if (c === cur) found = n;
      names.push(found);
      cur = parent;
    }
    return '/' + names.reverse().join('/');
  }

  /** The current tree as plain data (e.g. to inspect what a process wrote). File bytes are copied. */
  snapshot(node: Inode = this.root): FsNode {
    if (node.kind === 'file') return { kind: 'file', data: node.bytes().slice(), mode: node.mode, mtime: node.mtime };
    if (node.kind === 'symlink') return { kind: 'symlink', target: node.target, mtime: node.mtime };
    const entries: Record<string, FsNode> = {};
    for (const [name, child] of node.children) entries[name] = this.snapshot(child);
    return { kind: 'dir', entries, mode: node.mode, mtime: node.mtime };
  }
}
