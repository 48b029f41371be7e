import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../../api';
import { compileCFile } from '../../../node/compile-c-file';
import type { RootfsSnapshot } from './mem-fs';
import { WasiHost } from './wasi-host';
import { TRAP_EXIT_CODE } from './wasi-host-options';

const probe = new URL('../testdata/wasi-probe.c', import.meta.url);
const hello = new URL('../../../../images/hello-world/main.c', import.meta.url);
const dec = new TextDecoder();

function rootfs(): RootfsSnapshot {
  const enc = new TextEncoder();
  return {
    kind: 'dir',
    mode: 0o755,
    mtime: 0,
    entries: {
      tmp: { kind: 'dir', mode: 0o777, mtime: 0, entries: {} },
      etc: { kind: 'dir', mode: 0o755, mtime: 0, entries: { motd: { kind: 'file', mode: 0o644, mtime: 0, data: enc.encode('welcome\n') } } },
    },
  };
}

async function run(file: URL, args: string[], env: string[] = [], fs = rootfs()) {
  const { module } = await compileCFile(file);
  const clock = new FakeClock();
  let out = '';
  let err = '';
  const host = new WasiHost({
    args,
    env,
    rootfs: fs,
    now: () => clock.now(),
    randomBytes: (n) => seededIds(7).bytes(n),
    stdout: (c) => (out += dec.decode(c)),
    stderr: (c) => (err += dec.decode(c)),
  });
  const result = await host.run(module);
  return { ...result, out, err, host, fs };
}

describe('WasiHost', () => {
  it('runs hello-world: greeting, argv and env on stdout, a line on stderr, exit 0', async () => {
    const r = await run(hello, ['/hello', 'a b', 'c'], ['PATH=/bin', 'GREETING=hi']);
    expect(r.exitCode).toBe(0);
    expect(r.out.split('\n').slice(0, 1)).toEqual(['Hello from Tabernetes!']);
    expect(r.out).toContain('\nArguments:\n/hello\na b\nc\n');
    expect(r.out).toContain('\nEnvironment:\nPATH=/bin\nGREETING=hi\n');
    expect(r.err).toBe('hello-world: done\n');
  });

  it('passes args and env', async () => {
    const r = await run(probe, ['/probe', 'args', 'x=1'], ['HOME=/root']);
    expect(r.out).toBe('arg=/probe\narg=args\narg=x=1\nHOME=/root\n');
  });

  it('reads, writes, renames, lists and removes files in the writable layer', async () => {
    const fs = rootfs();
    const r = await run(probe, ['/probe', 'files'], [], fs);
    expect(r.err).toBe('');
    expect(r.exitCode).toBe(0);
    const lines = r.out.split('\n');
    expect(lines).toContain('old-exists=0');
    expect(r.out).toContain('read=18:hello file\nsecond\n');
    expect(lines).toContain('size=18 dir=0');
    expect(lines).toContain('mkdir-again=File exists');
    expect(lines.filter((l) => l.startsWith('entry='))).toEqual(['entry=.', 'entry=..', 'entry=b.txt', 'entry=sub']);
    expect(lines).toContain('rmdir-nonempty=Directory not empty');
    expect(lines).toContain('after-unlink=No such file or directory');
    expect(lines).toContain('missing=No such file or directory');
    expect(lines).toContain('motd=welcome');
    expect(lines).toContain('seek=456 end=10');
    // The image snapshot itself is untouched; the process's own tree has the changes.
    expect(Object.keys((fs.entries.tmp as { entries: object }).entries)).toEqual([]);
    const live = r.host.fs.snapshot() as RootfsSnapshot;
    expect(Object.keys((live.entries.tmp as RootfsSnapshot).entries).sort()).toEqual(['seek', 'sub']);
  });

  it('reports time from the injected clock and lets sleeps elapse', async () => {
    const r = await run(probe, ['/probe', 'clock']);
    const lines = r.out.split('\n');
    expect(lines).toContain(`realtime=${Math.floor(Date.UTC(2026, 0, 1) / 1000)}`);
    expect(lines).toContain('slept-ms=250');
    expect(r.out).toMatch(/random=[0-9a-f]{8}/);
  });

  it('returns exit codes from exit() and reports traps', async () => {
    const r = await run(probe, ['/probe', 'exit', '42']);
    expect(r.exitCode).toBe(42);
    expect(r.err).toBe('exiting 42\n');
    const t = await run(probe, ['/probe', 'trap']);
    expect(t.exitCode).toBe(TRAP_EXIT_CODE);
    expect(t.error).toMatch(/^wasm trap: /);
  });

  it('links: every preview1 import is provided', async () => {
    const { module } = await compileCFile(probe);
    const host = new WasiHost({ args: [], env: [], rootfs: rootfs(), now: () => 0, randomBytes: (n) => new Uint8Array(n), stdout() {}, stderr() {} });
    const provided = host.imports().wasi_snapshot_preview1;
    for (const imp of WebAssembly.Module.imports(module)) expect(provided[imp.name], imp.name).toBeTypeOf('function');
  });
});
