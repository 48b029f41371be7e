/**
 * A process's control block in one SharedArrayBuffer, shared by the launcher (the kubelet's thread, never
 * blocks) and the container Worker (blocks with Atomics.wait):
 * - a single-producer single-consumer byte ring for the process's stdin, with an end-of-input flag;
 * - a pending-signal bit set (bit n = signal n), which also wakes a blocked read or sleep.
 *
 * Contracts: write() never blocks; it copies what fits and returns the count (the caller keeps the rest and
 * retries after the reader reports space). read() blocks until data, end of input, a signal or the timeout.
 * Positions are running 32-bit counters; the ring size is a power of two so they wrap correctly.
 */
const READ = 0;
const WRITE = 1;
const CLOSED = 2;
const SIGNALS = 3;
/** Bumped on every state change; the word waiters sleep on. */
const SEQ = 4;
/** Set by a writer that could not write everything; cleared by the reader that then reports space. */
const WANT_SPACE = 5;
const HEADER_BYTES = 32;

export const DEFAULT_PIPE_CAPACITY = 64 * 1024;

export type PipeRead = { data: Uint8Array } | { eof: true } | { signal: true } | { timeout: true };

export class SharedPipe {
  readonly buffer: SharedArrayBuffer;
  private readonly h: Int32Array;
  private readonly ring: Uint8Array;
  private readonly mask: number;

  /**
   * A new control block, or a view of one created elsewhere (the Worker side). `now` is a real-time
   * millisecond clock for read/sleep timeouts (performance.now in a Worker).
   */
  constructor(
    bufferOrCapacity: SharedArrayBuffer | number = DEFAULT_PIPE_CAPACITY,
    private readonly now: () => number = () => 0,
  ) {
    this.buffer = typeof bufferOrCapacity === 'number' ? new SharedArrayBuffer(HEADER_BYTES + bufferOrCapacity) : bufferOrCapacity;
    const cap = this.buffer.byteLength - HEADER_BYTES;
    if (cap <= 0 || (cap & (cap - 1)) !== 0) throw new Error('SharedPipe capacity must be a power of two');
    this.h = new Int32Array(this.buffer, 0, HEADER_BYTES / 4);
    this.ring = new Uint8Array(this.buffer, HEADER_BYTES);
    this.mask = cap - 1;
  }

  get capacity(): number {
    return this.ring.length;
  }

  /** Bytes written and not yet read. */
  get available(): number {
    return (Atomics.load(this.h, WRITE) - Atomics.load(this.h, READ)) | 0;
  }

  get closed(): boolean {
    return Atomics.load(this.h, CLOSED) !== 0;
  }

  /** Producer: copies as much of data as fits; returns the number of bytes taken (0 after close). */
  write(data: Uint8Array): number {
    if (this.closed) return 0;
    const w = Atomics.load(this.h, WRITE);
    const n = Math.min(data.length, this.capacity - this.available);
    for (let i = 0; i < n; i++) this.ring[(w + i) & this.mask] = data[i];
    Atomics.store(this.h, WRITE, (w + n) | 0);
    if (n < data.length) Atomics.store(this.h, WANT_SPACE, 1);
    if (n) this.wake();
    return n;
  }

  /** Producer: end of input; the reader gets the buffered bytes, then EOF. */
  close(): void {
    Atomics.store(this.h, CLOSED, 1);
    this.wake();
  }

  /** Raises signal `sig` (1..31) and wakes a blocked reader or sleeper. */
  raise(sig: number): void {
    Atomics.or(this.h, SIGNALS, 1 << sig);
    this.wake();
  }

  /** Consumer: true (once) when a writer is waiting for space and this consumer has since read bytes. */
  takeWantSpace(): boolean {
    return Atomics.exchange(this.h, WANT_SPACE, 0) !== 0;
  }

  /** Consumer: the pending signal bits, cleared. */
  takeSignals(): number {
    return Atomics.exchange(this.h, SIGNALS, 0);
  }

  pendingSignals(): number {
    return Atomics.load(this.h, SIGNALS);
  }

  /** Consumer: up to max bytes without blocking; empty when none are buffered. */
  tryRead(max: number): Uint8Array {
    const r = Atomics.load(this.h, READ);
    const n = Math.min(max, this.available);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.ring[(r + i) & this.mask];
    Atomics.store(this.h, READ, (r + n) | 0);
    if (n) this.wake();
    return out;
  }

  /**
   * Consumer: blocks (Atomics.wait; only where the thread may block) until data, EOF, a pending signal or
   * timeoutMs (Infinity: no timeout). Data wins over EOF and signals.
   */
  read(max: number, timeoutMs = Infinity): PipeRead {
    const deadline = timeoutMs === Infinity ? Infinity : this.now() + timeoutMs;
    for (;;) {
      const seq = Atomics.load(this.h, SEQ);
      if (this.available > 0) return { data: this.tryRead(max) };
      if (this.closed) return { eof: true };
      if (this.pendingSignals()) return { signal: true };
      const left = deadline - this.now();
      if (left <= 0) return { timeout: true };
      Atomics.wait(this.h, SEQ, seq, left === Infinity ? undefined : left);
    }
  }

  /** Blocks for ms unless a signal arrives first; true when woken by a signal. */
  sleep(ms: number): boolean {
    const deadline = this.now() + ms;
    for (;;) {
      const seq = Atomics.load(this.h, SEQ);
      if (this.pendingSignals()) return true;
      const left = deadline - this.now();
      if (left <= 0) return false;
      Atomics.wait(this.h, SEQ, seq, left);
    }
  }

  private wake(): void {
    Atomics.add(this.h, SEQ, 1);
    Atomics.notify(this.h, SEQ);
  }
}
