import { rfc3339Micro, type Clock } from '../../../api/clock';
import type {
  ContainerConfig, ContainerEvent, ContainerFilter, ContainerStatus, Image, ImageService, NodeDisk, PodSandbox,
  PodSandboxConfig, RuntimeService,
} from '../../runtime/cri';
import { RuntimeError } from '../../runtime/cri';
import { normalizeImage } from '../go-format';

/** What a fake container does once started: exit at once with a code and output, or run until stopped. */
export type FakeProgram = { exitCode: number; stdout?: string[] } | 'forever';

/**
 * An in-memory CRI runtime for kubelet unit tests: sandboxes and containers as records, programs scripted
 * per image, CRI log lines written to the given disk, container events for the PLEG. Not the WASM runtime.
 */
export class FakeRuntime implements RuntimeService, ImageService {
  readonly images = new Map<string, Image>();
  readonly sandboxes = new Map<string, PodSandbox & { config: PodSandboxConfig }>();
  readonly containers = new Map<string, ContainerStatus>();
  programs = new Map<string, FakeProgram>();
  /** image → what its running containers write and exit with on stopContainer (a TERM trap); default: killed, 137. */
  readonly onTerm = new Map<string, { stdout: string[]; exitCode: number }>();
  private seq = 0;
  private n = 0;
  private events: { seq: number; ev: ContainerEvent }[] = [];
  private waiters: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly disk: NodeDisk,
  ) {}

  addImage(name: string, program: FakeProgram, size = 1234): void {
    const full = normalizeImage(name);
    const digest = `sha256:${(++this.n).toString(16).padStart(64, '0')}`;
    this.images.set(full, { id: digest, repoTags: [full], repoDigests: [`${full.replace(/:[^:/]*$/, '')}@${digest}`], size });
    this.programs.set(full, program);
  }

  close(): void {
    this.closed = true;
    this.waiters.splice(0).forEach((w) => w());
  }

  async version() {
    return { runtimeName: 'fake', runtimeVersion: '0.0.1', runtimeApiVersion: 'v1' };
  }

  async runPodSandbox(config: PodSandboxConfig): Promise<string> {
    const id = `sb${++this.n}`;
    this.sandboxes.set(id, { id, metadata: config.metadata, state: 'SANDBOX_READY', createdAt: this.clock.now(), labels: config.labels ?? {}, config });
    return id;
  }

  async stopPodSandbox(id: string): Promise<void> {
    for (const c of this.containers.values()) if (c.podSandboxId === id && c.state === 'CONTAINER_RUNNING') this.exit(c, 137, 'Error');
    const s = this.sandboxes.get(id);
    if (s) s.state = 'SANDBOX_NOTREADY';
  }

  async removePodSandbox(id: string): Promise<void> {
    this.sandboxes.delete(id);
    for (const c of [...this.containers.values()]) if (c.podSandboxId === id) this.containers.delete(c.id);
  }

  async listPodSandbox(): Promise<PodSandbox[]> {
    return [...this.sandboxes.values()].map(({ config: _c, ...s }) => structuredClone(s));
  }

  async createContainer(podSandboxId: string, config: ContainerConfig, sandboxConfig: PodSandboxConfig): Promise<string> {
    const image = this.images.get(normalizeImage(config.image.image));
    if (!image) throw new RuntimeError('CreateContainerError', `image "${config.image.image}" not present`);
    const id = `c${++this.n}`.padEnd(12, '0');
    this.containers.set(id, {
      id, podSandboxId, metadata: config.metadata, state: 'CONTAINER_CREATED', createdAt: this.clock.now(),
      image: { image: normalizeImage(config.image.image) }, imageRef: image.repoDigests[0],
      logPath: `${sandboxConfig.logDirectory}/${config.logPath}`, labels: config.labels ?? {},
    });
    this.emit(id, podSandboxId, 'CONTAINER_CREATED_EVENT');
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.must(id);
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = this.clock.now();
    this.emit(id, c.podSandboxId, 'CONTAINER_STARTED_EVENT');
    const program = this.programs.get(c.image.image) ?? { exitCode: 0 };
    if (program === 'forever') return;
    queueMicrotask(() => {
      const ts = rfc3339Micro(this.clock.now()).replace(/Z$/, '000Z');
      void this.disk.appendLog(c.logPath, (program.stdout ?? []).map((l) => `${ts} stdout F ${l}`)).then(() => {
        if (c.state === 'CONTAINER_RUNNING') this.exit(c, program.exitCode, program.exitCode === 0 ? 'Completed' : 'Error');
      });
    });
  }

  async stopContainer(id: string): Promise<void> {
    const c = this.must(id);
    const trap = c.state === 'CONTAINER_RUNNING' ? this.onTerm.get(c.image.image) : undefined;
    if (trap) {
      const ts = rfc3339Micro(this.clock.now()).replace(/Z$/, '000Z');
      await this.disk.appendLog(c.logPath, trap.stdout.map((l) => `${ts} stdout F ${l}`));
      if (c.state === 'CONTAINER_RUNNING') this.exit(c, trap.exitCode, trap.exitCode === 0 ? 'Completed' : 'Error');
    }
    if (c.state === 'CONTAINER_RUNNING' || c.state === 'CONTAINER_CREATED') this.exit(c, 137, 'Error');
  }

  async removeContainer(id: string): Promise<void> {
    this.containers.delete(id);
  }

  async listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]> {
    return [...this.containers.values()]
      .filter((c) => (!filter?.podSandboxId || c.podSandboxId === filter.podSandboxId) && (!filter?.state || c.state === filter.state))
      .map((c) => structuredClone(c));
  }

  async containerStatus(id: string): Promise<ContainerStatus> {
    return structuredClone(this.must(id));
  }

  async getContainerEvents(since: number): Promise<{ seq: number; events: ContainerEvent[] }> {
    while (!this.closed && !this.events.some((e) => e.seq > since)) await new Promise<void>((r) => this.waiters.push(r));
    const events = this.events.filter((e) => e.seq > since);
    return { seq: events.length ? events[events.length - 1].seq : since, events: events.map((e) => e.ev) };
  }

  async pullImage(image: { image: string }): Promise<string> {
    const full = normalizeImage(image.image);
    const found = this.images.get(full);
    if (!found) throw new RuntimeError('ErrImagePull', `failed to resolve reference "${full}": ${full}: not found`);
    return found.repoDigests[0];
  }

  async listImages(): Promise<Image[]> {
    return [...this.images.values()];
  }

  async imageStatus(image: { image: string }): Promise<Image | undefined> {
    return this.images.get(normalizeImage(image.image));
  }

  async removeImage(image: { image: string }): Promise<void> {
    this.images.delete(normalizeImage(image.image));
  }

  /** Ends a 'forever' container with the given code (tests). */
  finish(id: string, exitCode: number): void {
    this.exit(this.must(id), exitCode, exitCode === 0 ? 'Completed' : 'Error');
  }

  private exit(c: ContainerStatus, exitCode: number, reason: string): void {
    c.state = 'CONTAINER_EXITED';
    c.exitCode = exitCode;
    c.reason = reason;
    c.finishedAt = this.clock.now();
    this.emit(c.id, c.podSandboxId, 'CONTAINER_STOPPED_EVENT');
  }

  private emit(containerId: string, podSandboxId: string, type: ContainerEvent['type']): void {
    this.events.push({ seq: ++this.seq, ev: { containerId, podSandboxId, type, createdAt: this.clock.now() } });
    this.waiters.splice(0).forEach((w) => w());
  }

  private must(id: string): ContainerStatus {
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `container "${id}" not found`);
    return c;
  }
}

/** A NodeDisk in memory (tests). */
export function memoryDisk(): NodeDisk {
  const logs = new Map<string, string[]>();
  const state = new Map<string, unknown>();
  return {
    async appendLog(path, lines) {
      logs.set(path, [...(logs.get(path) ?? []), ...lines]);
    },
    async readLog(path) {
      return logs.get(path)?.slice();
    },
    async removeLogs(prefix) {
      for (const k of [...logs.keys()]) if (k.startsWith(prefix)) logs.delete(k);
    },
    async listLogs(prefix) {
      const bytes = (ls: string[]) => ls.reduce((n, l) => n + new TextEncoder().encode(l).length + 1, 0);
      return [...logs].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, ls]) => ({ path, bytes: bytes(ls) }));
    },
    async renameLog(from, to) {
      const ls = logs.get(from);
      if (!ls || from === to) return;
      logs.delete(from);
      logs.set(to, ls);
    },
    async getState<T>(key: string) {
      return structuredClone(state.get(key)) as T | undefined;
    },
    async putState(key, value) {
      state.set(key, structuredClone(value));
    },
    async deleteState(key) {
      state.delete(key);
    },
    async listState<T>(prefix: string) {
      return [...state].filter(([k]) => k.startsWith(prefix)).map(([key, value]) => ({ key, value: structuredClone(value) as T }));
    },
    async close() {},
  };
}
