/// <reference lib="webworker" />
// Container Worker entry: runs one WASI process (see container-protocol.ts) and reports its output and exit.
import type { ContainerMessage, StartMessage } from './container-protocol';
import { SharedPipe } from './shared-pipe';
import { WasiHost } from './wasi/wasi-host';

declare const self: DedicatedWorkerGlobalScope;

const post = (msg: ContainerMessage, transfer: Transferable[] = []) => self.postMessage(msg, transfer);


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
  // Blocking reads and sleeps wait on the control block, so a signal (stopContainer's SIGTERM) wakes them.
  const pipe = new SharedPipe(msg.control, () => performance.now());
  const afterRead = () => pipe.takeWantSpace() && post({ type: 'stdin-space' });
  const host = new WasiHost({
    args: msg.args,
    env: msg.env,
    rootfs: msg.rootfs,
    now: () => (base ? base.cluster + (Date.now() - base.wall) * speed : Date.now()),
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    stdout: (chunk) => post({ type: 'stdout', chunk }, [chunk.buffer as ArrayBuffer]),
    stderr: (chunk) => post({ type: 'stderr', chunk }, [chunk.buffer as ArrayBuffer]),
    sleep: (ms) => void pipe.sleep(ms / speed),
    stdin: (max) => {
      if (!msg.stdin) return new Uint8Array(0);
      const r = pipe.read(max);
      if ('data' in r) {
        afterRead();
        return r.data;
      }
      return 'signal' in r ? null : new Uint8Array(0);
    },
    stdinReady: (timeoutMs) => {
      if (!msg.stdin || pipe.available > 0 || pipe.closed) return true;
      pipe.read(0, timeoutMs / speed);
      return pipe.available > 0 || pipe.closed;
    },
    takeSignals: () => pipe.takeSignals(),
    ...(msg.memoryLimitBytes !== undefined ? { memoryLimitBytes: msg.memoryLimitBytes } : {}),
  });
  void host.run(msg.module).then(
    (r) => post({ type: 'exit', exitCode: r.exitCode, ...(r.error ? { error: r.error } : {}), ...(r.oomKilled ? { oomKilled: true } : {}) }),
    (err) => post({ type: 'exit', exitCode: 128, error: `container worker failed: ${String(err?.message ?? err)}` }),
  );
}
