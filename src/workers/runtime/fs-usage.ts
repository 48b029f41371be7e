import type { ContainerLayer } from './container-layer';
import { RemoteInode } from './volume-fs';
import type { Inode } from './wasi/mem-fs';

/**
 * Bytes of file data owned by the tree under `node` (as `du` counts a directory, in bytes, not blocks):
 * files still sharing the image's bytes (copy-on-write not yet taken) count 0, a hard-linked file counts
 * once, and mounted volumes (RemoteInode) are not entered. Symlinks and directories count 0.
 */
export function treeUsedBytes(node: Inode, seen = new Set<number>()): number {
  if (node instanceof RemoteInode) return 0;
  if (node.kind === 'file') {
    if (node.shared || seen.has(node.ino)) return 0;
    seen.add(node.ino);
    return node.size;
  }
  if (node.kind !== 'dir') return 0;
  let total = 0;
  for (const child of node.children.values()) total += treeUsedBytes(child, seen);
  return total;
}

/** A container's writable layer usage (CRI ContainerStats.writable_layer.used_bytes); undefined without a layer. */
export function layerUsedBytes(layer: ContainerLayer | undefined): number | undefined {
  return layer ? treeUsedBytes(layer.fs.root) : undefined;
}
