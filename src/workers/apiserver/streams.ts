import type { Disposable } from '../../api/disposable';

/** The producer side of one open stream. push after end is ignored. */
export interface StreamSink {
  readonly id: string;
  push(chunk: unknown): void;
  end(): void;
  readonly ended: boolean;
}

interface OpenStream {
  queue: unknown[];
  waiters: Array<(batch: unknown[] | null) => void>;
  ended: boolean;
  onClose: () => void;
  /** A flush is scheduled (queueMicrotask). */
  flushing: boolean;
}

/**
 * Pull-based streams behind ApiHandler.stream/read/cancel. read() resolves with everything queued so far
 * (a non-empty batch, in order) or null once the stream has ended and drained; reads of unknown ids
 * resolve null. cancel() ends the stream, runs its onClose once and resolves pending reads with null.
 * A read that is waiting is answered one microtask after the first push, so every chunk pushed in the same
 * synchronous run (one store commit's watch events) goes out in one batch: one message per batch, not per
 * event, over postMessage. Order is kept; end() after pushes delivers them first, then null.
 */
export class StreamHub implements Disposable {
  private seq = 0;
  private readonly streams = new Map<string, OpenStream>();

  open(onClose: () => void = () => {}): StreamSink {
    const id = `s${++this.seq}`;
    const st: OpenStream = { queue: [], waiters: [], ended: false, onClose, flushing: false };
    this.streams.set(id, st);
    const flush = () => {
      st.flushing = false;
      while (st.waiters.length && (st.queue.length || st.ended)) {
        const w = st.waiters.shift()!;
        if (st.queue.length) w(st.queue.splice(0));
        else w(null);
      }
      if (st.ended && !st.queue.length) this.streams.delete(id);
    };
    const schedule = () => {
      if (st.flushing || !st.waiters.length) return;
      st.flushing = true;
      queueMicrotask(flush);
    };
    return {
      id,
      push: (chunk) => {
        if (st.ended) return;
        st.queue.push(chunk);
        schedule();
      },
      end: () => {
        if (st.ended) return;
        st.ended = true;
        this.close(st);
        schedule();
        if (!st.waiters.length && !st.queue.length) this.streams.delete(id);
      },
      get ended() {
        return st.ended;
      },
    };
  }

  private close(st: OpenStream): void {
    const fn = st.onClose;
    st.onClose = () => {};
    try {
      fn();
    } catch {
      // a failing cleanup must not break the reader
    }
  }

  read(id: string): Promise<unknown[] | null> {
    const st = this.streams.get(id);
    if (!st) return Promise.resolve(null);
    if (st.queue.length) {
      const batch = st.queue.splice(0);
      if (st.ended) this.streams.delete(id);
      return Promise.resolve(batch);
    }
    if (st.ended) {
      this.streams.delete(id);
      return Promise.resolve(null);
    }
    return new Promise((resolve) => st.waiters.push(resolve));
  }

  cancel(id: string): Promise<void> {
    const st = this.streams.get(id);
    if (st) {
      this.streams.delete(id);
      st.ended = true;
      st.queue.length = 0;
      this.close(st);
      for (const w of st.waiters.splice(0)) w(null);
    }
    return Promise.resolve();
  }

  get size(): number {
    return this.streams.size;
  }

  dispose(): void {
    for (const id of [...this.streams.keys()]) void this.cancel(id);
  }
}
