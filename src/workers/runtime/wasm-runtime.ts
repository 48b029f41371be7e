import type { Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import type { IdSource } from '../../api/ids';
import { ContainerEventLog } from './container-events';
import { createAttachService } from './attach-service';
import { createExecService } from './exec-service';
import { ExecSessions } from './exec-sessions';
import { limitModuleMemory } from './limit-module-memory';
import { limitModuleCpu } from './limit-module-cpu';
import type { CpuQuota } from './cpu-throttle';
import { containerArgv, containerEnv, findProgram } from './container-spec';
import { CriLogWriter } from './cri-log-writer';
import { listContainerStats } from './container-stats-list';
import {
  RuntimeError,
  type ContainerConfig,
  type ContainerEvent,
  type ContainerFilter,
  type ContainerStatus,
  type Mount,
  type AttachService,
  type ExecService,
  type ImageService,
  type NodeDisk,
  type PodSandbox,
  type PodSandboxConfig,
  type RuntimeService,
} from './cri';
import { ImageStore } from './image-store';
import type { ImageSource } from './image-source';
import type { LaunchNet, ProcessLauncher, RunningProcess } from './process-launcher';
import type { MemFs, RootfsSnapshot } from './wasi/mem-fs';
import { createHostFs, serveMounts } from './volume-mounts';
import { withPodEtcFiles } from './pod-etc-files';
import type { VolumeCall } from './volume-server';

export interface WasmRuntimeOptions {
  nodeName: string;
  disk: NodeDisk;
  clock: Clock;
  ids: IdSource;
  images: ImageSource;
  launcher: ProcessLauncher;
  /** The node's host filesystem that CRI mounts' hostPaths name (default: a new empty one). */
  hostFs?: MemFs;
  /** The cluster's network fabric buffer (src/network); containers of a sandbox with a podIP get sockets on it. */
  network?: SharedArrayBuffer;
}

/** hostFs: where the kubelet writes volumes; containers see the mounted parts of it live (volume-fs.ts). */
export type WasmRuntime = RuntimeService & ImageService & ExecService & AttachService & Disposable & { readonly hostFs: MemFs };

/** SIGTERM, delivered by stopContainer before the grace period. */
const SIGTERM = 15;

/** Exit code and reason of a container whose process was lost (the tab closed while it ran). */
export const LOST_EXIT_CODE = 255;
/**
 * V8 reserves about 8 GiB of address space for every WebAssembly memory inside a 1 TiB cage per process, so
 * one tab runs about 150-200 containers at once; the next instantiation fails with one of these messages and
 * the container ends as StartError with TAB_MEMORY_LIMIT_NOTE appended.
 */
const WASM_MEMORY_EXHAUSTED = /Out of memory|could not allocate memory|Cannot allocate Wasm memory/i;
export const TAB_MEMORY_LIMIT_NOTE =
  'the browser could not reserve memory for another WebAssembly instance (a tab runs at most about 150-200 containers at once: each WebAssembly memory reserves 8 GiB of address space)';

/** Exit code of a container whose process could not be started (reason StartError), as containerd reports. */
export const START_ERROR_EXIT_CODE = 128;

interface SandboxRecord extends PodSandbox {
  config: PodSandboxConfig;
}

interface ContainerRecord extends ContainerStatus {
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

const RUNTIME_VERSION = { runtimeName: 'tabernetes-wasm', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };

/**
 * A CRI runtime for WASI containers on one node. Records live on the node disk (`sandbox/<id>`,
 * `container/<id>`), so a runtime re-created on the same disk lists earlier containers; those that were
 * running are reported EXITED with exit code 255, reason 'Unknown', and their sandboxes NOTREADY.
 * Logs go to <logDirectory>/<logPath> in CRI format. Errors are RuntimeError.
 */
export function createWasmRuntime(opts: WasmRuntimeOptions): WasmRuntime {
  const { disk, clock, ids, launcher } = opts;
  const images = new ImageStore(disk, opts.images);
  const sandboxes = new Map<string, SandboxRecord>();
  const containers = new Map<string, ContainerRecord>();
  const running = new Map<string, { proc: RunningProcess; done: Promise<void> }>();
  const events = new ContainerEventLog();
  const modules = new Map<string, Promise<WebAssembly.Module>>();
  const execs = new ExecSessions();
  const attaches = createAttachService({
    sessions: execs,
    newId: () => newId(),
    runningContainer: async (id) => {
      const c = await container(id);
      const r = running.get(id);
      if (c.state !== 'CONTAINER_RUNNING' || !r) throw new RuntimeError('RunContainerError', `container ${id} is not running`);
      return { proc: r.proc, stdin: !!c.stdin, stdinOnce: !!c.stdinOnce, tty: !!c.tty };
    },
  });
  const hostFs = opts.hostFs ?? createHostFs(() => clock.now());
  let disposed = false;

  const newId = () => Array.from(ids.bytes(32), (b) => b.toString(16).padStart(2, '0')).join('');
  const saveSandbox = (s: SandboxRecord) => disk.putState(`sandbox/${s.id}`, s);
  const saveContainer = (c: ContainerRecord) => disk.putState(`container/${c.id}`, c);
  const emit = (c: ContainerRecord, type: ContainerEvent['type']) =>
    events.push({ containerId: c.id, podSandboxId: c.podSandboxId, type, createdAt: clock.now() });

  const ready = (async () => {
    for (const { value } of await disk.listState<SandboxRecord>('sandbox/')) {
      if (value.state === 'SANDBOX_READY') {
        value.state = 'SANDBOX_NOTREADY';
        await saveSandbox(value);
      }
      sandboxes.set(value.id, value);
    }
    for (const { value } of await disk.listState<ContainerRecord>('container/')) {
      if (value.state === 'CONTAINER_RUNNING') {
        Object.assign(value, { state: 'CONTAINER_EXITED', exitCode: LOST_EXIT_CODE, reason: 'Unknown', finishedAt: clock.now() });
        await saveContainer(value);
      }
      containers.set(value.id, value);
    }
  })();

  const container = async (id: string) => {
    await ready;
    const c = containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `an error occurred when try to find container "${id}": not found`);
    return c;
  };
  const sandbox = async (id: string) => {
    await ready;
    const s = sandboxes.get(id);
    if (!s) throw new RuntimeError('NotFound', `an error occurred when try to find sandbox "${id}": not found`);
    return s;
  };
  const publicStatus = (c: ContainerRecord): ContainerStatus => {
    const { imageId: _i, args: _a, env: _e, workingDir: _w, stdin: _s, stdinOnce: _so, tty: _t, memoryLimitBytes: _m, cpuQuota: _q, mounts: _mo, ...status } = c;
    return structuredClone(status);
  };
  const publicSandbox = (s: SandboxRecord): PodSandbox => {
    const { config: _c, ...rest } = s;
    return structuredClone(rest);
  };

  // A CPU limit rewrites the module with throttle checks; one it cannot rewrite runs unthrottled.
  const compile = (key: string, bytes: Uint8Array, memoryLimit?: number, cpuLimited?: boolean) => {
    if (memoryLimit !== undefined) key += `@${memoryLimit}`;
    if (cpuLimited) key += '+cpu';
    let m = modules.get(key);
    if (!m) {
      m = (async () => {
        let limited = memoryLimit !== undefined ? limitModuleMemory(bytes, memoryLimit) : bytes;
        if (cpuLimited) {
          try {
            limited = limitModuleCpu(limited);
          } catch {
            // unsupported instructions: no throttle
          }
        }
        return WebAssembly.compile(limited as Uint8Array<ArrayBuffer>);
      })();
      m.catch(() => modules.delete(key));
      modules.set(key, m);
    }
    return m;
  };

  async function startFailed(c: ContainerRecord, why: string): Promise<never> {
    const message = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: ${why}: unknown`;
    Object.assign(c, { state: 'CONTAINER_EXITED', exitCode: START_ERROR_EXIT_CODE, reason: 'StartError', message, startedAt: undefined, finishedAt: clock.now() });
    await saveContainer(c);
    emit(c, 'CONTAINER_STOPPED_EVENT');
    throw new RuntimeError('RunContainerError', message);
  }

  /**
   * The process of argv in the container's image: its module (memory-limited like the container) and rootfs,
   * or runc's error text. Rejects nothing for a missing program; a module that does not compile is an error.
   */
  async function prepare(
    c: ContainerRecord,
    argv: string[],
  ): Promise<{ error: string } | { rootfs: RootfsSnapshot; module: WebAssembly.Module; mounts?: Array<{ containerPath: string; call: VolumeCall }> }> {
    const img = await images.find(c.imageId);
    if (!img) return { error: `image ${c.image.image} is no longer present` };
    // The sandbox's /etc/resolv.conf and kubelet-managed /etc/hosts over the image's.
    const rootfs = withPodEtcFiles(await images.rootfsOf(img), sandboxes.get(c.podSandboxId)?.config, c.createdAt);
    const program = findProgram(rootfs, argv[0] ?? '', c.env, c.workingDir);
    if ('error' in program) return program;
    const served = c.mounts?.length ? serveMounts(hostFs, c.mounts, () => clock.now()) : undefined;
    if (served && 'error' in served) return served;
    try {
      return { rootfs, module: await compile(`${img.layers.join(',')}:${program.path}`, program.data, c.memoryLimitBytes, !!c.cpuQuota), ...(served ? { mounts: served.mounts } : {}) };
    } catch {
      return { error: `exec: "${argv[0]}": exec format error` };
    }
  }

  /** SIGTERM, then SIGKILL after graceSeconds (at once when 0); resolves once the process has exited. */
  async function stop(c: ContainerRecord, graceSeconds = 0): Promise<void> {
    const r = running.get(c.id);
    if (!r) return;
    if (graceSeconds > 0) {
      r.proc.signal(SIGTERM);
      const timer = clock.after(graceSeconds * 1000, () => r.proc.kill());
      await r.done;
      timer.dispose();
      return;
    }
    r.proc.kill();
    await r.done;
  }

  /** LaunchSpec.net for a process of container c: the pod's IP on the cluster fabric. */
  const netOf = (c: { podSandboxId: string }): { net?: LaunchNet } => {
    const config = sandboxes.get(c.podSandboxId)?.config;
    const podIp = config?.podIP;
    if (!opts.network || !podIp) return {};
    const ndots = Number(/^ndots:(\d+)$/.exec(config.dnsConfig?.options.find((o) => o.startsWith('ndots:')) ?? '')?.[1] ?? 1);
    return { net: { fabric: opts.network, podIp, namespace: config.metadata.namespace, ...(config.dnsConfig ? { dns: { search: config.dnsConfig.searches, ndots } } : {}) } };
  };

  const runtime: WasmRuntime = {
    hostFs,
    async version() {
      return { ...RUNTIME_VERSION };
    },

    async runPodSandbox(config) {
      await ready;
      const s: SandboxRecord = {
        id: newId(),
        metadata: { ...config.metadata },
        state: 'SANDBOX_READY',
        createdAt: clock.now(),
        labels: { ...(config.labels ?? {}) },
        config: structuredClone(config),
      };
      sandboxes.set(s.id, s);
      await saveSandbox(s);
      return s.id;
    },

    // Idempotent as the CRI requires: an unknown (already removed) sandbox is not an error.
    async stopPodSandbox(id) {
      await ready;
      const s = sandboxes.get(id);
      if (!s) return;
      for (const c of containers.values()) if (c.podSandboxId === id) await stop(c);
      if (s.state !== 'SANDBOX_NOTREADY') {
        s.state = 'SANDBOX_NOTREADY';
        await saveSandbox(s);
      }
    },

    async removePodSandbox(id) {
      await ready;
      if (!sandboxes.has(id)) return;
      for (const c of [...containers.values()]) if (c.podSandboxId === id) await runtime.removeContainer(c.id);
      sandboxes.delete(id);
      await disk.deleteState(`sandbox/${id}`);
    },

    async listPodSandbox() {
      await ready;
      return [...sandboxes.values()].map(publicSandbox);
    },

    async createContainer(podSandboxId, config: ContainerConfig, sandboxConfig) {
      const s = await sandbox(podSandboxId);
      if (s.state !== 'SANDBOX_READY') throw new RuntimeError('CreateContainerError', `sandbox container "${podSandboxId}" is not running`);
      const img = await images.find(config.image.image);
      if (!img) throw new RuntimeError('CreateContainerError', `failed to get image "${config.image.image}": not found`);
      const args = containerArgv(img.config, config);
      if (args.length === 0) throw new RuntimeError('CreateContainerError', 'failed to generate container spec: no command specified');
      const c: ContainerRecord = {
        id: newId(),
        podSandboxId,
        metadata: { ...config.metadata },
        state: 'CONTAINER_CREATED',
        createdAt: clock.now(),
        image: { image: img.repoTags[0] ?? img.id },
        imageRef: img.repoDigests[0] ?? img.id,
        logPath: `${sandboxConfig.logDirectory.replace(/\/+$/, '')}/${config.logPath}`,
        labels: { ...(config.labels ?? {}) },
        imageId: img.id,
        args,
        // A container with a tty gets TERM=xterm, as containerd sets it.
        env: withTerm(containerEnv(img.config, config, sandboxConfig), !!config.tty),
        workingDir: config.workingDir || img.config.config?.WorkingDir || '/',
        ...(config.stdin ? { stdin: true } : {}),
        ...(config.stdin && config.stdinOnce ? { stdinOnce: true } : {}),
        ...(config.tty ? { tty: true } : {}),
        ...(config.linux?.resources?.memoryLimitInBytes ? { memoryLimitBytes: config.linux.resources.memoryLimitInBytes } : {}),
        ...cpuQuotaOf(config),
        ...(config.mounts?.length ? { mounts: structuredClone(config.mounts) } : {}),
      };
      containers.set(c.id, c);
      await saveContainer(c);
      emit(c, 'CONTAINER_CREATED_EVENT');
      return c.id;
    },

    async startContainer(id) {
      const c = await container(id);
      if (c.state !== 'CONTAINER_CREATED') {
        throw new RuntimeError('RunContainerError', `failed to start container "${id}": container is in ${c.state} state`);
      }
      const prepared = await prepare(c, c.args);
      if ('error' in prepared) return startFailed(c, prepared.error);
      const { module, rootfs, mounts } = prepared;
      const writer = new CriLogWriter(disk, c.logPath, () => clock.now());
      Object.assign(c, { state: 'CONTAINER_RUNNING', startedAt: clock.now() });
      // Issued before the process can exit, so the RUNNING record never overwrites the EXITED one.
      const saved = saveContainer(c);
      emit(c, 'CONTAINER_STARTED_EVENT');
      const proc = launcher.launch({
        ...netOf(c),
        module,
        args: c.args,
        env: c.env,
        rootfs,
        ...(mounts ? { mounts } : {}),
        ...(c.stdin ? { stdin: true } : {}),
        ...(c.memoryLimitBytes !== undefined ? { memoryLimitBytes: c.memoryLimitBytes } : {}),
        ...(c.cpuQuota ? { cpuQuota: c.cpuQuota } : {}),
        stdout: (chunk) => {
          attaches.output(id, 'stdout', chunk);
          writer.write('stdout', chunk);
        },
        stderr: (chunk) => {
          attaches.output(id, 'stderr', chunk);
          writer.write('stderr', chunk);
        },
      });
      const done = proc.exited.then(async (exit) => {
        await writer.close().catch(() => undefined);
        running.delete(id);
        if (disposed) return;
        const noMemory = !!exit.error && WASM_MEMORY_EXHAUSTED.test(exit.error);
        Object.assign(c, {
          state: 'CONTAINER_EXITED',
          finishedAt: clock.now(),
          exitCode: noMemory ? START_ERROR_EXIT_CODE : exit.exitCode,
          reason: noMemory ? 'StartError' : exit.oomKilled ? 'OOMKilled' : exit.exitCode === 0 ? 'Completed' : 'Error',
          ...(noMemory ? { message: `${exit.error}: ${TAB_MEMORY_LIMIT_NOTE}` } : exit.error ? { message: exit.error } : {}),
        });
        await saveContainer(c).catch(() => undefined);
        emit(c, 'CONTAINER_STOPPED_EVENT');
      });
      running.set(id, { proc, done });
      await saved;
    },

    async stopContainer(id, timeoutSeconds) {
      await stop(await container(id), timeoutSeconds);
    },

    async removeContainer(id) {
      await ready;
      const c = containers.get(id);
      if (!c) return;
      await stop(c);
      containers.delete(id);
      await disk.deleteState(`container/${id}`);
      emit(c, 'CONTAINER_DELETED_EVENT');
    },

    async listContainers(filter?: ContainerFilter) {
      await ready;
      return [...containers.values()]
        .filter((c) => (!filter?.podSandboxId || c.podSandboxId === filter.podSandboxId) && (!filter?.state || c.state === filter.state))
        .map(publicStatus);
    },

    async containerStatus(id) {
      return publicStatus(await container(id));
    },

    async getContainerEvents(since) {
      await ready;
      return events.after(since);
    },

    async listContainerStats(filter) {
      await ready;
      return listContainerStats(containers.values(), (id) => running.get(id)?.proc, clock.now(), filter);
    },

    ...createExecService({
      clock,
      launcher,
      sessions: execs,
      newId,
      runningContainer: async (id) => {
        const c = await container(id);
        if (c.state !== 'CONTAINER_RUNNING') throw new RuntimeError('RunContainerError', `container ${id} is not running`);
        return c;
      },
      prepare: async (id, argv) => prepare(await container(id), argv),
      netOf: (id) => {
        const c = containers.get(id);
        return c ? netOf(c) : {};
      },
    }),

    attach: (req) => attaches.attach(req),

    pullImage: (image) => images.pull(image.image),
    listImages: () => images.list(),
    imageStatus: (image) => images.status(image.image),
    removeImage: (image) => images.remove(image.image),

    dispose() {
      if (disposed) return;
      disposed = true;
      for (const { proc } of running.values()) proc.kill();
      execs.close();
      events.close();
    },
  };
  return runtime;
}

function withTerm(env: string[], tty: boolean): string[] {
  return tty && !env.some((e) => e.startsWith('TERM=')) ? [...env, 'TERM=xterm'] : env;
}

/** CRI cpu_quota/cpu_period (the kubelet's CFS quota for resources.limits.cpu); a quota <= 0 is no limit. */
function cpuQuotaOf(config: ContainerConfig): { cpuQuota?: CpuQuota } {
  const r = config.linux?.resources;
  return r?.cpuQuota && r.cpuQuota > 0 ? { cpuQuota: { quotaUs: r.cpuQuota, periodUs: r.cpuPeriod || 100_000 } } : {};
}
