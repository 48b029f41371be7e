import type { Clock } from '../../api/clock';
import { RuntimeError, type ExecService } from './cri';
import type { ExecSessions } from './exec-sessions';
import type { CpuQuota } from './cpu-throttle';
import type { LaunchNet, ProcessLauncher, RunningProcess } from './process-launcher';
import type { RootfsSnapshot } from './wasi/mem-fs';
import type { VolumeCall } from './volume-server';

/** Exit code of an exec whose program could not be started, as containerd reports it. */
export const EXEC_START_FAILED_EXIT_CODE = 126;

export interface ExecDeps {
  clock: Clock;
  launcher: ProcessLauncher;
  sessions: ExecSessions;
  newId(): string;
  /** The running container's env, or a rejection (RuntimeError NotFound / RunContainerError). */
  runningContainer(id: string): Promise<{ env: string[] }>;
  /** The program of argv in the container's image (see wasm-runtime's prepare). */
  /** The container's pod network for the exec'd process (LaunchSpec.net); absent or {}: none. */
  netOf?(id: string): { net?: LaunchNet };
  /** The container's CPU limit and CpuGroup: an exec'd process spends the container's quota (one cgroup). */
  cpuOf?(id: string): { cpuQuota?: CpuQuota; cpuGroup?: SharedArrayBuffer };
  /** A new exec'd process's place in the container's pid namespace: LaunchSpec pid, pidCounter and signalInit. */
  pidsOf?(id: string): { pid?: number; pidCounter?: SharedArrayBuffer; signalInit?: (sig: number) => void };
  /** Where exec'd processes' CPU is added to their container's (ExecCpu). */
  execCpu?: ExecCpu;
  prepare(id: string, argv: string[]): Promise<{ error: string } | { rootfs: RootfsSnapshot; module: WebAssembly.Module; mounts?: Array<{ containerPath: string; call: VolumeCall }> }>;
}

/** The runtime's ExecService (contract in cri.ts). */
export function createExecService(d: ExecDeps): ExecService {
  const { sessions: execs } = d;
  const open: ExecService['exec'] = async (req) => {
    const c = await d.runningContainer(req.containerId);
    const sessionId = d.newId();
    const prepared = await d.prepare(req.containerId, req.cmd);
    if ('error' in prepared) {
      const text = `OCI runtime exec failed: exec failed: unable to start container process: ${prepared.error}: unknown\r\n`;
      execs.finished(sessionId, [{ stream: 'stdout', data: new TextEncoder().encode(text) }, { exitCode: EXEC_START_FAILED_EXIT_CODE }]);
      return sessionId;
    }
    const sinks = execs.sinks(sessionId, !!req.tty);
    // A terminal session gets TERM=xterm, as containerd sets it for a process with a tty.
    const env = req.tty && !c.env.some((e) => e.startsWith('TERM=')) ? [...c.env, 'TERM=xterm'] : c.env;
    const proc = d.launcher.launch({ ...d.netOf?.(req.containerId), ...d.cpuOf?.(req.containerId), ...d.pidsOf?.(req.containerId), module: prepared.module, args: req.cmd, env, rootfs: prepared.rootfs, ...(prepared.mounts ? { mounts: prepared.mounts } : {}), stdin: !!req.stdin, ...sinks });
    d.execCpu?.add(req.containerId, proc);
    execs.attach(sessionId, proc);
    if (!req.stdin) proc.closeStdin();
    return sessionId;
  };
  return {
    exec: open,
    async execSync(containerId, cmd, timeoutSeconds) {
      const id = await open({ containerId, cmd });
      const out: Uint8Array[] = [];
      const err: Uint8Array[] = [];
      const timer = timeoutSeconds > 0 ? d.clock.after(timeoutSeconds * 1000, () => execs.cancel(id)) : undefined;
      let exitCode = -1;
      for (let batch = await execs.read(id); batch; batch = await execs.read(id)) {
        for (const ch of batch) {
          if ('exitCode' in ch) exitCode = ch.exitCode;
          else (ch.stream === 'stdout' ? out : err).push(ch.data);
        }
      }
      timer?.dispose();
      if (exitCode === -1) throw new RuntimeError('Internal', `command ${JSON.stringify(cmd)} timed out after ${timeoutSeconds}s`);
      return { stdout: concat(out), stderr: concat(err), exitCode };
    },
    execRead: async (id) => execs.read(id),
    execWrite: async (id, data) => execs.write(id, data),
    execCloseStdin: async (id) => execs.closeStdin(id),
    execResize: async (id, size) => execs.resize(id, size),
    execCancel: async (id) => execs.cancel(id),
  };
}

/**
 * A container's exec'd processes. Their CPU counts in its stats as the cgroup counts every process in it:
 * the live ones' counters plus the final counters of those that exited. forget(id) when the container is removed.
 */
export class ExecCpu {
  private readonly byContainer = new Map<string, { live: Set<RunningProcess>; doneNanos: number }>();

  add(containerId: string, proc: RunningProcess): void {
    const acct = this.byContainer.get(containerId) ?? { live: new Set<RunningProcess>(), doneNanos: 0 };
    this.byContainer.set(containerId, acct);
    acct.live.add(proc);
    void proc.exited.then(() => {
      if (!acct.live.delete(proc)) return;
      acct.doneNanos += proc.stats?.().cpuNanos ?? 0;
    });
  }

  nanos(containerId: string): number {
    const acct = this.byContainer.get(containerId);
    if (!acct) return 0;
    let n = acct.doneNanos;
    for (const p of acct.live) n += p.stats?.().cpuNanos ?? 0;
    return n;
  }

  /**
   * The container's main process (pid 1) ended: as the kernel kills every other process of a pid namespace
   * whose init exits, its live exec'd processes are killed (exit 137).
   */
  killAll(containerId: string): void {
    for (const p of this.byContainer.get(containerId)?.live ?? []) p.kill();
  }

  forget(containerId: string): void {
    this.byContainer.delete(containerId);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
