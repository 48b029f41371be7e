import type { Clock } from '../../api/clock';
import { ContainerEventLog } from './container-events';
import { RuntimeError, type ContainerEvent, type NodeDisk } from './cri';
import { LOST_EXIT_CODE, type ContainerRecord, type SandboxRecord } from './runtime-records';

/**
 * The runtime's sandbox and container records, kept on the node disk (`sandbox/<id>`, `container/<id>`) and
 * its container event log. `ready` resolves once earlier records are loaded: those that were running are
 * then EXITED with LOST_EXIT_CODE, reason 'Unknown' (their sandboxes NOTREADY). Lookups reject with the
 * CRI's NotFound RuntimeError.
 */
export class RuntimeRecords {
  readonly sandboxes = new Map<string, SandboxRecord>();
  readonly containers = new Map<string, ContainerRecord>();
  readonly events = new ContainerEventLog();
  readonly ready: Promise<void>;

  constructor(
    private readonly disk: NodeDisk,
    private readonly clock: Clock,
  ) {
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    for (const { value } of await this.disk.listState<SandboxRecord>('sandbox/')) {
      if (value.state === 'SANDBOX_READY') {
        value.state = 'SANDBOX_NOTREADY';
        await this.saveSandbox(value);
      }
      this.sandboxes.set(value.id, value);
    }
    for (const { value } of await this.disk.listState<ContainerRecord>('container/')) {
      if (value.state === 'CONTAINER_RUNNING') {
        Object.assign(value, { state: 'CONTAINER_EXITED', exitCode: LOST_EXIT_CODE, reason: 'Unknown', finishedAt: this.clock.now() });
        await this.saveContainer(value);
      }
      this.containers.set(value.id, value);
    }
  }

  saveSandbox(s: SandboxRecord): Promise<void> {
    return this.disk.putState(`sandbox/${s.id}`, s);
  }

  saveContainer(c: ContainerRecord): Promise<void> {
    return this.disk.putState(`container/${c.id}`, c);
  }

  emit(c: ContainerRecord, type: ContainerEvent['type']): void {
    this.events.push({ containerId: c.id, podSandboxId: c.podSandboxId, type, createdAt: this.clock.now() });
  }

  async container(id: string): Promise<ContainerRecord> {
    await this.ready;
    const c = this.containers.get(id);
    if (!c) throw new RuntimeError('NotFound', `an error occurred when try to find container "${id}": not found`);
    return c;
  }

  async sandbox(id: string): Promise<SandboxRecord> {
    await this.ready;
    const s = this.sandboxes.get(id);
    if (!s) throw new RuntimeError('NotFound', `an error occurred when try to find sandbox "${id}": not found`);
    return s;
  }
}
