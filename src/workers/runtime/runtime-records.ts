import type { ContainerConfig, ContainerStatus, Mount, PodSandbox, PodSandboxConfig, PodSandboxFilter } from './cri';
import type { CpuQuota } from './cpu-throttle';
import { containerEnv } from './container-spec';
import type { StoredImage } from './image-store';
import type { LaunchNet, ProcessExit } from './process-launcher';

/** SIGTERM, delivered by stopContainer before the grace period. */
export const SIGTERM = 15;

/** Exit code and reason of a container whose process was lost (the tab closed while it ran). */
export const LOST_EXIT_CODE = 255;
/**
 * V8 reserves about 8 GiB of address space for every WebAssembly memory inside a 1 TiB cage per process, so
 * one tab holds about 124 WebAssembly memories (containers, and exec processes) at once; the next instantiation fails with one of these messages and
 * the container ends as StartError with TAB_MEMORY_LIMIT_NOTE appended.
 */
export const WASM_MEMORY_EXHAUSTED = /Out of memory|could not allocate memory|Cannot allocate Wasm memory/i;
export const TAB_MEMORY_LIMIT_NOTE =
  'the browser could not reserve memory for another WebAssembly instance (a tab runs at most about 120 containers at once: each WebAssembly memory reserves 8 GiB of address space)';

/** Exit code of a container whose process could not be started (reason StartError), as containerd reports. */
export const START_ERROR_EXIT_CODE = 128;

export interface SandboxRecord extends PodSandbox {
  config: PodSandboxConfig;
}

export interface ContainerRecord extends ContainerStatus {
  imageId: string;
  args: string[];
  env: string[];
  workingDir: string;
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
  memoryLimitBytes?: number;
  cpuQuota?: CpuQuota;
  mounts?: Mount[];
}

export const RUNTIME_VERSION = { runtimeName: 'tabernetes-wasm', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };

/** The CRI view of a record (runtime-private fields dropped), a copy. */
export function publicStatus(c: ContainerRecord): ContainerStatus {
  const { imageId: _i, args: _a, env: _e, workingDir: _w, stdin: _s, stdinOnce: _so, tty: _t, memoryLimitBytes: _m, cpuQuota: _q, mounts: _mo, ...status } = c;
  return plainCopy(status);
}

export function publicSandbox(s: SandboxRecord): PodSandbox {
  const { config: _c, ...rest } = s;
  return plainCopy(rest);
}

/**
 * A deep copy of JSON-shaped data (plain objects, arrays, primitives), as the records' public views are: the
 * kubelet lists them several times per pod sync, and structuredClone costs a serialisation round trip each.
 * Anything else (none in these records) would be shared, not copied.
 */
export function plainCopy<T>(v: T): T {
  if (typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map(plainCopy) as T;
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = plainCopy((v as Record<string, unknown>)[k]);
  return out as T;
}

/** CRI ListPodSandbox's filter: id, state and every selector label must match. */
export function sandboxMatches(s: SandboxRecord, filter: PodSandboxFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.id && s.id !== filter.id) return false;
  if (filter.state && s.state !== filter.state) return false;
  for (const k in filter.labelSelector ?? {}) if (s.labels[k] !== filter.labelSelector![k]) return false;
  return true;
}

/** A container with a tty gets TERM=xterm, as containerd sets it. */
export function withTerm(env: string[], tty: boolean): string[] {
  return tty && !env.some((e) => e.startsWith('TERM=')) ? [...env, 'TERM=xterm'] : env;
}

/** CRI cpu_quota/cpu_period (the kubelet's CFS quota for resources.limits.cpu); a quota <= 0 is no limit. */
export function cpuQuotaOf(config: ContainerConfig): { cpuQuota?: CpuQuota } {
  const r = config.linux?.resources;
  return r?.cpuQuota && r.cpuQuota > 0 ? { cpuQuota: { quotaUs: r.cpuQuota, periodUs: r.cpuPeriod || 100_000 } } : {};
}

/** The record of a new container (state CREATED) from its CRI config and image. */
export function newContainerRecord(
  id: string,
  podSandboxId: string,
  img: StoredImage,
  args: string[],
  config: ContainerConfig,
  sandboxConfig: PodSandboxConfig,
  now: number,
): ContainerRecord {
  return {
    id,
    podSandboxId,
    metadata: { ...config.metadata },
    state: 'CONTAINER_CREATED',
    createdAt: now,
    image: { image: img.repoTags[0] ?? img.id },
    imageRef: img.repoDigests[0] ?? img.id,
    logPath: `${sandboxConfig.logDirectory.replace(/\/+$/, '')}/${config.logPath}`,
    labels: { ...(config.labels ?? {}) },
    imageId: img.id,
    args,
    env: withTerm(containerEnv(img.config, config, sandboxConfig), !!config.tty),
    workingDir: config.workingDir || img.config.config?.WorkingDir || '/',
    ...(config.stdin ? { stdin: true } : {}),
    ...(config.stdin && config.stdinOnce ? { stdinOnce: true } : {}),
    ...(config.tty ? { tty: true } : {}),
    ...(config.linux?.resources?.memoryLimitInBytes ? { memoryLimitBytes: config.linux.resources.memoryLimitInBytes } : {}),
    ...cpuQuotaOf(config),
    ...(config.mounts?.length ? { mounts: structuredClone(config.mounts) } : {}),
  };
}

/** LaunchSpec.net for a process of a container in the sandbox: the pod's IP on the cluster fabric (none without one). */
export function launchNetOf(network: SharedArrayBuffer | undefined, config: PodSandboxConfig | undefined): { net?: LaunchNet } {
  const podIp = config?.podIP;
  if (!network || !podIp) return {};
  const ndots = Number(/^ndots:(\d+)$/.exec(config.dnsConfig?.options.find((o) => o.startsWith('ndots:')) ?? '')?.[1] ?? 1);
  return { net: { fabric: network, podIp, namespace: config.metadata.namespace, ...(config.dnsConfig ? { dns: { search: config.dnsConfig.searches, ndots } } : {}) } };
}

/** The record fields of a container whose process ended (a tab out of WebAssembly memory is a StartError). */
export function exitedFields(exit: ProcessExit, now: number): Partial<ContainerRecord> {
  const noMemory = !!exit.error && WASM_MEMORY_EXHAUSTED.test(exit.error);
  return {
    state: 'CONTAINER_EXITED',
    finishedAt: now,
    exitCode: noMemory ? START_ERROR_EXIT_CODE : exit.exitCode,
    reason: noMemory ? 'StartError' : exit.oomKilled ? 'OOMKilled' : exit.exitCode === 0 ? 'Completed' : 'Error',
    ...(noMemory ? { message: `${exit.error}: ${TAB_MEMORY_LIMIT_NOTE}` } : exit.error ? { message: exit.error } : {}),
  };
}

/** The record fields of a container whose program ended before `_start` (StartError, 128; a tab out of WebAssembly memory says so). */
export function notStartedFields(exit: ProcessExit, now: number): Partial<ContainerRecord> & { message: string } {
  const why = exit.error ?? `exit code ${exit.exitCode}`;
  const message = WASM_MEMORY_EXHAUSTED.test(why) ? `${why}: ${TAB_MEMORY_LIMIT_NOTE}` : why;
  return { state: 'CONTAINER_EXITED', exitCode: START_ERROR_EXIT_CODE, reason: 'StartError', message, finishedAt: now };
}

/** The record fields of a container whose process could not start (containerd's StartError and message). */
export function startErrorFields(why: string, now: number): Partial<ContainerRecord> & { message: string } {
  const message = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${why}: unknown`;
  return { state: 'CONTAINER_EXITED', exitCode: START_ERROR_EXIT_CODE, reason: 'StartError', message, startedAt: undefined, finishedAt: now };
}
