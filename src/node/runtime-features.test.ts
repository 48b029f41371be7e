import { describe, expect, it } from 'vitest';
import { compileCFile } from './compile-c-file';
import { KILLED_EXIT_CODE, type LaunchSpec } from '../workers/runtime';
import { limitModuleMemory } from '../workers/runtime/limit-module-memory';
import { emptyRootfs } from '../workers/runtime/wasi/mem-fs';
import { createWorkerThreadsLauncher } from './worker-threads-launcher';

// Runtime features over real threads (blocking stdin and sleeps with Atomics.wait, as in the tab).
const dec = new TextDecoder();
const enc = new TextEncoder();
const features = new URL('../workers/runtime/testdata/runtime-features.c', import.meta.url);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function launch(mode: string, extra: Partial<LaunchSpec> = {}) {
  const { module } = await compileCFile(features);
  const io = { out: '', err: '' };
  const proc = createWorkerThreadsLauncher().launch({
    module,
    args: ['/features', mode],
    env: [],
    rootfs: emptyRootfs(),
    stdout: (c) => (io.out += dec.decode(c)),
    stderr: (c) => (io.err += dec.decode(c)),
    ...extra,
  });
  return { proc, io };
}

describe('runtime features in a container thread', () => {
  it('blocks on stdin until bytes arrive, reads them in order, then EOF after closeStdin', async () => {
    const { proc, io } = await launch('cat', { stdin: true });
    let exited = false;
    void proc.exited.then(() => (exited = true));
    await sleep(700);
    expect(io.out).toBe('');
    expect(exited).toBe(false);
    proc.writeStdin(enc.encode('hello '));
    for (let i = 0; i < 100 && !io.out; i++) await sleep(10);
    expect(io.out).toBe('hello ');
    // More than the 64 KiB ring: the rest waits in the launcher until the reader reports space.
    const big = new Uint8Array(200_000).fill(0x61);
    proc.writeStdin(big);
    proc.writeStdin(enc.encode('\nend\n'));
    proc.closeStdin();
    expect(await proc.exited).toEqual({ exitCode: 0 });
    expect(io.out.length).toBe(6 + 200_000 + 5);
    expect(io.out.endsWith('a\nend\n')).toBe(true);
    expect(io.err).toBe(`bytes=${6 + 200_000 + 5}\n`);
  }, 60_000);

  it('stdin without stdin: true reads EOF at once', async () => {
    const { proc, io } = await launch('cat');
    expect(await proc.exited).toEqual({ exitCode: 0 });
    expect(io.err).toBe('bytes=0\n');
  }, 60_000);

  it('delivers SIGTERM to a signal(SIGTERM, handler) installed through tabernetes.h, waking its sleep', async () => {
    const { proc, io } = await launch('sigterm');
    while (!io.out.includes('ready')) await sleep(20);
    const at = Date.now();
    proc.signal(15);
    expect(await proc.exited).toEqual({ exitCode: 0 });
    expect(Date.now() - at).toBeLessThan(1000);
    expect(io.out).toBe('ready\ngot SIGTERM 15\n');
  }, 60_000);

  it('tabernetes_signal_pending() reports SIGTERM as bit 15', async () => {
    const { proc, io } = await launch('poll');
    await sleep(200);
    proc.signal(15);
    expect(await proc.exited).toEqual({ exitCode: 3 });
    expect(io.out).toBe(`pending ${1 << 15}\n`);
  }, 60_000);

  it('a memory-limited module fails to grow past the limit and is reported OOMKilled (137)', async () => {
    const { wasm } = await compileCFile(features);
    const limit = 8 * 1024 * 1024;
    const module = await WebAssembly.compile(limitModuleMemory(wasm, limit) as Uint8Array<ArrayBuffer>);
    const { proc, io } = await launch('oom', { module, memoryLimitBytes: limit });
    expect(await proc.exited).toEqual({ exitCode: 137, error: 'OOMKilled', oomKilled: true });
    expect(io.err).toMatch(/^out of memory after [4-7] MiB\n$/);
  }, 60_000);

  it('a while(1) program does not block the caller thread and is killed with 137', async () => {
    const { proc } = await launch('spin');
    const at = Date.now();
    await sleep(100);
    expect(Date.now() - at).toBeLessThan(500);
    proc.kill();
    expect(await proc.exited).toEqual({ exitCode: KILLED_EXIT_CODE, killed: true });
  }, 60_000);
});
