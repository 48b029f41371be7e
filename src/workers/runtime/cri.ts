/**
 * The CRI-shaped contract between the kubelet and the WASM container runtime.
 * Names follow k8s.io/cri-api (RuntimeService and ImageService), trimmed to what the kubelet uses.
 * Times are milliseconds of cluster time. Every method may be called in-process or over Comlink.
 */

export interface PodSandboxMetadata {
  name: string;
  namespace: string;
  uid: string;
  attempt: number;
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  hostname?: string;
  /** Where this pod's container logs live on the node disk: /var/log/pods/<ns>_<name>_<uid> */
  logDirectory: string;
  /**
   * The pod's IP (a Tabernetes addition: the kubelet allocates it from the node's podCIDR, where a real
   * runtime would get it from CNI). Its containers' sockets live on it; absent: they have no network.
   */
  podIP?: string;
  /** CRI DNSConfig: the runtime writes it as the containers' /etc/resolv.conf (absent: the image's own). */
  dnsConfig?: { servers: string[]; searches: string[]; options: string[] };
  /** The kubelet-managed /etc/hosts content (a Tabernetes addition: kubelet bind-mounts its file in a real node). */
  etcHosts?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';

export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata;
  state: PodSandboxState;
  createdAt: number;
  labels: Record<string, string>;
}

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface KeyValuePair {
  key: string;
  value: string;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  /** The image reference as the Pod names it ('hello-world', 'docker.io/library/hello-world:latest'). */
  image: { image: string };
  /** Pod `command`: overrides the image Entrypoint when non-empty. */
  command?: string[];
  /** Pod `args`: overrides the image Cmd when non-empty (Kubernetes semantics, already $(VAR)-expanded). */
  args?: string[];
  envs?: KeyValuePair[];
  workingDir?: string;
  /** Relative to the sandbox's logDirectory: <container>/<attempt>.log */
  logPath: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  stdin?: boolean;
  /** With stdin: the container's stdin is closed when the first attach session closes its stdin (or detaches). */
  stdinOnce?: boolean;
  /** The container has a terminal: TERM=xterm in its env, and attach output gets "\n" → "\r\n". */
  tty?: boolean;
  /**
   * CRI LinuxContainerResources, trimmed: memory_limit_in_bytes caps the module's linear memory; cpu_quota
   * (µs per cpu_period µs, default period 100000) throttles the process (cpu-throttle.ts).
   */
  linux?: { resources?: { memoryLimitInBytes?: number; cpuQuota?: number; cpuPeriod?: number } };
  /** Volume mounts, mounted in order (parents before nested mounts). See Mount. */
  mounts?: Mount[];
}

/**
 * CRI Mount: hostPath is a path in the node's host filesystem (the runtime's hostFs, where the kubelet
 * lays out volumes under /var/lib/kubelet/pods/<uid>/volumes); it must exist when the container starts
 * (else the start fails with runc's "no such file or directory"). readonly makes changes fail with EROFS.
 * sizeLimitBytes (a Tabernetes extension for emptyDir sizeLimit): writes that take the mounted tree past
 * it fail with ENOSPC.
 */
export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
  sizeLimitBytes?: number;
}

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface ContainerStatus {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  /** For exited containers: 'Completed' (exit 0), 'Error', 'OOMKilled', 'StartError'. */
  reason?: string;
  message?: string;
  image: { image: string };
  /** docker.io/library/hello-world@sha256:… */
  imageRef: string;
  /** Full path on the node disk: logDirectory + '/' + logPath. */
  logPath: string;
  labels: Record<string, string>;
}

/** CRI PodSandboxFilter: every field given must match (labelSelector: each label equal). */
export interface PodSandboxFilter {
  id?: string;
  state?: PodSandbox['state'];
  labelSelector?: Record<string, string>;
}

export interface ContainerFilter {
  podSandboxId?: string;
  state?: ContainerState;
}

/**
 * CRI ContainerStats, trimmed: measured CPU (cumulative core-nanoseconds of cluster time) and working set,
 * both sampled at `timestamp` (ms of cluster time). podSandboxId is an addition (CRI puts it in labels).
 */
export interface ContainerStats {
  attributes: { id: string; podSandboxId: string; metadata: ContainerMetadata; labels: Record<string, string> };
  cpu: {
    timestamp: number;
    usageCoreNanoSeconds: number;
    /** Containers with a CPU limit: cgroup cpu.stat nr_periods, nr_throttled, throttled_time (ns of cluster time). */
    throttling?: { periods: number; throttledPeriods: number; throttledTimeNanos: number };
  };
  memory: { timestamp: number; workingSetBytes: number };
  /** CRI writable_layer: bytes the container wrote into its own layer (files copied up or created; volumes excluded). */
  writableLayer?: { timestamp: number; usedBytes: number };
}

export interface ContainerStatsFilter {
  id?: string;
  podSandboxId?: string;
}

export interface ContainerEvent {
  containerId: string;
  podSandboxId: string;
  type: 'CONTAINER_CREATED_EVENT' | 'CONTAINER_STARTED_EVENT' | 'CONTAINER_STOPPED_EVENT' | 'CONTAINER_DELETED_EVENT';
  createdAt: number;
}

export interface Image {
  id: string; // sha256:… of the config
  repoTags: string[];
  repoDigests: string[];
  size: number;
}

/**
 * Errors: methods reject with RuntimeError. PullImage rejects code 'ErrImagePull' with the message the
 * kubelet puts in the Failed event; an unknown image says
 * 'failed to resolve reference "docker.io/library/x:latest": docker.io/library/x:latest: not found'.
 */
export class RuntimeError extends Error {
  constructor(
    readonly code: 'ErrImagePull' | 'NotFound' | 'CreateContainerError' | 'RunContainerError' | 'Internal',
    message: string,
  ) {
    super(message);
    this.name = 'RuntimeError';
  }
}

export interface RuntimeService {
  version(): Promise<{ runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }>;
  runPodSandbox(config: PodSandboxConfig): Promise<string>;
  /** Stops every container of the sandbox (as StopContainer with the given grace) and marks it NOTREADY. */
  stopPodSandbox(podSandboxId: string): Promise<void>;
  removePodSandbox(podSandboxId: string): Promise<void>;
  /** The sandboxes matching filter (all without one); only matches are copied. */
  listPodSandbox(filter?: PodSandboxFilter): Promise<PodSandbox[]>;

  createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  /** Asks the process to stop; after timeoutSeconds it is killed. Resolves once it has exited. */
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  /**
   * Long-poll for container lifecycle events after sequence number `since` (0 for all retained).
   * Resolves as soon as at least one event exists after `since` (or after the runtime is closed, with none).
   */
  getContainerEvents(since: number): Promise<{ seq: number; events: ContainerEvent[] }>;
  /**
   * Stats of the running containers matching filter (CRI ListContainerStats). Cheap: reads counters the
   * container processes publish, no round trip to them. Optional: a runtime without stats omits it.
   */
  listContainerStats?(filter?: ContainerStatsFilter): Promise<ContainerStats[]>;
}

/** One exec'd process's output, in order; the last chunk of a session is the exit. */
export type ExecChunk = { stream: 'stdout' | 'stderr'; data: Uint8Array } | { exitCode: number; error?: string };

export interface ExecRequest {
  containerId: string;
  cmd: string[];
  /** True: stdin is fed by execWrite until execCloseStdin; false: it reads EOF. */
  stdin?: boolean;
  /** True: stderr is merged into stdout, as with a terminal. */
  tty?: boolean;
}

/**
 * CRI ExecSync and Exec (streams pulled like ApiHandler's). An exec runs `cmd` as a new process of the
 * container: the program is looked up in the container's root filesystem (PATH from its env), with the
 * container's env and working directory, in its own Worker with its own stdio. That filesystem (image,
 * writable layer, volumes) is the one the main process and every other exec use (container-layer.ts).
 *
 * Errors: exec/execSync reject RuntimeError NotFound for an unknown container and 'RunContainerError'
 * ('container is not running') when it is not running. A program that cannot be found is not an error: it
 * ends with exit code 126 after the runc message on stdout, as containerd reports it.
 */
export interface ExecService {
  execSync(containerId: string, cmd: string[], timeoutSeconds: number): Promise<{ stdout: Uint8Array; stderr: Uint8Array; exitCode: number }>;
  /** Starts the process; resolves with a session id. */
  exec(req: ExecRequest): Promise<string>;
  /** The next non-empty batch of chunks, or null after the exit chunk was read (or the session is unknown). */
  execRead(sessionId: string): Promise<ExecChunk[] | null>;
  execWrite(sessionId: string, data: Uint8Array): Promise<void>;
  execCloseStdin(sessionId: string): Promise<void>;
  /** Terminal size; recorded only (the WASI ABI has no ioctl). */
  execResize(sessionId: string, size: { width: number; height: number }): Promise<void>;
  /** Kills the process if still running and forgets the session. */
  execCancel(sessionId: string): Promise<void>;
}

export interface AttachRequest {
  containerId: string;
  /** True: input from execWrite goes to the container's stdin (if it was created with stdin). */
  stdin?: boolean;
  /** Accepted for CRI shape; the container's own tty setting decides the output form. */
  tty?: boolean;
}

/**
 * CRI Attach: a session on a running container's main process, read and written with ExecService's
 * execRead/execWrite/execCloseStdin/execResize/execCancel. Output is what the process writes from now on
 * (stdout and stderr; with a tty container both on stdout with "\r\n"); the session ends with an exit
 * chunk carrying the container's exit code when it exits, or 0 after execCancel (a detach: the container
 * keeps running). execCloseStdin (and a detach) closes the container's stdin only when it is stdinOnce.
 * Errors: RuntimeError NotFound (unknown container), RunContainerError (not running).
 */
export interface AttachService {
  attach(req: AttachRequest): Promise<string>;
}

export interface ImageService {
  /** Resolves with the imageRef (repo@sha256:digest). */
  pullImage(image: { image: string }): Promise<string>;
  listImages(): Promise<Image[]>;
  imageStatus(image: { image: string }): Promise<Image | undefined>;
  removeImage(image: { image: string }): Promise<void>;
}

/** A node's disk, as containerd and the kubelet share /var/log/pods. Kept in the node's own IndexedDB database. */
export interface NodeDisk {
  /** Appends CRI-format log lines ("<RFC3339Nano> stdout F <text>") to the file at path. */
  appendLog(path: string, lines: string[]): Promise<void>;
  /** The whole file, or undefined if absent. */
  readLog(path: string): Promise<string[] | undefined>;
  removeLogs(pathPrefix: string): Promise<void>;
  /** Every log file whose path starts with pathPrefix, with its size (UTF-8 bytes, a newline per line), sorted by path. */
  listLogs(pathPrefix: string): Promise<Array<{ path: string; bytes: number }>>;
  /**
   * Moves the file at `from` to `to` (replacing `to`) in one step, as rename(2): an append to `from` after
   * this resolves starts a new file. No-op when `from` is absent.
   */
  renameLog(from: string, to: string): Promise<void>;
  /** A small key/value area for runtime and kubelet state that must survive a reload (e.g. container records). */
  getState<T>(key: string): Promise<T | undefined>;
  /**
   * Resolves once the value is durable. Writes may be group-committed: the value can be serialised after the
   * call (no later than any read or write that follows it is served), so a caller that changes it afterwards
   * puts it again.
   */
  putState<T>(key: string, value: T): Promise<void>;
  deleteState(key: string): Promise<void>;
  listState<T>(prefix: string): Promise<Array<{ key: string; value: T }>>;
  close(): Promise<void>;
}
