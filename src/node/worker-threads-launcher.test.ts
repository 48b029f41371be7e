import { describe, expect, it } from 'vitest';
import { compileCFile } from './compile-c-file';
import { KILLED_EXIT_CODE } from '../workers/runtime';
import { emptyRootfs } from '../workers/runtime/wasi/mem-fs';
import { createWorkerThreadsLauncher } from './worker-threads-launcher';

const dec = new TextDecoder();
const probe = new URL('../workers/runtime/testdata/wasi-probe.c', import.meta.url);

describe('createWorkerThreadsLauncher', () => {
  it('runs a WASI program in its own thread with cluster time, relaying output and the exit code', async () => {
    const { module } = await compileCFile(probe);
    const launcher = createWorkerThreadsLauncher({ clockBase: { wall: Date.now(), cluster: Date.UTC(2030, 0, 1), speed: 1 } });
    let out = '';
    const ok = launcher.launch({ module, args: ['/probe', 'clock'], env: [], rootfs: emptyRootfs(), stdout: (c) => (out += dec.decode(c)), stderr: () => undefined });
    expect(await ok.exited).toEqual({ exitCode: 0 });
    expect(out).toMatch(/^realtime=1893456\d{3}\n/);
    expect(out).toMatch(/slept-ms=2[5-9]\d\n/);
    let err = '';
    const failing = launcher.launch({ module, args: ['/probe', 'exit', '9'], env: [], rootfs: emptyRootfs(), stdout: () => undefined, stderr: (c) => (err += dec.decode(c)) });
    expect(await failing.exited).toEqual({ exitCode: 9 });
    expect(err).toBe('exiting 9\n');
  }, 60_000);

  it('kill() ends a sleeping program at once with 137 while the caller thread stays free', async () => {
    const { module } = await compileCFile(probe);
    const proc = createWorkerThreadsLauncher().launch({ module, args: ['/probe', 'loop'], env: [], rootfs: emptyRootfs(), stdout: () => undefined, stderr: () => undefined });
    await new Promise((r) => setTimeout(r, 300));
    proc.kill();
    expect(await proc.exited).toEqual({ exitCode: KILLED_EXIT_CODE, killed: true });
  }, 60_000);

  it('dispose() kills every process still running', async () => {
    const { module } = await compileCFile(probe);
    const launcher = createWorkerThreadsLauncher();
    let out = '';
    const spec = { module, args: ['/probe', 'loop'], env: [], rootfs: emptyRootfs(), stdout: (c: Uint8Array) => (out += dec.decode(c)), stderr: () => undefined };
    const a = launcher.launch(spec);
    const b = launcher.launch(spec);
    await expect.poll(() => out.split('tick 0\n').length, { timeout: 20_000 }).toBe(3);
    launcher.dispose();
    expect(await a.exited).toEqual({ exitCode: KILLED_EXIT_CODE, killed: true });
    expect(await b.exited).toEqual({ exitCode: KILLED_EXIT_CODE, killed: true });
  }, 60_000);
});
