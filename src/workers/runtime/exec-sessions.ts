import type { ExecChunk } from './cri';
import type { RunningProcess } from './process-launcher';

interface Session {
  proc: RunningProcess;
  chunks: ExecChunk[];
  ended: boolean;
  drained: boolean;
  waiters: Array<() => void>;
  size?: { width: number; height: number };
}

/**
 * The runtime's open exec sessions: each buffers its process's output until execRead pulls it. Session ids
 * come from the caller. A session is forgotten once its exit chunk has been read, or on cancel().
 */
export class ExecSessions {
  private readonly sessions = new Map<string, Session>();

  /**
   * Registers a process; returns the sinks to pass as its stdout/stderr. Call attach() right after launch.
   * With tty, stderr joins stdout and "\n" becomes "\r\n" (a pty's ONLCR), as a terminal expects.
   */
  sinks(id: string, tty: boolean): { stdout(c: Uint8Array): void; stderr(c: Uint8Array): void } {
    const push = (stream: 'stdout' | 'stderr') => (data: Uint8Array) => this.push(id, tty ? { stream: 'stdout', data: onlcr(data) } : { stream, data });
    return { stdout: push('stdout'), stderr: push('stderr') };
  }

  attach(id: string, proc: RunningProcess): void {
    const pending = this.pending.get(id) ?? [];
    this.pending.delete(id);
    const s: Session = { proc, chunks: pending, ended: false, drained: false, waiters: [] };
    this.sessions.set(id, s);
    void proc.exited.then((exit) => {
      s.chunks.push({ exitCode: exit.exitCode, ...(exit.error ? { error: exit.error } : {}) });
      s.ended = true;
      this.wake(s);
    });
  }

  /** A session that failed before it had a process: its output and exit are known at once. */
  finished(id: string, chunks: ExecChunk[]): void {
    const s: Session = { proc: NO_PROCESS, chunks, ended: true, drained: false, waiters: [] };
    this.sessions.set(id, s);
  }

  async read(id: string): Promise<ExecChunk[] | null> {
    const s = this.sessions.get(id);
    if (!s || s.drained) return null;
    while (!s.chunks.length && !s.drained) await new Promise<void>((resolve) => s.waiters.push(resolve));
    if (!s.chunks.length) return null;
    const out = s.chunks.splice(0);
    if (s.ended && out.some((c) => 'exitCode' in c)) {
      s.drained = true;
      this.sessions.delete(id);
    }
    return out;
  }

  write(id: string, data: Uint8Array): void {
    this.sessions.get(id)?.proc.writeStdin(data);
  }

  closeStdin(id: string): void {
    this.sessions.get(id)?.proc.closeStdin();
  }

  resize(id: string, size: { width: number; height: number }): void {
    const s = this.sessions.get(id);
    if (s) s.size = size;
  }

  cancel(id: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.delete(id);
    s.drained = true;
    s.proc.kill();
    this.wake(s);
  }

  /** Kills every process and ends every pending read (runtime dispose). */
  close(): void {
    for (const id of [...this.sessions.keys()]) this.cancel(id);
  }

  private readonly pending = new Map<string, ExecChunk[]>();

  private push(id: string, chunk: ExecChunk): void {
    const s = this.sessions.get(id);
    if (!s) {
      // Output before attach(): the launcher may call the sinks synchronously.
      const list = this.pending.get(id) ?? [];
      list.push(chunk);
      this.pending.set(id, list);
      return;
    }
    if (s.drained) return;
    s.chunks.push(chunk);
    this.wake(s);
  }

  private wake(s: Session): void {
    const w = s.waiters;
    s.waiters = [];
    for (const fn of w) fn();
  }
}

/** "\n" → "\r\n" unless already preceded by "\r" (within the chunk). */
function onlcr(data: Uint8Array): Uint8Array {
  let extra = 0;
  for (let i = 0; i < data.length; i++) if (data[i] === 10 && (i === 0 || data[i - 1] !== 13)) extra++;
  if (!extra) return data;
  const out = new Uint8Array(data.length + extra);
  let o = 0;
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 10 && (i === 0 || data[i - 1] !== 13)) out[o++] = 13;
    out[o++] = data[i];
  }
  return out;
}

const NO_PROCESS: RunningProcess = {
  exited: new Promise(() => undefined),
  kill: () => undefined,
  writeStdin: () => undefined,
  closeStdin: () => undefined,
  signal: () => undefined,
};
