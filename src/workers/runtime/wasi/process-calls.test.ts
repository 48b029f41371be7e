import { beforeAll, describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../../api';
import { compileCFile } from '../../../node/compile-c-file';
import type { RootfsSnapshot } from './mem-fs';
import { WasiHost } from './wasi-host';

const spawnProbe = new URL('../testdata/spawn-probe.c', import.meta.url);
const dec = new TextDecoder();

// Compiling the probe with clang (in WebAssembly) is slow on a loaded machine: once, with its own timeout.
let compiled: Awaited<ReturnType<typeof compileCFile>>;
beforeAll(async () => {
  compiled = await compileCFile(spawnProbe);
}, 180_000);

async function run(args: string[]) {
  const { module, wasm } = compiled;
  const rootfs: RootfsSnapshot = {
    kind: 'dir', mode: 0o755, mtime: 0,
    entries: { bin: { kind: 'dir', mode: 0o755, mtime: 0, entries: { probe: { kind: 'file', mode: 0o755, mtime: 0, data: wasm } } } },
  };
  const clock = new FakeClock();
  let out = '';
  let err = '';
  const host = new WasiHost({
    args, env: ['PATH=/bin'], rootfs,
    now: () => clock.now(),
    randomBytes: (n) => seededIds(1).bytes(n),
    stdout: (c) => (out += dec.decode(c)),
    stderr: (c) => (err += dec.decode(c)),
  });
  const r = await host.run(module);
  return { ...r, out, err };
}

describe('tabernetes_process: spawn, pipe, waitpid', () => {
  it('runs a pipeline of two child instances with their own exit codes; the consumer reads to EOF', async () => {
    const r = await run(['probe', 'pipeline']);
    expect(r.err).toBe('');
    expect(r.out).toBe('bytes=21\ngen=4 count=7\n');
    expect(r.exitCode).toBe(0);
  });

  it('yes | head -1 ends: the reader runs once the pipe is full, then the writer gets EPIPE', async () => {
    const r = await run(['probe', 'yes-head']);
    expect(r.out).toBe('y\nyes=1 head1=0\n');
  }, 60_000);

  it('spawning an unknown program fails with ENOENT', async () => {
    const r = await run(['probe', 'missing']);
    expect(r.out).toBe('spawn=-1\n');
  });
});
