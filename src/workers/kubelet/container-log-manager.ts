import type { Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import type { NodeDisk, RuntimeService } from '../runtime/cri';

/** KubeletConfiguration containerLogMaxSize / containerLogMaxFiles / containerLogMonitorInterval. */
export interface LogRotationPolicy {
  /** Bytes a running container's log file may reach before it is rotated (kubelet default 10Mi). */
  maxSize: number;
  /** Files kept per container, the current one included (kubelet default 5; at least 2). */
  maxFiles: number;
  /** How often running containers' logs are checked, in cluster ms (kubelet default 10 s). */
  monitorMs: number;
}

export const DEFAULT_LOG_ROTATION: LogRotationPolicy = { maxSize: 10 * 1024 * 1024, maxFiles: 5, monitorMs: 10_000 };

export interface ContainerLogManager extends Disposable {
  /** One pass over the running containers (what each monitor tick runs); resolves when it is done. */
  rotateLogs(): Promise<void>;
}

export interface LogManagerDeps {
  runtime: Pick<RuntimeService, 'listContainers'>;
  disk: Pick<NodeDisk, 'listLogs' | 'renameLog' | 'removeLogs'>;
  clock: Clock;
}

/** Go's "20060102-150405" in UTC: the suffix kubelet gives a rotated log file. */
export function rotationStamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/**
 * kubelet's container log manager: every monitorMs, each running container whose log file (CRI logPath) has
 * reached maxSize is rotated — rotated files beyond maxFiles - 2 are removed oldest first, then the file is
 * renamed to `<logPath>.<YYYYMMDD-hhmmss>`; the runtime's next append starts a new file at logPath (our
 * CriLogWriter appends by path, so the rename is also containerd's ReopenContainerLog). At most maxFiles
 * files remain per container: the current one and maxFiles - 1 rotated. Rotated files are not gzipped.
 * A pass never overlaps the previous one; a failure for one container is skipped until the next pass.
 * Throws when maxFiles < 2 (kubelet's validation text) or maxSize <= 0.
 */
export function startContainerLogManager(deps: LogManagerDeps, policy: LogRotationPolicy = DEFAULT_LOG_ROTATION): ContainerLogManager {
  if (!(policy.maxFiles >= 2)) throw new Error(`invalid configuration: containerLogMaxFiles (--container-log-max-files) ${policy.maxFiles} must be equal to or greater than 2`);
  if (!(policy.maxSize > 0)) throw new Error(`invalid configuration: containerLogMaxSize (--container-log-max-size) ${policy.maxSize} must be greater than 0`);
  let running: Promise<void> | undefined;

  const rotateOne = async (logPath: string) => {
    const files = await deps.disk.listLogs(logPath);
    const current = files.find((f) => f.path === logPath);
    if (!current || current.bytes < policy.maxSize) return;
    const rotated = files.filter((f) => f.path.startsWith(`${logPath}.`)).map((f) => f.path);
    // after this rotation: maxFiles - 1 rotated files and the new current one
    const excess = rotated.length - (policy.maxFiles - 2);
    for (const path of rotated.slice(0, Math.max(0, excess))) await deps.disk.removeLogs(path);
    const kept = new Set(rotated.slice(Math.max(0, excess)));
    const base = `${logPath}.${rotationStamp(deps.clock.now())}`;
    let target = base;
    // a second rotation within the same second keeps the earlier file (kubelet's rename would replace it)
    for (let n = 1; kept.has(target); n++) target = `${base}.${n}`;
    await deps.disk.renameLog(logPath, target);
  };

  const rotateLogs = (): Promise<void> => {
    running ??= (async () => {
      try {
        const containers = await deps.runtime.listContainers({ state: 'CONTAINER_RUNNING' });
        for (const c of containers) await rotateOne(c.logPath).catch(() => undefined);
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  const timer = deps.clock.every(policy.monitorMs, () => void rotateLogs().catch(() => undefined));
  return { rotateLogs, dispose: () => timer.dispose() };
}
