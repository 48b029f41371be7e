/// <reference lib="webworker" />
// Container Worker entry: runs one WASI process (see container-protocol.ts) and reports its output and exit.
import type { ContainerMessage, PrimeMessage, StartMessage, WarmMessage } from './container-protocol';
import { containerHost, warmContainerStart, type ContainerThread } from './container-start';

declare const self: DedicatedWorkerGlobalScope;

const post = (msg: ContainerMessage, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

// Sub-millisecond wall time (Date.now() is whole ms): the WASI clocks report microseconds.
const thread: ContainerThread = {
  post,
  wallNow: () => performance.timeOrigin + performance.now(),
  monoNow: () => performance.now(),
  randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
};

// The module received while idle (a pool's `prime`): held so its clone is not collected before `start`.
let primed: WebAssembly.Module | undefined;

self.addEventListener('message', (ev: MessageEvent<StartMessage | PrimeMessage | WarmMessage>) => {
  const msg = ev.data;
  if (msg?.type === 'prime') primed = msg.module;
  // A pooled idle Worker: compile the start path now (container-start.ts); a failure only loses the head start.
  if (msg?.type === 'warm') {
    try {
      warmContainerStart(thread);
    } catch {
      // the real start reports its own errors
    }
  }
  if (msg?.type !== 'start') return;
  primed = undefined;
  try {
    const host = containerHost(msg, thread);
    void host.run(msg.module).then(
      (r) => post({ type: 'exit', exitCode: r.exitCode, ...(r.error ? { error: r.error } : {}), ...(r.oomKilled ? { oomKilled: true } : {}) }),
      (err) => post({ type: 'exit', exitCode: 128, error: `container worker failed: ${String(err?.message ?? err)}` }),
    );
  } catch (err) {
    post({ type: 'exit', exitCode: 128, error: `container worker failed: ${String((err as Error)?.message ?? err)}` });
  }
});

