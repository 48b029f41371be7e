/**
 * src/workers/runtime: the WASM container runtime (containerd's role on a node) and the node disk.
 * - createWasmRuntime: CRI RuntimeService & ImageService over WASI preview1 programs from OCI images.
 * - openNodeDisk: the node's IndexedDB (logs under /var/log/pods, runtime and kubelet state).
 * - launchers: createInProcessLauncher (same thread; Node tests), createWorkerLauncher (one Worker per
 *   container; entry main.ts).
 * - createHttpImageSource: reads the OCI image layout built into public/images.
 * - wasi/: the WASI host (WasiHost), in-memory filesystem and layer unpacking, and the Tabernetes imports:
 *   signals (`tabernetes`), processes and pipes (`tabernetes_process`; process-table.ts).
 * - exec-service / exec-sessions: CRI ExecSync/Exec; shared-pipe: a process's stdin ring and signal bits
 *   (SharedArrayBuffer, blocking reads in the container Worker); limit-module-memory: resources.limits.memory.
 * The CRI contract itself is cri.ts.
 */
export * from './cri';
export { createWasmRuntime, LOST_EXIT_CODE, START_ERROR_EXIT_CODE, type WasmRuntime, type WasmRuntimeOptions } from './wasm-runtime';
export { openNodeDisk, nodeDiskDbName } from './node-disk';
export { createInProcessLauncher, IN_PROCESS_SLEEP_BUDGET_ERROR, KILLED_EXIT_CODE, type LaunchSpec, type ProcessExit, type ProcessLauncher, type RunningProcess } from './process-launcher';
export { createWorkerLauncher, WORKER_ERROR_EXIT_CODE, type WorkerLike, type WorkerLauncherOptions } from './worker-launcher';
export { createHttpImageSource, type FetchLike, type ImageSource, type OciDescriptor, type OciImageConfig, type OciIndex, type OciManifest } from './image-source';
export { parseImageRef, InvalidReferenceError, type ImageRef } from './image-ref';
export { rfc3339Nano, MAX_LOG_LINE_BYTES } from './cri-log-writer';
export { SharedPipe, DEFAULT_PIPE_CAPACITY, type PipeRead } from './shared-pipe';
export { limitModuleMemory } from './limit-module-memory';
export { EXEC_START_FAILED_EXIT_CODE } from './exec-service';
export { WasiHost, TRAP_EXIT_CODE, rootfsFromLayers, emptyRootfs, type WasiHostOptions, type WasiRunResult, type RootfsSnapshot, type FsNode } from './wasi';
