import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileCFile } from '../../node/compile-c-file';
import type { ContainerMessage, StartMessage } from './container-protocol';
import { containerHost, warmContainerStart, type ContainerThread } from './container-start';
import { newStatsBuffer } from './container-stats';
import { SharedPipe } from './shared-pipe';
import type { RootfsSnapshot } from './wasi/mem-fs';

const probe = new URL('./testdata/wasi-probe.c', import.meta.url);
const dec = new TextDecoder();
const EPOCH = Date.UTC(2026, 0, 1);

function thread(): ContainerThread & { sent: ContainerMessage[] } {
  const sent: ContainerMessage[] = [];
  return {
    sent,
    post: (m) => void sent.push(m),
    wallNow: () => performance.timeOrigin + performance.now(),
    monoNow: () => performance.now(),
    randomBytes: (n) => new Uint8Array(n).fill(7),
  };
}

function rootfs(): RootfsSnapshot {
  return { kind: 'dir', mode: 0o755, mtime: 0, entries: { tmp: { kind: 'dir', mode: 0o777, mtime: 0, entries: {} }, etc: { kind: 'dir', mode: 0o755, mtime: 0, entries: {} } } };
}

function startMessage(module: WebAssembly.Module, args: string[], env: string[], t: ContainerThread): StartMessage {
  return { type: 'start', module, args, env, rootfs: rootfs(), control: new SharedPipe().buffer, stats: newStatsBuffer(), stdin: false, clockBase: { wall: t.wallNow(), cluster: EPOCH, speed: 1 } };
}

async function start(module: WebAssembly.Module, args: string[], env: string[] = []) {
  const t = thread();
  const msg = startMessage(module, args, env, t);
  const host = containerHost(msg, t);
  const r = await host.run(module);
  const stdout = t.sent.flatMap((m) => (m.type === 'stdout' ? [dec.decode(m.chunk)] : [])).join('');
  return { r, stdout, sent: t.sent, host, msg };
}

afterEach(() => vi.restoreAllMocks());

describe('warmContainerStart (a pooled Worker on the pool warm message)', () => {
  it('posts nothing and instantiates nothing', () => {
    const instantiate = vi.spyOn(WebAssembly, 'instantiate');
    const t = thread();
    warmContainerStart(t);
    expect(t.sent).toEqual([]);
    expect(instantiate).not.toHaveBeenCalled();
  });

  it('a start after it has its own args, env and stdio: none of the warm-up synthetic start', async () => {
    const { module } = await compileCFile(probe);
    warmContainerStart(thread());
    const { r, stdout, sent } = await start(module, ['/probe', 'args', 'x=1'], ['HOME=/root']);
    expect(r.exitCode).toBe(0);
    expect(stdout).toBe('arg=/probe\narg=args\narg=x=1\nHOME=/root\n');
    expect(sent[0]).toEqual({ type: 'started' });
  });

  it('a start after it reads its own clock (the start message clockBase) and has a fresh filesystem', async () => {
    const { module } = await compileCFile(probe);
    warmContainerStart(thread());
    const clock = await start(module, ['/probe', 'clock']);
    expect(clock.stdout.split('\n')).toContain(`realtime=${Math.floor(EPOCH / 1000)}`);
    const files = await start(module, ['/probe', 'files']);
    expect(files.r.exitCode).toBe(0);
    expect(Object.keys((files.host.fs.snapshot() as RootfsSnapshot).entries).sort()).toEqual(['etc', 'tmp']);
  });

});
