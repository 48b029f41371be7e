import { beforeAll, describe, expect, it } from 'vitest';
import { compileCFile } from '../../node/compile-c-file';
import type { ContainerMessage } from './container-protocol';
import { KILLED_EXIT_CODE } from './process-launcher';
import { createWorkerLauncher, WORKER_ERROR_EXIT_CODE, type WorkerLike } from './worker-launcher';
import { createWorkerPool } from './worker-pool';
import { emptyRootfs } from './wasi/mem-fs';

// Loads the real container Worker entry (main.ts) against a fake `self`, and connects it to the launcher
// through a WorkerLike that delivers messages like postMessage (structured clone, asynchronously).
type Listener = (ev: { data: unknown }) => void;
const toWorker: Listener[] = [];
let toLauncher: (msg: ContainerMessage) => void = () => undefined;

beforeAll(async () => {
  (globalThis as unknown as { self: unknown }).self = {
    addEventListener: (_type: string, fn: Listener) => toWorker.push(fn),
    // Like a Worker's postMessage: transferred buffers are detached on the sending side.
    postMessage: (msg: ContainerMessage, transfer: Transferable[] = []) => toLauncher(structuredClone(msg, { transfer })),
  };
  await import('./main');
});

function fakeWorker(): WorkerLike & { terminated: boolean; messages: ContainerMessage[] } {
  const onMessage: Listener[] = [];
  const w = {
    terminated: false,
    messages: [] as ContainerMessage[],
    postMessage(msg: unknown) {
      const copy = structuredClone(msg);
      setTimeout(() => toWorker.forEach((fn) => fn({ data: copy })), 0);
    },
    addEventListener(type: string, fn: Listener) {
      if (type === 'message') onMessage.push(fn);
    },
    terminate() {
      w.terminated = true;
    },
  };
  toLauncher = (msg) => {
    if (w.terminated) return;
    w.messages.push(msg);
    onMessage.forEach((fn) => fn({ data: msg }));
  };
  return w as WorkerLike & { terminated: boolean; messages: ContainerMessage[] };
}

const dec = new TextDecoder();

describe('createWorkerLauncher + container Worker entry', () => {
  it('runs a program in the Worker, relays stdout/stderr in order and reports the exit', async () => {
    const { module } = await compileCFile(new URL('./testdata/wasi-probe.c', import.meta.url));
    const worker = fakeWorker();
    const launcher = createWorkerLauncher({ createWorker: () => worker, clockBase: { wall: Date.now(), cluster: Date.UTC(2030, 0, 1), speed: 1 } });
    let out = '';
    let err = '';
    const proc = launcher.launch({
      module,
      args: ['/probe', 'clock'],
      env: [],
      rootfs: emptyRootfs(),
      stdout: (c) => (out += dec.decode(c)),
      stderr: (c) => (err += dec.decode(c)),
    });
    expect(await proc.exited).toEqual({ exitCode: 0 });
    expect(out).toMatch(/^realtime=1893456\d{3}\n/);
    expect(out).toMatch(/slept-ms=2[5-9]\d\n/);
    expect(err).toBe('');
    expect(worker.terminated).toBe(true);

    const w2 = fakeWorker();
    const failing = createWorkerLauncher({ createWorker: () => w2 }).launch({
      module,
      args: ['/probe', 'exit', '9'],
      env: [],
      rootfs: emptyRootfs(),
      stdout: () => undefined,
      stderr: (c) => (err += dec.decode(c)),
    });
    expect(await failing.exited).toEqual({ exitCode: 9 });
    expect(err).toBe('exiting 9\n');
  });

  it('reports the program started (the Worker posts `started` as _start is entered, before any output); a module that does not instantiate never starts', async () => {
    const { module } = await compileCFile(new URL('./testdata/wasi-probe.c', import.meta.url));
    const worker = fakeWorker();
    const proc = createWorkerLauncher({ createWorker: () => worker }).launch({ module, args: ['/probe', 'exit', '2'], env: [], rootfs: emptyRootfs(), stdout() {}, stderr() {} });
    expect(await proc.started).toBe(true);
    expect(await proc.exited).toEqual({ exitCode: 2 });
    expect(worker.messages.map((m) => m.type)).toEqual(['started', 'stderr', 'exit']);

    // a module that imports a function the host does not provide fails at instantiation
    const bad = await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 9, 1, 1, 120, 3, 110, 111, 112, 0, 0]));
    const w2 = fakeWorker();
    const p2 = createWorkerLauncher({ createWorker: () => w2 }).launch({ module: bad, args: ['/x'], env: [], rootfs: emptyRootfs(), stdout() {}, stderr() {} });
    expect(await p2.started).toBe(false);
    expect((await p2.exited).error).toMatch(/^failed to instantiate module/);
    expect(w2.messages.map((m) => m.type)).toEqual(['exit']);
  });

  it('container clocks have sub-millisecond resolution (performance.timeOrigin + performance.now())', async () => {
    const { module } = await compileCFile(new URL('./testdata/wasi-probe.c', import.meta.url));
    let out = '';
    const proc = createWorkerLauncher({ createWorker: () => fakeWorker() }).launch({ module, args: ['/probe', 'clockres'], env: [], rootfs: emptyRootfs(), stdout: (c) => (out += dec.decode(c)), stderr() {} });
    expect(await proc.exited).toEqual({ exitCode: 0 });
    expect(out).toMatch(/^res-ns=1000\nstep-ns=\d+\n$/);
    expect(Number(/step-ns=(\d+)/.exec(out)?.[1])).toBeLessThan(1_000_000);
  });

  it('takes a primed idle Worker from the pool (the Worker ignores prime and runs start) and primes the pool', async () => {
    const { module } = await compileCFile(new URL('./testdata/wasi-probe.c', import.meta.url));
    const made: ReturnType<typeof fakeWorker>[] = [];
    const refills: (() => void)[] = [];
    const pool = createWorkerPool({ createWorker: () => (made.push(fakeWorker()), made[made.length - 1]), size: 1, defer: (fn) => void refills.push(fn) });
    pool.prime(module);
    const launcher = createWorkerLauncher({ createWorker: () => { throw new Error('not from the pool'); }, pool });
    const posted: string[] = [];
    const post = made[0].postMessage.bind(made[0]);
    made[0].postMessage = (m: unknown) => (posted.push((m as { type: string }).type), post(m));
    let err = '';
    const proc = launcher.launch({ module, args: ['/probe', 'exit', '3'], env: [], rootfs: emptyRootfs(), stdout() {}, stderr: (c) => (err += dec.decode(c)) });
    expect(await proc.exited).toEqual({ exitCode: 3 });
    expect(err).toBe('exiting 3\n');
    expect(posted).toEqual(['start']); // primed when it was created, before the wrapper
    expect(made[0].terminated).toBe(true);
    expect(pool.idle).toBe(0);
    refills.forEach((fn) => fn());
    expect(pool.idle).toBe(1);
    pool.dispose();
    expect(made[1].terminated).toBe(true);
  });

  it('prepare() starts one more Worker in the pool ahead of a launch', () => {
    let made = 0;
    const pool = createWorkerPool({ createWorker: () => (made++, fakeWorker()), size: 1, defer: () => undefined });
    const launcher = createWorkerLauncher({ createWorker: () => fakeWorker(), pool });
    launcher.prepare?.();
    expect(made).toBe(2);
    expect(pool.idle).toBe(2);
    pool.dispose();
    expect(createWorkerLauncher({ createWorker: () => fakeWorker() }).prepare?.()).toBeUndefined();
  });

  it('kill() terminates the Worker and reports 137; a Worker error reports 128', async () => {
    const worker = fakeWorker();
    worker.postMessage = () => undefined; // never starts
    const proc = createWorkerLauncher({ createWorker: () => worker }).launch({ module: {} as WebAssembly.Module, args: [], env: [], rootfs: emptyRootfs(), stdout() {}, stderr() {} });
    proc.kill();
    expect(await proc.started).toBe(false);
    expect(await proc.exited).toEqual({ exitCode: KILLED_EXIT_CODE, killed: true });
    expect(worker.terminated).toBe(true);

    let onError: ((ev: { message?: string }) => void) | undefined;
    const broken: WorkerLike = { postMessage() {}, addEventListener: (t: string, fn: never) => void (t === 'error' && (onError = fn)), terminate() {} };
    const p2 = createWorkerLauncher({ createWorker: () => broken }).launch({ module: {} as WebAssembly.Module, args: [], env: [], rootfs: emptyRootfs(), stdout() {}, stderr() {} });
    onError?.({ message: 'SyntaxError: boom' });
    expect(await p2.exited).toEqual({ exitCode: WORKER_ERROR_EXIT_CODE, error: 'container worker failed: SyntaxError: boom' });
  });
});
