import type { GuestMemory } from './guest-memory';
import type { GuestSocket } from './guest-socket';
import type { Inode, MemFs } from './mem-fs';
import { type Pipe, PIPE_RUN_READER_AT, type ProcessTable, installFd, releaseFd } from './process-table';
import { Errno, FdFlags, FileType, FstFlags, RIGHTS_ALL, WasiError, Whence } from './wasi-constants';

export interface FdEntry {
  kind: 'stdio' | 'file' | 'dir' | 'pipe' | 'socket';
  /** For stdio: 0 stdin, 1 stdout, 2 stderr. */
  stream?: 0 | 1 | 2;
  inode?: Inode;
  pos: number;
  fdflags: number;
  /** Set on preopened directories: the name fd_prestat_dir_name reports. */
  preopen?: string;
  /** For pipes: the pipe and which end this descriptor holds. */
  pipe?: Pipe;
  end?: 'r' | 'w';
  /** For sockets: the open socket (shared by dup'ed and inherited fds; see guest-socket.ts). */
  sock?: GuestSocket;
}

/** What the fd_ and path_ calls need from the host. */
export interface WasiContext {
  mem: GuestMemory;
  fs: MemFs;
  fds: Map<number, FdEntry>;
  nowMs(): number;
  writeStdio(stream: 1 | 2, data: Uint8Array): void;
  /** Up to max bytes of stdin (empty at EOF); null when interrupted by a signal (EINTR). */
  readStdin(max: number): Uint8Array | null;
  /** The container's processes (pipes run their not-yet-started peers through it). */
  procs: ProcessTable;
  /** fd_read/fd_write on sockets (wasi-socket-calls.ts socketIo); absent: no network. */
  sockIo?: { recv(e: FdEntry, iovs: number, iovsLen: number, flags: number): number; send(e: FdEntry, iovs: number, iovsLen: number): number };
}

/** wasi-libc's isatty() is true for a character device without seek/tell rights; stdio is line buffered then. */
const STDIO_RIGHTS = RIGHTS_ALL & ~((1n << 2n) | (1n << 5n));
const NS = 1_000_000n;
const enc = new TextEncoder();

export function fileType(node: Inode | undefined): number {
  if (!node) return FileType.CHARACTER_DEVICE;
  return node.kind === 'dir' ? FileType.DIRECTORY : node.kind === 'symlink' ? FileType.SYMBOLIC_LINK : FileType.REGULAR_FILE;
}

/** Lookups and encoders shared by the fd_* and path_* calls. Each throws WasiError(errno). */
export function callHelpers(ctx: WasiContext) {
  const { mem, fs, fds } = ctx;
  const fd = (n: number): FdEntry => {
    const e = fds.get(n);
    if (!e) throw new WasiError(Errno.BADF);
    return e;
  };
  const dirFd = (n: number): Inode => {
    const e = fd(n);
    if (e.kind !== 'dir' || !e.inode) throw new WasiError(Errno.NOTDIR);
    return e.inode;
  };
  const fileFd = (n: number): FdEntry & { inode: Inode } => {
    const e = fd(n);
    if (e.kind === 'dir') throw new WasiError(Errno.ISDIR);
    if (e.kind !== 'file' || !e.inode) throw new WasiError(Errno.SPIPE);
    return e as FdEntry & { inode: Inode };
  };
  const path = (ptr: number, len: number) => mem.string(ptr, len);
  const nextFd = () => {
    let n = 3;
    while (fds.has(n)) n++;
    return n;
  };
  const filestat = (ptr: number, node: Inode | undefined) => {
    mem.check(ptr, 64);
    mem.u64(ptr, 0);
    mem.u64(ptr + 8, node?.ino ?? 0);
    mem.u8(ptr + 16, fileType(node));
    mem.u64(ptr + 24, node?.nlink ?? 1);
    mem.u64(ptr + 32, node ? (node.kind === 'symlink' ? enc.encode(node.target).length : node.kind === 'dir' ? 4096 : node.size) : 0);
    mem.u64(ptr + 40, BigInt(Math.floor(node?.atime ?? 0)) * NS);
    mem.u64(ptr + 48, BigInt(Math.floor(node?.mtime ?? 0)) * NS);
    mem.u64(ptr + 56, BigInt(Math.floor(node?.ctime ?? 0)) * NS);
  };
  const setTimes = (node: Inode, atim: bigint, mtim: bigint, flags: number) => {
    const now = ctx.nowMs();
    if (flags & FstFlags.ATIM) node.atime = Number(atim / NS);
    if (flags & FstFlags.ATIM_NOW) node.atime = now;
    if (flags & FstFlags.MTIM) node.mtime = Number(mtim / NS);
    if (flags & FstFlags.MTIM_NOW) node.mtime = now;
  };
  const readAt = (node: Inode, pos: number, iovs: number, iovsLen: number): number => {
    const want = mem.iovecs(iovs, iovsLen).reduce((s, [, len]) => s + len, 0);
    return mem.scatter(iovs, iovsLen, node.read(pos, want));
  };

  return { mem, fs, fds, fd, dirFd, fileFd, path, nextFd, filestat, setTimes, readAt };
}

/** The fd_* imports. Each returns an errno; WasiError thrown inside is mapped by the host. */
export function fdCalls(ctx: WasiContext): Record<string, (...args: number[]) => number> {
  const { mem, fds, fd, dirFd, fileFd, filestat, setTimes, readAt } = callHelpers(ctx);
  return {
    fd_close(n) {
      releaseFd(fd(n));
      fds.delete(n);
      return Errno.SUCCESS;
    },
    fd_write(n, iovs, iovsLen, nwritten) {
      const e = fd(n);
      if (e.sock && ctx.sockIo) return (mem.u32(nwritten, ctx.sockIo.send(e, iovs, iovsLen)), Errno.SUCCESS);
      const data = mem.gather(iovs, iovsLen);
      const size = data.length; // writeStdio takes ownership of data (a Worker transfers its buffer)
      if (e.kind === 'stdio') {
        if (e.stream === 0) throw new WasiError(Errno.BADF);
        if (size) ctx.writeStdio(e.stream as 1 | 2, data);
      } else if (e.kind === 'pipe') {
        if (e.end !== 'w') throw new WasiError(Errno.BADF);
        const p = e.pipe!;
        if (p.readers === 0) throw new WasiError(Errno.PIPE);
        p.push(data);
        if (p.size > PIPE_RUN_READER_AT) ctx.procs.runHolder(p, 'r');
      } else {
        const f = fileFd(n);
        if (f.fdflags & FdFlags.APPEND) f.pos = f.inode.size;
        f.inode.write(f.pos, data);
        f.pos += size;
        if (!f.inode.stampsWrites) f.inode.mtime = ctx.nowMs();
      }
      mem.u32(nwritten, size);
      return Errno.SUCCESS;
    },
    fd_pwrite(n, iovs, iovsLen, offset, nwritten) {
      const f = fileFd(n);
      const data = mem.gather(iovs, iovsLen);
      f.inode.write(Number(offset), data);
      mem.u32(nwritten, data.length);
      return Errno.SUCCESS;
    },
    fd_read(n, iovs, iovsLen, nread) {
      const e = fd(n);
      if (e.sock && ctx.sockIo) return (mem.u32(nread, ctx.sockIo.recv(e, iovs, iovsLen, 0)), Errno.SUCCESS);
      if (e.kind === 'stdio') {
        if (e.stream !== 0) throw new WasiError(Errno.BADF);
        const total = mem.iovecs(iovs, iovsLen).reduce((s, [, len]) => s + len, 0);
        const got = ctx.readStdin(total);
        if (got === null) throw new WasiError(Errno.INTR);
        mem.u32(nread, mem.scatter(iovs, iovsLen, got));
        return Errno.SUCCESS;
      }
      if (e.kind === 'pipe') {
        if (e.end !== 'r') throw new WasiError(Errno.BADF);
        const p = e.pipe!;
        const total = mem.iovecs(iovs, iovsLen).reduce((s, [, len]) => s + len, 0);
        while (p.size === 0 && p.writers > 0 && ctx.procs.runHolder(p, 'w'));
        mem.u32(nread, mem.scatter(iovs, iovsLen, p.take(total)));
        return Errno.SUCCESS;
      }
      const f = fileFd(n);
      const got = readAt(f.inode, f.pos, iovs, iovsLen);
      f.pos += got;
      mem.u32(nread, got);
      return Errno.SUCCESS;
    },
    fd_pread(n, iovs, iovsLen, offset, nread) {
      const f = fileFd(n);
      mem.u32(nread, readAt(f.inode, Number(offset), iovs, iovsLen));
      return Errno.SUCCESS;
    },
    fd_seek(n, offset, whence, newOffset) {
      const f = fileFd(n);
      const off = Number(offset);
      const base = whence === Whence.SET ? 0 : whence === Whence.CUR ? f.pos : whence === Whence.END ? f.inode.size : NaN;
      if (Number.isNaN(base) || base + off < 0) throw new WasiError(Errno.INVAL);
      f.pos = base + off;
      mem.u64(newOffset, f.pos);
      return Errno.SUCCESS;
    },
    fd_tell(n, offset) {
      mem.u64(offset, fileFd(n).pos);
      return Errno.SUCCESS;
    },
    fd_fdstat_get(n, ptr) {
      const e = fd(n);
      mem.check(ptr, 24);
      mem.u8(ptr, e.sock ? FileType.SOCKET_STREAM : fileType(e.inode));
      mem.u16(ptr + 2, e.fdflags);
      mem.u64(ptr + 8, e.kind === 'stdio' ? STDIO_RIGHTS : RIGHTS_ALL);
      mem.u64(ptr + 16, RIGHTS_ALL);
      return Errno.SUCCESS;
    },
    fd_fdstat_set_flags(n, flags) {
      fd(n).fdflags = flags;
      return Errno.SUCCESS;
    },
    fd_fdstat_set_rights(n) {
      fd(n);
      return Errno.SUCCESS;
    },
    fd_filestat_get(n, ptr) {
      filestat(ptr, fd(n).inode);
      return Errno.SUCCESS;
    },
    fd_filestat_set_size(n, size) {
      fileFd(n).inode.truncate(Number(size));
      return Errno.SUCCESS;
    },
    fd_filestat_set_times(n, atim, mtim, flags) {
      const e = fd(n);
      if (e.inode) setTimes(e.inode, BigInt(atim), BigInt(mtim), flags);
      return Errno.SUCCESS;
    },
    fd_advise(n) {
      fd(n);
      return Errno.SUCCESS;
    },
    fd_allocate(n, offset, len) {
      const f = fileFd(n);
      const end = Number(offset) + Number(len);
      if (end > f.inode.size) f.inode.truncate(end);
      return Errno.SUCCESS;
    },
    fd_datasync(n) {
      fd(n);
      return Errno.SUCCESS;
    },
    fd_sync(n) {
      fd(n);
      return Errno.SUCCESS;
    },
    fd_renumber(from, to) {
      const e = fd(from);
      fd(to);
      installFd(fds, to, e);
      releaseFd(e);
      fds.delete(from);
      return Errno.SUCCESS;
    },
    fd_prestat_get(n, ptr) {
      const e = fd(n);
      if (e.preopen === undefined) throw new WasiError(Errno.BADF);
      mem.u8(ptr, 0);
      mem.u32(ptr + 4, enc.encode(e.preopen).length);
      return Errno.SUCCESS;
    },
    fd_prestat_dir_name(n, ptr, len) {
      const e = fd(n);
      if (e.preopen === undefined) throw new WasiError(Errno.BADF);
      const name = enc.encode(e.preopen);
      if (len < name.length) throw new WasiError(Errno.NAMETOOLONG);
      mem.write(ptr, name);
      return Errno.SUCCESS;
    },
    fd_readdir(n, buf, bufLen, cookie, bufused) {
      const dir = dirFd(n);
      const entries: Array<[string, Inode]> = [['.', dir], ['..', dir.parent ?? dir], ...[...dir.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))];
      let used = 0;
      for (let i = Number(cookie); i < entries.length && used < bufLen; i++) {
        const [name, node] = entries[i];
        const nameBytes = enc.encode(name);
        const rec = new Uint8Array(24 + nameBytes.length);
        const v = new DataView(rec.buffer);
        v.setBigUint64(0, BigInt(i + 1), true);
        v.setBigUint64(8, BigInt(node.ino), true);
        v.setUint32(16, nameBytes.length, true);
        v.setUint8(20, fileType(node));
        rec.set(nameBytes, 24);
        const take = Math.min(rec.length, bufLen - used);
        mem.write(buf + used, rec.subarray(0, take));
        used += take;
      }
      mem.u32(bufused, used);
      return Errno.SUCCESS;
    },
  };
}
