import { describe, expect, it } from 'vitest';
import { TerminalStdin } from './terminal-stdin';

function setup() {
  const written: string[] = [];
  let interrupts = 0;
  const resizers: Array<(s: { width: number; height: number }) => void> = [];
  const stdin = new TerminalStdin({
    write: (s) => written.push(s),
    size: () => ({ width: 80, height: 24 }),
    onResize: (cb) => {
      resizers.push(cb);
      return { dispose: () => resizers.splice(resizers.indexOf(cb), 1) };
    },
    interrupt: () => interrupts++,
  });
  return { stdin, written, resizers, interrupts: () => interrupts };
}

describe('TerminalStdin', () => {
  it('outside a command the line editor keeps the keys; keys no command read come back from close()', () => {
    const { stdin } = setup();
    expect(stdin.feed('ls\r')).toBe(false);
    const keys = stdin.open();
    expect(stdin.feed('ls\r')).toBe(true);
    expect(keys.close()).toBe('ls\r');
    const again = stdin.open();
    stdin.feed('x');
    expect(stdin.feed('\x03')).toBe(false);
    expect(again.close()).toBe('');
  });

  it('keys typed before the command subscribes reach it, in the mode it chose', async () => {
    const { stdin, written } = setup();
    const keys = stdin.open();
    stdin.feed('echo early\r');
    const got: string[] = [];
    keys.stream.onData((d) => got.push(d));
    keys.stream.size?.();
    await Promise.resolve();
    expect(got).toEqual(['echo early\r']);
    expect(written).toEqual([]);
    expect(keys.close()).toBe('');
  });

  it('-t (raw): passes bytes untouched, Ctrl-C included, without local echo; close() detaches', () => {
    const { stdin, written, resizers, interrupts } = setup();
    const keys = stdin.open();
    const got: string[] = [];
    keys.stream.onData((d) => got.push(d));
    expect(keys.stream.size?.()).toEqual({ width: 80, height: 24 });
    keys.stream.onResize?.(() => undefined);
    expect(stdin.feed('echo hi\r')).toBe(true);
    expect(stdin.feed('\x03')).toBe(true);
    expect(got).toEqual(['echo hi\r', '\x03']);
    expect(written).toEqual([]);
    expect(interrupts()).toBe(0);
    keys.close();
    expect(resizers).toHaveLength(0);
    expect(stdin.active).toBe(false);
    expect(stdin.feed('x')).toBe(false);
  });

  it('-i without -t (cooked): local echo, Backspace, lines end with \\n, Ctrl-C interrupts', () => {
    const { stdin, written, interrupts } = setup();
    const keys = stdin.open();
    const got: string[] = [];
    keys.stream.onData((d) => got.push(d));
    stdin.feed('abx\x7fc\r');
    expect(got).toEqual(['abc\n']);
    expect(written.join('')).toBe('abx\b \bc\r\n');
    stdin.feed('\x1b[Aq\x03');
    expect(interrupts()).toBe(1);
    expect(got).toEqual(['abc\n']);
    keys.close();
  });

  it('a new command starts in cooked mode', () => {
    const { stdin } = setup();
    const a = stdin.open();
    a.stream.size?.();
    expect(stdin.rawMode).toBe(true);
    a.close();
    const b = stdin.open();
    expect(stdin.rawMode).toBe(false);
    b.close();
  });
});
