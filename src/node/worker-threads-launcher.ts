// Node-only: the runtime's Worker launcher over node:worker_threads — one thread per container, like a
// Worker per container in the tab, so never-ending programs (ticker) run without blocking the cluster.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildSync } from 'esbuild';
import type { Disposable } from '../api/disposable';
import { createWorkerLauncher, type ProcessLauncher, type RunningProcess, type WorkerLike } from '../workers/runtime';

const bootstrap = fileURLToPath(new URL('./container-thread.mjs', import.meta.url));
const containerEntry = fileURLToPath(new URL('../workers/runtime/main.ts', import.meta.url));
const bundleDir = fileURLToPath(new URL('../../.cache/container-thread/', import.meta.url));
let bundled: string | undefined;

/**
 * The container entry bundled into one ES module (esbuild, once per process; files named by content hash in
 * .cache/container-thread, written atomically), so a thread starts without compiling TypeScript. Falls back
 * to the TypeScript entry (loaded through tsx, about 300 ms slower per container) if bundling fails.
 */
function containerModule(): string {
  if (bundled) return bundled;
  try {
    const code = buildSync({ entryPoints: [containerEntry], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', write: false, logLevel: 'silent' }).outputFiles[0].text;
    const file = join(bundleDir, `main-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    if (!existsSync(file)) {
      mkdirSync(bundleDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, code);
      renameSync(tmp, file);
    }
    bundled = file;
  } catch {
    bundled = containerEntry;
  }
  return bundled;
}

/**
 * A WorkerLike over a worker_threads Worker running src/workers/runtime/main.ts (via container-thread.mjs).
 * 'error' fires for an uncaught exception in the thread and for a thread that exits before terminate().
 */
export function createContainerThread(name = 'container'): WorkerLike {
  const worker = new Worker(bootstrap, { workerData: { entry: containerModule() }, name, execArgv: [] });
  let terminated = false;
  const errorListeners: Array<(ev: { message?: string }) => void> = [];
  worker.on('error', (err) => errorListeners.forEach((l) => l({ message: err.message })));
  worker.on('exit', (code) => {
    if (!terminated) errorListeners.forEach((l) => l({ message: `thread exited with code ${code}` }));
  });
  return {
    postMessage: (message, transfer) => worker.postMessage(message, (transfer ?? []) as ArrayBuffer[]),
    addEventListener(type: 'message' | 'error', listener: (ev: never) => void) {
      if (type === 'message') worker.on('message', (data: unknown) => (listener as (ev: { data: unknown }) => void)({ data }));
      else errorListeners.push(listener as (ev: { message?: string }) => void);
    },
    terminate() {
      terminated = true;
      void worker.terminate();
    },
  } as WorkerLike;
}

/**
 * createWorkerLauncher with one worker_threads thread per container; clockBase anchors container time to
 * cluster time. dispose() kills every process still running (exit 137), so a stopped cluster leaves no thread.
 */
export function createWorkerThreadsLauncher(opts: { clockBase?: { wall: number; cluster: number; speed: number } } = {}): ProcessLauncher & Disposable {
  const launcher = createWorkerLauncher({ createWorker: () => createContainerThread(), clockBase: opts.clockBase, wallNow: () => performance.timeOrigin + performance.now() });
  const running = new Set<RunningProcess>();
  return {
    launch(spec) {
      const proc = launcher.launch(spec);
      running.add(proc);
      void proc.exited.then(() => running.delete(proc));
      return proc;
    },
    dispose() {
      for (const proc of [...running]) proc.kill();
    },
  };
}
