/**
 * src/workers/runtime: the WASM container runtime (containerd's role on a node) and the node disk.
 * - createWasmRuntime: CRI RuntimeService & ImageService over WASI preview1 programs from OCI images. A container
 *   is RUNNING (startedAt, CONTAINER_STARTED_EVENT, StartContainer resolving) once its program has started: the
 *   launcher's RunningProcess.started, i.e. the container Worker's `started` as `_start` is entered; WasmRuntime.instances
 *   counts those alive. Concurrent pulls of one reference share one fetch; ListPodSandbox takes CRI's filter.
 * - openNodeDisk: the node's IndexedDB (logs under /var/log/pods, runtime and kubelet state); its writes are
 *   group-committed (write-behind: one transaction per batch of writes, each resolving when its batch commits).
 * - launchers: createInProcessLauncher (same thread; Node tests), createWorkerLauncher (one Worker per
 *   container; entry main.ts).
 * - createHttpImageSource: reads the OCI image layout built into public/images; withLocalImages layers the
 *   images imported in this tab (local-images.ts: `.wasm` packed as docker.io/local/<name>, IndexedDB) over it.
 * - wasi/: the WASI host (WasiHost), in-memory filesystem and layer unpacking, and the Tabernetes imports:
 *   signals (`tabernetes`), processes, pids and pipes (`tabernetes_process`; process-table.ts).
 * - exec-service / exec-sessions: CRI ExecSync/Exec; attach-service: CRI Attach (a session on a container's main
 *   process: its output from now on, stdin with stdinOnce, tty containers get TERM and "\r\n"); shared-pipe: a process's stdin ring and signal bits
 *   (SharedArrayBuffer, blocking reads in the container Worker); limit-module-memory: resources.limits.memory.
 * - limit-module-cpu + cpu-throttle: resources.limits.cpu (CRI cpu_quota/cpu_period) for every process of the
 *   container (one CpuGroup: main, sh's children, exec'd processes): the module gets a
 *   budget check at function entries and loop headers that calls the container Worker's CFS-like throttle.
 * - container-stats: a process's CPU and memory counters (SharedArrayBuffer written by the container Worker),
 *   behind RuntimeService.listContainerStats; the throttling counters there are the CpuGroup's (every process).
 * - pids: each container is a pid namespace: its main process is pid 1, exec'd processes and all children take
 *   pids from one shared counter (wasi/process-table.ts); kill(1, sig) from any of them reaches the main process
 *   as Linux signals a namespace's init from inside (only handled signals; never SIGKILL/SIGSTOP).
 * - volumes: the node's host filesystem (createHostFs, WasmRuntime.hostFs) holds every volume; a CRI Mount
 *   exposes part of it to a container through a VolumeServer (volume-server.ts) reached synchronously,
 *   directly in-process or over a SharedArrayBuffer reply slot from a Worker (volume-channel.ts), as
 *   RemoteInodes mounted into the container's MemFs (volume-fs.ts).
 * - container-layer: a container's root filesystem (image + writable layer + volumes) in the runtime's thread,
 *   served like a volume to all its processes (main, execs, their children) as their "/" (shared writes).
 * - wasm-runtime is split along its seams: runtime-state (records on the node disk, events), runtime-records
 *   (record types and status fields), process-prepare (layer + program lookup + module-cache compile).
 * - worker-pool: idle container Workers started ahead (and primed with the last module) for the Worker launcher;
 *   runPodSandbox starts one more (ProcessLauncher.prepare → WorkerPool.reserve) unless idle Workers cover the
 *   launches announced; grown in idle time toward a node's worth (warm).
 * - worker-net: a container Worker's WasiNet (sockets on the cluster's network fabric, src/network).
 * - container-start: a `start` message → its WasiHost (main.ts); warmContainerStart runs a throwaway start's host calls while
 *   a pooled Worker is idle (the pool's `warm` message), so its later start does not compile its code path.
 * The CRI contract itself is cri.ts.
 */
export * from './cri';
export { createWasmRuntime, LOST_EXIT_CODE, START_ERROR_EXIT_CODE, type WasmRuntime, type WasmRuntimeOptions } from './wasm-runtime';
export { openNodeDisk, nodeDiskDbName } from './node-disk';
export { createInProcessLauncher, IN_PROCESS_SLEEP_BUDGET_ERROR, KILLED_EXIT_CODE, type LaunchSpec, type ProcessExit, type ProcessLauncher, type RunningProcess } from './process-launcher';
export { createWorkerLauncher, WORKER_ERROR_EXIT_CODE, type WorkerLike, type WorkerLauncherOptions } from './worker-launcher';
export { createWorkerPool, type WorkerPool, type WorkerPoolOptions } from './worker-pool';
export { createHttpImageSource, withLocalImages, type FetchLike, type ImageSource, type OciDescriptor, type OciImageConfig, type OciIndex, type OciManifest } from './image-source';
export { lazyLocalImages, localNameFromFile, openLocalImages, packWasmImage, validateLocalName, LOCAL_IMAGES_DB, type LocalImageLibrary, type LocalImageRecord, type PackedImage } from './local-images';
export { parseImageRef, InvalidReferenceError, type ImageRef } from './image-ref';
export { rfc3339Nano, MAX_LOG_LINE_BYTES } from './cri-log-writer';
export { SharedPipe, DEFAULT_PIPE_CAPACITY, type PipeRead } from './shared-pipe';
export { limitModuleMemory } from './limit-module-memory';
export { limitModuleCpu, installCpuCheck, CPU_CHECK_TABLE_EXPORT } from './limit-module-cpu';
export { CpuGroup, CpuThrottle, newCpuGroupBuffer, type CpuQuota, type ThrottleCounters } from './cpu-throttle';
export { CONTAINER_OVERHEAD_BYTES, type ProcessStats } from './container-stats';
export { EXEC_START_FAILED_EXIT_CODE } from './exec-service';
export { VolumeServer, ERRNO_NOSPC, ERRNO_ROFS, type VolumeCall, type VolumeRequest, type VolumeReply } from './volume-server';
export { createHostFs } from './volume-mounts';
export { createContainerLayer, type ContainerLayer } from './container-layer';
export { MemFs } from './wasi/mem-fs';
export { WasiHost, TRAP_EXIT_CODE, rootfsFromLayers, emptyRootfs, type WasiHostOptions, type WasiRunResult, type RootfsSnapshot, type FsNode } from './wasi';
