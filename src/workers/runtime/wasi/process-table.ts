import type { FdEntry } from './wasi-fd-calls';

/** Writes beyond this many buffered bytes first run a not-yet-started reader of the pipe (see ProcessTable). */
export const PIPE_RUN_READER_AT = 1024 * 1024;

/**
 * An in-memory pipe between processes of one container. Unbounded: writers never block. `readers` and
 * `writers` count the fd table entries (across every process) that hold each end.
 */
export class Pipe {
  private chunks: Uint8Array[] = [];
  size = 0;
  readers = 0;
  writers = 0;

  push(data: Uint8Array): void {
    if (!data.length) return;
    this.chunks.push(data.slice());
    this.size += data.length;
  }

  take(max: number): Uint8Array {
    const out = new Uint8Array(Math.min(max, this.size));
    let off = 0;
    while (off < out.length) {
      const head = this.chunks[0];
      const n = Math.min(head.length, out.length - off);
      out.set(head.subarray(0, n), off);
      off += n;
      if (n === head.length) this.chunks.shift();
      else this.chunks[0] = head.subarray(n);
    }
    this.size -= out.length;
    return out;
  }
}

/** The pid of a container's main process: init of the container's pid namespace. */
export const INIT_PID = 1;

/**
 * A container's pid counter (Int32, the next pid to give; pid 1 is the main process), shared by every process
 * table of the container (main process, exec'd processes, their children) so pids are unique in the
 * container as in its pid namespace.
 */
export function newPidCounter(): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(4);
  new Int32Array(buffer)[0] = INIT_PID + 1;
  return buffer;
}

/** Takes the next pid from a counter of newPidCounter (Atomics: any thread). */
export function pidAllocator(counter: SharedArrayBuffer): () => number {
  const next = new Int32Array(counter);
  return () => Atomics.add(next, 0, 1);
}

function localPids(): () => number {
  let next = INIT_PID + 1;
  return () => next++;
}

/** A spawned child: pending until run, then exited with a code. */
export interface ChildProcess {
  pid: number;
  state: 'pending' | 'running' | 'exited';
  exitCode?: number;
  /** The child's fd table (its stdio entries, shared with the parent's open descriptions). */
  fds: Map<number, FdEntry>;
  /** Runs the child to completion on the calling thread; resolves nothing, sets exitCode. */
  run(): void;
}

/**
 * The processes of one container Worker. Every process runs on the Worker's one thread, so a spawned child
 * does not start at once: it runs to completion, nested inside its parent's host call, when something waits
 * for it — waitpid() on it (children spawned before it run first, in spawn order, so pipeline producers run
 * before their consumers), a read from a pipe it writes to, or a write of more than PIPE_RUN_READER_AT
 * bytes to a pipe it reads from. Consequence (documented in docs/images.md): a reader that drains a pipe
 * whose writer is suspended (lower on the stack) sees EOF; `yes | head -1` works because head's exit makes
 * yes's next write fail with EPIPE.
 */
export class ProcessTable {
  private readonly children = new Map<number, ChildProcess>();
  private readonly order: ChildProcess[] = [];

  /** allocPid: the container's pid allocator (pidAllocator); default 2, 3, … private to this table. */
  constructor(private readonly allocPid: () => number = localPids()) {}

  add(make: (pid: number) => ChildProcess): ChildProcess {
    const child = make(this.allocPid());
    this.children.set(child.pid, child);
    this.order.push(child);
    return child;
  }

  get(pid: number): ChildProcess | undefined {
    return this.children.get(pid);
  }

  /** Runs pending children spawned up to and including pid, then returns pid's exit code (forgetting it). */
  wait(pid: number): number | undefined {
    const child = this.children.get(pid);
    if (!child) return undefined;
    for (const c of [...this.order]) {
      if (c.state === 'pending') c.run();
      if (c === child) break;
    }
    if (child.state !== 'exited') return undefined;
    this.children.delete(pid);
    this.order.splice(this.order.indexOf(child), 1);
    return child.exitCode;
  }

  /**
   * kill(2) for a child: a pending child ends without running, with exit code 128 + sig (as a signalled
   * process), its fds released. A running or exited child is left as is (it has or will have its own code).
   * False for a pid that is not a child.
   */
  kill(pid: number, sig: number): boolean {
    const child = this.children.get(pid);
    if (!child) return false;
    if (child.state === 'pending') {
      child.state = 'exited';
      child.exitCode = 128 + sig;
      for (const e of child.fds.values()) releaseFd(e);
      child.fds.clear();
    }
    return true;
  }

  /** Runs the first pending child that holds `end` of pipe; false when there is none. */
  runHolder(pipe: Pipe, end: 'r' | 'w'): boolean {
    const holder = this.order.find((c) => c.state === 'pending' && [...c.fds.values()].some((e) => e.pipe === pipe && e.end === end));
    if (!holder) return false;
    holder.run();
    return true;
  }
}

/** Installs an fd entry in a table, counting pipe ends. Replaces (and releases) what was there. */
export function installFd(fds: Map<number, FdEntry>, n: number, e: FdEntry): void {
  const old = fds.get(n);
  if (old) releaseFd(old);
  fds.set(n, e);
  if (e.pipe) e.end === 'r' ? e.pipe.readers++ : e.pipe.writers++;
  if (e.sock) e.sock.refs++;
}

/** The bookkeeping for an entry leaving a table (fd_close, exit). */
export function releaseFd(e: FdEntry): void {
  if (e.pipe) e.end === 'r' ? e.pipe.readers-- : e.pipe.writers--;
  e.sock?.release();
}
