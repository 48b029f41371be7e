import { describe, expect, it } from 'vitest';
import { chainOnAbort, stopOnAbort } from './stop-on-abort';

describe('stopOnAbort', () => {
  it('on abort runs the earlier onabort, then disposes the stream, then ends the command', () => {
    const calls: string[] = [];
    const signal: { aborted: boolean; onabort?: () => void } = { aborted: false, onabort: () => calls.push('prev') };
    stopOnAbort(signal, { dispose: () => calls.push('dispose') }, () => calls.push('done'));
    expect(calls).toEqual([]);
    signal.aborted = true;
    signal.onabort?.();
    expect(calls).toEqual(['prev', 'dispose', 'done']);
  });

  it('stops at once when the signal has already aborted, and does nothing without a signal', () => {
    const calls: string[] = [];
    stopOnAbort({ aborted: true }, { dispose: () => calls.push('dispose') }, () => calls.push('done'));
    expect(calls).toEqual(['dispose', 'done']);
    stopOnAbort(undefined, { dispose: () => calls.push('x') }, () => calls.push('y'));
    expect(calls).toEqual(['dispose', 'done']);
  });

  it('chainOnAbort keeps every handler of a shared signal, in the order they were set', () => {
    const calls: number[] = [];
    const signal: { aborted: boolean; onabort?: () => void } = { aborted: false };
    chainOnAbort(signal, () => calls.push(1));
    chainOnAbort(signal, () => calls.push(2));
    signal.onabort?.();
    expect(calls).toEqual([1, 2]);
  });
});
