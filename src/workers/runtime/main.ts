/// <reference lib="webworker" />
// Container Worker entry: runs one WASI process (see container-protocol.ts) and reports its output and exit.
import type { ContainerMessage, StartMessage } from './container-protocol';
import { WasiHost } from './wasi/wasi-host';

declare const self: DedicatedWorkerGlobalScope;

const post = (msg: ContainerMessage, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

/** Blocks this Worker for ms of real time: Atomics.wait when cross-origin isolated, else a busy wait. */
function blockFor(ms: number): void {
  if (ms <= 0) return;
  if (typeof SharedArrayBuffer !== 'undefined') {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return;
  }
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin: no SharedArrayBuffer without cross-origin isolation
  }
}

self.addEventListener('message', (ev: MessageEvent<StartMessage>) => {
  const msg = ev.data;
  if (msg?.type !== 'start') return;
  try {
    run(msg);
  } catch (err) {
    post({ type: 'exit', exitCode: 128, error: `container worker failed: ${String((err as Error)?.message ?? err)}` });
  }
});

function run(msg: StartMessage): void {
  const base = msg.clockBase;
  const speed = base?.speed ?? 1;
  const host = new WasiHost({
    args: msg.args,
    env: msg.env,
    rootfs: msg.rootfs,
    now: () => (base ? base.cluster + (Date.now() - base.wall) * speed : Date.now()),
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    stdout: (chunk) => post({ type: 'stdout', chunk }, [chunk.buffer as ArrayBuffer]),
    stderr: (chunk) => post({ type: 'stderr', chunk }, [chunk.buffer as ArrayBuffer]),
    sleep: (ms) => blockFor(ms / speed),
  });
  void host.run(msg.module).then(
    (r) => post({ type: 'exit', exitCode: r.exitCode, ...(r.error ? { error: r.error } : {}) }),
    (err) => post({ type: 'exit', exitCode: 128, error: `container worker failed: ${String(err?.message ?? err)}` }),
  );
}
