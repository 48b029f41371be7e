import type { Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import type { IdSource } from '../../api/ids';
import { RuntimeRecords } from './runtime-state';
import { createAttachService } from './attach-service';
import { createExecService, ExecCpu } from './exec-service';
import { ContainerGroups } from './container-groups';
import { ExecSessions } from './exec-sessions';
import { ModuleCache } from './module-cache';
import { containerArgv } from './container-spec';
import type { ContainerLayer } from './container-layer';
import { CriLogWriter } from './cri-log-writer';
import { listContainerStats } from './container-stats-list';
import { layerUsedBytes } from './fs-usage';
import { RuntimeError, type ContainerConfig, type ContainerEvent, type ContainerFilter, type AttachService, type ExecService, type ImageService, type NodeDisk, type RuntimeService } from './cri';
import { ImageStore } from './image-store';
import type { ImageSource } from './image-source';
import type { ProcessLauncher, RunningProcess } from './process-launcher';
import { emptyRootfs, type MemFs } from './wasi/mem-fs';
import { createHostFs } from './volume-mounts';
import { exitedFields, launchNetOf, newContainerRecord, notStartedFields, publicSandbox, sandboxMatches, publicStatus, RUNTIME_VERSION, SIGTERM, startErrorFields, type ContainerRecord, type SandboxRecord } from './runtime-records';
import { createPreparer } from './process-prepare';

export { LOST_EXIT_CODE, START_ERROR_EXIT_CODE, TAB_MEMORY_LIMIT_NOTE } from './runtime-records';

/** LaunchSpec fields giving a process the container's layer as its whole filesystem (WasiHost's "/" mount). */
const layerMount = (layer: ContainerLayer) => ({ rootfs: emptyRootfs(), mounts: [{ containerPath: '/', call: layer.call }] });

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
/** instances: containers whose program is running now (started and not ended), i.e. live WebAssembly instances. */
export type WasmRuntime = RuntimeService & ImageService & ExecService & AttachService & Disposable & { readonly hostFs: MemFs; readonly instances: number };

/**
 * A CRI runtime for WASI containers on one node. Records live on the node disk (`sandbox/<id>`,
 * `container/<id>`), so a runtime re-created on the same disk lists earlier containers; those that were
 * running are reported EXITED with exit code 255, reason 'Unknown', and their sandboxes NOTREADY.
 * Logs go to <logDirectory>/<logPath> in CRI format. Errors are RuntimeError.
 */
export function createWasmRuntime(opts: WasmRuntimeOptions): WasmRuntime {
  const { disk, clock, ids, launcher } = opts;
  const images = new ImageStore(disk, opts.images);
  const running = new Map<string, { proc: RunningProcess; done: Promise<void> }>();
  // Containers whose program has started and not ended (RUNNING): the WebAssembly instances alive now.
  const live = new Set<string>();
  // limits.cpu and cpu.stat are per cgroup, pids per namespace: one of each per container, for all its processes.
  const groups = new ContainerGroups();
  const execCpu = new ExecCpu();
  const modules = new ModuleCache();
  const layers = new Map<string, ContainerLayer>();
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
  const prepare = createPreparer({ images, modules, hostFs, clock, sandboxConfig: (id) => sandboxes.get(id)?.config });
  let disposed = false;

  const newId = () => Array.from(ids.bytes(32), (b) => b.toString(16).padStart(2, '0')).join('');
  const records = new RuntimeRecords(disk, clock);
  const { sandboxes, containers, events, ready } = records;
  const container = (id: string) => records.container(id);
  const sandbox = (id: string) => records.sandbox(id);
  const saveSandbox = (r: SandboxRecord) => records.saveSandbox(r);
  const saveContainer = (c: ContainerRecord) => records.saveContainer(c);
  const emit = (c: ContainerRecord, type: ContainerEvent['type']) => records.emit(c, type);

  async function startFailed(c: ContainerRecord, why: string): Promise<never> {
    Object.assign(c, startErrorFields(why, clock.now()));
    await saveContainer(c);
    emit(c, 'CONTAINER_STOPPED_EVENT');
    throw new RuntimeError('RunContainerError', c.message!);
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

  const netOf = (c: { podSandboxId: string }) => launchNetOf(opts.network, sandboxes.get(c.podSandboxId)?.config);

  const runtime: WasmRuntime = {
    hostFs,
    get instances() {
      return live.size;
    },
    async version() {
      return { ...RUNTIME_VERSION };
    },

    async runPodSandbox(config) {
      // its containers' Workers start while the sandbox is saved and their images are pulled
      launcher.prepare?.();
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

    async listPodSandbox(filter) {
      await ready;
      const out = [];
      for (const s of sandboxes.values()) if (sandboxMatches(s, filter)) out.push(publicSandbox(s));
      return out;
    },

    async createContainer(podSandboxId, config: ContainerConfig, sandboxConfig) {
      const s = await sandbox(podSandboxId);
      if (s.state !== 'SANDBOX_READY') throw new RuntimeError('CreateContainerError', `sandbox container "${podSandboxId}" is not running`);
      const img = await images.find(config.image.image);
      if (!img) throw new RuntimeError('CreateContainerError', `failed to get image "${config.image.image}": not found`);
      const args = containerArgv(img.config, config);
      if (args.length === 0) throw new RuntimeError('CreateContainerError', 'failed to generate container spec: no command specified');
      const c = newContainerRecord(newId(), podSandboxId, img, args, config, sandboxConfig, clock.now());
      containers.set(c.id, c);
      await saveContainer(c);
      emit(c, 'CONTAINER_CREATED_EVENT');
      return c.id;
    },

    // Resolves once the program runs (the instance exists and `_start` was entered; launchers that cannot tell:
    // at launch): the container is RUNNING from then, startedAt that moment. A process that ends before that is
    // never RUNNING: killed (stopContainer meanwhile), it resolves once the exit is recorded; otherwise (instantiation
    // failed, the tab is out of WebAssembly memories) it is EXITED as StartError (128) and this rejects RunContainerError.
    async startContainer(id) {
      const c = await container(id);
      if (c.state !== 'CONTAINER_CREATED' || running.has(id)) {
        throw new RuntimeError('RunContainerError', `failed to start container "${id}": container is in ${c.state} state`);
      }
      const prepared = await prepare(c, c.args, undefined);
      if ('error' in prepared) return startFailed(c, prepared.error);
      const { module, layer } = prepared;
      layers.set(id, layer);
      const writer = new CriLogWriter(disk, c.logPath, () => clock.now());
      const proc = launcher.launch({
        ...netOf(c),
        module,
        args: c.args,
        env: c.env,
        ...layerMount(layer),
        ...(c.stdin ? { stdin: true } : {}),
        ...(c.memoryLimitBytes !== undefined ? { memoryLimitBytes: c.memoryLimitBytes } : {}),
        ...(c.cpuQuota ? { cpuQuota: c.cpuQuota, cpuGroup: groups.cpuGroupOf(id) } : {}),
        pidCounter: groups.pidCounterOf(id),
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
        // pid 1 ended: the rest of its pid namespace is killed (an exec that already ended, e.g. the `kill 1` that
        // caused this, is usually reported first).
        execCpu.killAll(id);
        running.delete(id);
        live.delete(id);
        // Nothing can reach an exited container's layer (exec needs it running); a restart is a new container.
        if (layers.get(id) === layer) layers.delete(id);
        if (disposed) return;
        // A program that never reached `_start` (not killed) could not be started: containerd's StartError.
        const neverRan = c.state === 'CONTAINER_CREATED' && !exit.killed;
        Object.assign(c, neverRan ? notStartedFields(exit, clock.now()) : exitedFields(exit, clock.now()));
        await saveContainer(c).catch(() => undefined);
        emit(c, 'CONTAINER_STOPPED_EVENT');
      });
      running.set(id, { proc, done });
      // `started` resolves before `exited`, so this RUNNING record is saved before any EXITED one.
      if ((proc.started && !(await proc.started)) || !running.has(id)) {
        await done;
        if (c.reason === 'StartError') throw new RuntimeError('RunContainerError', c.message ?? `failed to start container "${id}"`);
        return;
      }
      live.add(id);
      Object.assign(c, { state: 'CONTAINER_RUNNING', startedAt: clock.now() });
      emit(c, 'CONTAINER_STARTED_EVENT');
      await saveContainer(c);
    },

    async stopContainer(id, timeoutSeconds) {
      await stop(await container(id), timeoutSeconds);
    },

    async removeContainer(id) {
      await ready;
      const c = containers.get(id);
      if (!c) return;
      await stop(c);
      layers.delete(id);
      groups.forget(id);
      execCpu.forget(id);
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
      return listContainerStats(containers.values(), (id) => running.get(id)?.proc, clock.now(), filter, (id) => layerUsedBytes(layers.get(id)), (id) => execCpu.nanos(id), (id) => groups.throttling(id));
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
      prepare: async (id, argv) => {
        const c = await container(id);
        const layer = layers.get(id);
        if (!layer) return { error: `container ${id} is not running` };
        const p = await prepare(c, argv, layer);
        return 'error' in p ? p : { module: p.module, ...layerMount(p.layer) };
      },
      netOf: (id) => {
        const c = containers.get(id);
        return c ? netOf(c) : {};
      },
      cpuOf: (id) => {
        const c = containers.get(id);
        return c?.cpuQuota ? { cpuQuota: c.cpuQuota, cpuGroup: groups.cpuGroupOf(id) } : {};
      },
      // kill(1, sig) from an exec'd process reaches the main process as a signal from inside its pid namespace.
      pidsOf: (id) => ({ pid: groups.newPid(id), pidCounter: groups.pidCounterOf(id), signalInit: (sig) => running.get(id)?.proc.signal(sig) }),
      execCpu,
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
