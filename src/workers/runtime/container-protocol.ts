import type { RootfsSnapshot } from './wasi/mem-fs';

/**
 * Messages between the Worker launcher and the container Worker (src/workers/runtime/main.ts).
 * Order: the launcher posts one `start`; the Worker posts any number of `stdout`/`stderr`, then one `exit`.
 */
export interface StartMessage {
  type: 'start';
  module: WebAssembly.Module;
  args: string[];
  env: string[];
  rootfs: RootfsSnapshot;
  /** Cluster time = cluster + (Date.now() - wall) * speed; absent: wall-clock time. */
  clockBase?: { wall: number; cluster: number; speed: number };
}

export type ContainerMessage =
  | { type: 'stdout' | 'stderr'; chunk: Uint8Array }
  | { type: 'exit'; exitCode: number; error?: string };
