import { describe, expect, it } from 'vitest';
import { LineEditor } from './line-editor';

describe('LineEditor', () => {
  it('collects typed characters into a line on Enter', () => {
    const ed = new LineEditor('$ ');
    expect(ed.feed('kubectl get po').lines).toEqual([]);
    const r = ed.feed('\r');
    expect(r.lines).toEqual(['kubectl get po']);
    expect(r.echo).toBe('\r\n');
  });

  it('splits pasted multi-line text into lines in order', () => {
    const ed = new LineEditor();
    expect(ed.feed('a\r\nb\nc').lines).toEqual(['a', 'b']);
    expect(ed.line).toBe('c');
  });

  it('edits in the middle of the line with arrows and backspace', () => {
    const ed = new LineEditor();
    ed.feed('kubectl gt');
    ed.feed('\x1b[D'); // left, cursor before 't'
    ed.feed('e');
    expect(ed.line).toBe('kubectl get');
    ed.feed('\x7f\x7f');
    expect(ed.line).toBe('kubectl t');
  });

  it('recalls history with up and down, restoring the unfinished line', () => {
    const ed = new LineEditor();
    ed.feed('one\rtwo\r');
    ed.feed('draft');
    ed.feed('\x1b[A');
    expect(ed.line).toBe('two');
    ed.feed('\x1b[A');
    expect(ed.line).toBe('one');
    ed.feed('\x1b[B\x1b[B');
    expect(ed.line).toBe('draft');
  });

  it('Ctrl-C clears the line and reports an interrupt', () => {
    const ed = new LineEditor();
    ed.feed('abc');
    const r = ed.feed('\x03');
    expect(r.interrupt).toBe(true);
    expect(ed.line).toBe('');
  });

  it('Ctrl-W deletes the previous word', () => {
    const ed = new LineEditor();
    ed.feed('kubectl get pods');
    ed.feed('\x17');
    expect(ed.line).toBe('kubectl get ');
  });
});
