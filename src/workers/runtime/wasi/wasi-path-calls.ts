import { callHelpers, type WasiContext } from './wasi-fd-calls';
import type { Inode } from './mem-fs';
import { Errno, LookupFlags, OFlags, WasiError } from './wasi-constants';
import { crossDevice } from '../volume-fs';

const enc = new TextEncoder();

/** The path_* imports (paths resolve from a directory fd, confined to the root). Each returns an errno. */
export function pathCalls(ctx: WasiContext): Record<string, (...args: number[]) => number> {
  const { mem, fs, fds, dirFd, path, nextFd, filestat, setTimes } = callHelpers(ctx);
  return {
    path_open(n, dirflags, pathPtr, pathLen, oflags, _rightsBase, _rightsInh, fdflags, fdOut) {
      const base = dirFd(n);
      const follow = (dirflags & LookupFlags.SYMLINK_FOLLOW) !== 0;
      const p = path(pathPtr, pathLen);
      const found = fs.lookup(base, p, follow);
      let node = found.node;
      if (node) {
        if (oflags & OFlags.CREAT && oflags & OFlags.EXCL) throw new WasiError(Errno.EXIST);
        if (oflags & OFlags.DIRECTORY && node.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
        if (node.kind === 'symlink') throw new WasiError(Errno.LOOP);
        if (oflags & OFlags.TRUNC) {
          if (node.kind === 'dir') throw new WasiError(Errno.ISDIR);
          node.truncate(0);
        }
      } else {
        if (!(oflags & OFlags.CREAT)) throw new WasiError(Errno.NOENT);
        if (oflags & OFlags.DIRECTORY) throw new WasiError(Errno.INVAL);
        node = fs.create('file', found.parent, found.name);
      }
      const fdNum = nextFd();
      fds.set(fdNum, { kind: node.kind === 'dir' ? 'dir' : 'file', inode: node, pos: 0, fdflags });
      mem.u32(fdOut, fdNum);
      return Errno.SUCCESS;
    },
    path_filestat_get(n, flags, pathPtr, pathLen, ptr) {
      filestat(ptr, fs.resolve(dirFd(n), path(pathPtr, pathLen), (flags & LookupFlags.SYMLINK_FOLLOW) !== 0));
      return Errno.SUCCESS;
    },
    path_filestat_set_times(n, flags, pathPtr, pathLen, atim, mtim, fst) {
      const node = fs.resolve(dirFd(n), path(pathPtr, pathLen), (flags & LookupFlags.SYMLINK_FOLLOW) !== 0);
      setTimes(node, BigInt(atim), BigInt(mtim), fst);
      return Errno.SUCCESS;
    },
    path_create_directory(n, pathPtr, pathLen) {
      const { parent, name, node } = fs.lookup(dirFd(n), path(pathPtr, pathLen), false);
      if (node) throw new WasiError(Errno.EXIST);
      fs.create('dir', parent, name);
      return Errno.SUCCESS;
    },
    path_unlink_file(n, pathPtr, pathLen) {
      const { parent, name, node } = fs.lookup(dirFd(n), path(pathPtr, pathLen), false);
      if (!node) throw new WasiError(Errno.NOENT);
      if (node.kind === 'dir') throw new WasiError(Errno.ISDIR);
      fs.unlink(parent, name, node);
      return Errno.SUCCESS;
    },
    path_remove_directory(n, pathPtr, pathLen) {
      const { parent, name, node } = fs.lookup(dirFd(n), path(pathPtr, pathLen), false);
      if (!node) throw new WasiError(Errno.NOENT);
      if (node.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
      if (node === fs.root) throw new WasiError(Errno.ACCES);
      if (node.children.size) throw new WasiError(Errno.NOTEMPTY);
      fs.unlink(parent, name, node);
      return Errno.SUCCESS;
    },
    path_rename(n, oldPtr, oldLen, n2, newPtr, newLen) {
      const from = fs.lookup(dirFd(n), path(oldPtr, oldLen), false);
      const to = fs.lookup(dirFd(n2), path(newPtr, newLen), false);
      if (!from.node) throw new WasiError(Errno.NOENT);
      if (to.node === from.node) return Errno.SUCCESS;
      if (crossDevice(from.parent, to.parent) || crossDevice(from.node, to.parent)) throw new WasiError(Errno.XDEV);
      for (let p: Inode | undefined = to.parent; p && p !== fs.root; p = p.parent) if (p === from.node) throw new WasiError(Errno.INVAL);
      if (to.node) {
        if (from.node.kind === 'dir' && to.node.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
        if (from.node.kind !== 'dir' && to.node.kind === 'dir') throw new WasiError(Errno.ISDIR);
        if (to.node.kind === 'dir' && to.node.children.size) throw new WasiError(Errno.NOTEMPTY);
      }
      from.parent.children.delete(from.name);
      to.parent.children.set(to.name, from.node);
      from.node.parent = to.parent;
      from.parent.mtime = to.parent.mtime = ctx.nowMs();
      return Errno.SUCCESS;
    },
    path_symlink(oldPtr, oldLen, n, newPtr, newLen) {
      const target = path(oldPtr, oldLen);
      const { parent, name, node } = fs.lookup(dirFd(n), path(newPtr, newLen), false);
      if (node) throw new WasiError(Errno.EXIST);
      fs.create('symlink', parent, name).target = target;
      return Errno.SUCCESS;
    },
    path_readlink(n, pathPtr, pathLen, buf, bufLen, bufused) {
      const node = fs.resolve(dirFd(n), path(pathPtr, pathLen), false);
      if (node.kind !== 'symlink') throw new WasiError(Errno.INVAL);
      const t = enc.encode(node.target).subarray(0, bufLen);
      mem.write(buf, t);
      mem.u32(bufused, t.length);
      return Errno.SUCCESS;
    },
    path_link(n, _flags, oldPtr, oldLen, n2, newPtr, newLen) {
      const src = fs.resolve(dirFd(n), path(oldPtr, oldLen), false);
      if (src.kind === 'dir') throw new WasiError(Errno.PERM);
      const to = fs.lookup(dirFd(n2), path(newPtr, newLen), false);
      if (to.node) throw new WasiError(Errno.EXIST);
      to.parent.children.set(to.name, src);
      src.nlink++;
      return Errno.SUCCESS;
    },
  };
}

