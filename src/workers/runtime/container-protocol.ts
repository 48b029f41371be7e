import type { CpuQuota } from './cpu-throttle';
import type { LaunchNet } from './process-launcher';
import type { VolumeMessage } from './volume-channel';
import type { VolumeReply } from './volume-server';
import type { RootfsSnapshot } from './wasi/mem-fs';

/**
 * Messages between the Worker launcher and the container Worker (src/workers/runtime/main.ts).
 * Order: an idle pooled Worker first gets `warm`, then may get `prime` messages (worker-pool.ts); the launcher posts one `start`; the Worker posts
 * `started` once the instance exists and its `_start` is being entered (never, when instantiation fails), any number of
 * `stdout`/`stderr`/`stdin-space`/`signal-init` (a signal the process sent to its container's pid 1), then one `exit`. Stdin bytes and signals travel through the SharedPipe in `control`, not as messages;
 * `stdin-space` tells the launcher that a full stdin ring has room again.
 */
export interface StartMessage {
  type: 'start';
  module: WebAssembly.Module;
  args: string[];
  env: string[];
  rootfs: RootfsSnapshot;
  /** The process's SharedPipe control block (stdin ring and pending signals). */
  control: SharedArrayBuffer;
  /** False: stdin reads EOF at once (no `stdin: true`). */
  stdin: boolean;
  memoryLimitBytes?: number;
  /** resources.limits.cpu: the module must already be rewritten by limitModuleCpu. */
  cpuQuota?: CpuQuota;
  /** With cpuQuota: the container's CpuGroup block (LaunchSpec.cpuGroup). */
  cpuGroup?: SharedArrayBuffer;
  /** The process's stats block (container-stats.ts), written by the Worker; absent: no stats. */
  stats?: SharedArrayBuffer;
  /** Volume mount paths, in order; file calls on them go through volumeSlot (volume-channel.ts). */
  mounts?: string[];
  volumeSlot?: SharedArrayBuffer;
  /** Each mount's answer to `{ op: 'root' }`, asked in the launcher's thread at launch (saves a blocking round trip per mount at start). */
  mountRoots?: VolumeReply[];
  /** The pod network: fabric buffer, pod IP and this process's owner id (NetworkFabric.newOwner). */
  net?: LaunchNet & { owner: number };
  /** LaunchSpec.pid and pidCounter. */
  pid?: number;
  pidCounter?: SharedArrayBuffer;
  /** For a pid other than 1 with LaunchSpec.signalInit: the process's kill(1, sig) is posted as a `signal-init` message. */
  signalInit?: boolean;
  /** Cluster time = cluster + (wall time now - wall) * speed (wall time: performance.timeOrigin + performance.now()); absent: wall-clock time. */
  clockBase?: { wall: number; cluster: number; speed: number };
}

/**
 * Posted by the pool to each Worker it starts (before any `prime`): the Worker is idle, so it runs its start path
 * once on a throwaway host now (container-start.ts warmContainerStart) and a later `start` finds it compiled.
 */
export interface WarmMessage {
  type: 'warm';
}

/** The module the next `start` will most likely carry, posted to an idle Worker so it is received ahead. */
export interface PrimeMessage {
  type: 'prime';
  module: WebAssembly.Module;
}

export type ContainerMessage =
  | { type: 'stdout' | 'stderr'; chunk: Uint8Array }
  | { type: 'stdin-space' }
  | { type: 'started' }
  | { type: 'signal-init'; sig: number }
  | VolumeMessage
  | { type: 'exit'; exitCode: number; error?: string; oomKilled?: boolean };
