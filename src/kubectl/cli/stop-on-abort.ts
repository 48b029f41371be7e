// Ctrl-C (io.signal) for commands that run until cancelled: -w/--watch, logs -f, events -w, run -i, exec.
import type { KubectlIO } from '../kubectl-io';

type Signal = NonNullable<KubectlIO['signal']>;

/** Runs fn when signal aborts from now on, after any onabort already set (several commands may share one signal). */
export function chainOnAbort(signal: Signal, fn: () => void): void {
  const prev = signal.onabort;
  signal.onabort = () => {
    prev?.();
    fn();
  };
}

/**
 * A stream that ends on Ctrl-C: when signal aborts (or already has), disposes sub and then calls done, which
 * is how the command ends with exit code 0. Without a signal the stream runs until it closes.
 */
export function stopOnAbort(signal: KubectlIO['signal'], sub: { dispose(): void }, done: () => void): void {
  if (!signal) return;
  chainOnAbort(signal, () => {
    sub.dispose();
    done();
  });
  if (signal.aborted) signal.onabort!();
}
