import type { NodeDisk } from './cri';

/** containerd's default max_container_log_line_size: longer lines are split into P records. */
export const MAX_LOG_LINE_BYTES = 16 * 1024;

/**
 * Go's time.RFC3339Nano in UTC, as containerd stamps CRI log lines: fractional seconds with trailing zeros
 * trimmed (and no fraction at all on a whole second). `ms` may carry sub-millisecond digits.
 */
export function rfc3339Nano(ms: number): string {
  const whole = Math.floor(ms / 1000) * 1000;
  const base = new Date(whole).toISOString().slice(0, 19);
  const nanos = Math.round((ms - whole) * 1e6);
  const frac = nanos > 0 ? '.' + String(Math.min(nanos, 999_999_999)).padStart(9, '0').replace(/0+$/, '') : '';
  return `${base}${frac}Z`;
}

/**
 * Turns a process's stdout/stderr bytes into CRI log lines ("<RFC3339Nano> <stream> <F|P> <text>") appended
 * to one file on the node disk. Lines are split on \n (a trailing \r is dropped); a line longer than
 * MAX_LOG_LINE_BYTES is written as P records; what remains unterminated at close() is written as a P record.
 * Appends are serialised (one in flight, the rest batched), so the file keeps the order of the output.
 */
export class CriLogWriter {
  private readonly pending: string[] = [];
  private readonly partial = { stdout: [] as Uint8Array[], stderr: [] as Uint8Array[] };
  private readonly partialLen = { stdout: 0, stderr: 0 };
  private readonly decoder = new TextDecoder();
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private failure: unknown;

  constructor(
    private readonly disk: NodeDisk,
    private readonly path: string,
    private readonly now: () => number,
  ) {}

  write(stream: 'stdout' | 'stderr', chunk: Uint8Array): void {
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      if (chunk[i] !== 10) continue;
      this.take(stream, chunk.subarray(start, i));
      this.emit(stream, 'F', true);
      start = i + 1;
    }
    if (start < chunk.length) this.take(stream, chunk.subarray(start));
  }

  /** Flushes unterminated output as P lines and resolves when everything is on disk (rejects on a disk error). */
  async close(): Promise<void> {
    for (const stream of ['stdout', 'stderr'] as const) if (this.partialLen[stream] > 0) this.emit(stream, 'P', false);
    this.schedule();
    for (let seen: Promise<void> | undefined; seen !== this.flushing; ) {
      seen = this.flushing;
      await seen;
    }
    if (this.failure) throw this.failure;
  }

  private take(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    let rest = bytes;
    while (this.partialLen[stream] + rest.length > MAX_LOG_LINE_BYTES) {
      const room = MAX_LOG_LINE_BYTES - this.partialLen[stream];
      this.partial[stream].push(rest.slice(0, room));
      this.partialLen[stream] += room;
      this.emit(stream, 'P', false);
      rest = rest.subarray(room);
    }
    if (rest.length) {
      this.partial[stream].push(rest.slice());
      this.partialLen[stream] += rest.length;
    }
  }

  private emit(stream: 'stdout' | 'stderr', tag: 'F' | 'P', dropCR: boolean): void {
    const parts = this.partial[stream];
    const buf = new Uint8Array(this.partialLen[stream]);
    let off = 0;
    for (const p of parts) {
      buf.set(p, off);
      off += p.length;
    }
    this.partial[stream] = [];
    this.partialLen[stream] = 0;
    let text = this.decoder.decode(buf);
    if (dropCR && text.endsWith('\r')) text = text.slice(0, -1);
    this.pending.push(`${rfc3339Nano(this.now())} ${stream} ${tag} ${text}`);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.pending.length === 0) return;
    this.scheduled = true;
    this.flushing = this.flushing.then(async () => {
      this.scheduled = false;
      const lines = this.pending.splice(0);
      try {
        await this.disk.appendLog(this.path, lines);
      } catch (err) {
        this.failure ??= err;
      }
      if (this.pending.length) this.schedule();
    });
  }
}
