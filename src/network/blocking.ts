import type { ConnEnd, TryRead, TryWrite } from './conn-end';
import type { ConnectRequest, NetErrno, NetworkFabric } from './network-fabric';

export type WaitOutcome = 'changed' | 'timed-out' | 'interrupted';

/**
 * How a synchronous caller (a WASI host in its container Worker) blocks: wait until words[index] is no longer
 * value, timeoutMs passes (Infinity: never) or the caller is interrupted (a signal). A spurious 'changed'
 * is allowed: callers re-check their condition.
 */
export interface Blocker {
  wait(words: Int32Array, index: number, value: number, timeoutMs: number): WaitOutcome;
}

/**
 * Atomics.wait in slices of sliceMs, checking interrupted() between them (so a SIGTERM, which notifies a
 * different word, wakes a blocked socket call within a slice). `now` is a real-time millisecond clock.
 * Only for threads that may block (a Worker, never a page's main thread).
 */
export function atomicsBlocker(now: () => number, interrupted: () => boolean = () => false, sliceMs = 50): Blocker {
  return {
    wait(words, index, value, timeoutMs) {
      const deadline = now() + timeoutMs;
      for (;;) {
        if (interrupted()) return 'interrupted';
        if (Atomics.load(words, index) !== value) return 'changed';
        const left = deadline - now();
        if (left <= 0) return 'timed-out';
        if (Atomics.wait(words, index, value, Math.min(left, sliceMs)) !== 'timed-out') return 'changed';
      }
    },
  };
}

export type Blocked = { timeout: true } | { interrupted: true };

/** Waits until ready() holds, re-checking after every change of the word; 'ok' or why it stopped. */
export function blockUntil(fabric: NetworkFabric, index: number, ready: () => boolean, blocker: Blocker, timeoutMs = Infinity, now: () => number = () => 0): 'ok' | Blocked {
  const deadline = now() + timeoutMs;
  for (;;) {
    const seq = Atomics.load(fabric.words, index);
    if (ready()) return 'ok';
    const left = timeoutMs === Infinity ? Infinity : deadline - now();
    if (left <= 0) return { timeout: true };
    const r = blocker.wait(fabric.words, index, seq, left);
    if (r === 'interrupted') return { interrupted: true };
    if (r === 'timed-out' && timeoutMs !== Infinity && now() >= deadline) return { timeout: true };
  }
}

/** Reads at least one byte (or EOF/reset), blocking while nothing is buffered. */
export function blockingRead(end: ConnEnd, max: number, blocker: Blocker, timeoutMs = Infinity, now?: () => number): Exclude<TryRead, { again: true }> | Blocked {
  const r = blockUntil(end.fabric, end.seqIndex, () => end.readable, blocker, timeoutMs, now);
  if (r !== 'ok') return r;
  const got = end.tryRead(max);
  return 'again' in got ? { timeout: true } : got;
}

/**
 * Writes all of data, blocking while the ring is full (backpressure). Returns the bytes written; EPIPE when
 * the peer is gone before anything was written (after some bytes it returns the short count, as write(2)).
 */
export function blockingWrite(end: ConnEnd, data: Uint8Array, blocker: Blocker): Exclude<TryWrite, { again: true }> | Blocked {
  let off = 0;
  while (off < data.length) {
    const r = end.tryWrite(data.subarray(off));
    if ('written' in r) {
      off += r.written;
      continue;
    }
    if ('pipe' in r) return off ? { written: off } : r;
    const b = blockUntil(end.fabric, end.seqIndex, () => end.writable, blocker);
    if (b !== 'ok') return off ? { written: off } : b;
  }
  return { written: off };
}

/** Accepts one connection, blocking while none is pending; null when the listener was closed meanwhile. */
export function blockingAccept(fabric: NetworkFabric, listener: number, owner: number, blocker: Blocker): ConnEnd | null | Blocked {
  for (;;) {
    const c = fabric.accept(listener, owner);
    if (c) return c;
    if (!fabric.listenerOpen(listener)) return null;
    const b = blockUntil(fabric, fabric.listenerSeq(listener), () => fabric.pending(listener) > 0 || !fabric.listenerOpen(listener), blocker);
    if (b !== 'ok') return b;
  }
}

/**
 * Connects, waiting while the listener's backlog is full or a NetworkPolicy drops the SYN (retrying each
 * time the policy table changes and at least every second, as SYN retransmits); ETIMEDOUT (as { timeout })
 * after timeoutMs.
 */
export function blockingConnect(fabric: NetworkFabric, req: ConnectRequest, blocker: Blocker, timeoutMs: number, now: () => number): ConnEnd | NetErrno | Blocked {
  const deadline = now() + timeoutMs;
  for (;;) {
    const pol = fabric.policies;
    const version = pol?.version ?? 0;
    const r = fabric.connect(req);
    if (typeof r === 'string') return r;
    const left = deadline - now();
    if ('dropped' in r) {
      if (left <= 0) return { timeout: true };
      if (blocker.wait(pol!.words, 0, version, Math.min(left, 1000)) === 'interrupted') return { interrupted: true };
      continue;
    }
    if (!('full' in r)) return r;
    const l = r.full;
    if (left <= 0) return { timeout: true };
    const b = blockUntil(fabric, fabric.listenerSeq(l), () => fabric.pending(l) === 0 || !fabric.listenerOpen(l), blocker, left, now);
    if (b !== 'ok') return b;
  }
}
