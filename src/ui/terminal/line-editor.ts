/**
 * A readline-like line discipline for the terminal: pure logic, no DOM, no xterm.
 * feed(data) takes what xterm's onData delivers (typed keys, escape sequences, pasted text) and returns
 * the bytes to echo plus any complete lines. Pasted text with newlines yields several lines in order.
 */
export interface FeedResult {
  echo: string;
  lines: string[];
  interrupt: boolean;
  clearScreen: boolean;
  /** Set when Tab was pressed: the caller may complete the word before the cursor. */
  complete?: { line: string; cursor: number };
}

export class LineEditor {
  private buf = '';
  private cursor = 0;
  private history: string[] = [];
  private historyIndex = -1;
  private stash = '';

  constructor(private prompt = '$ ') {}

  get line(): string {
    return this.buf;
  }

  setPrompt(p: string): void {
    this.prompt = p;
  }

  /** The prompt plus the current line, as written after a command finished. */
  renderPrompt(): string {
    return this.prompt + this.buf + (this.cursor < this.buf.length ? `\x1b[${this.buf.length - this.cursor}D` : '');
  }

  addHistory(line: string): void {
    if (line.trim() && this.history[this.history.length - 1] !== line) this.history.push(line);
    this.historyIndex = -1;
  }

  /** Inserts text at the cursor (used by completion). */
  insert(text: string): string {
    this.buf = this.buf.slice(0, this.cursor) + text + this.buf.slice(this.cursor);
    this.cursor += text.length;
    return this.redraw();
  }

  feed(data: string): FeedResult {
    const out: FeedResult = { echo: '', lines: [], interrupt: false, clearScreen: false };
    let i = 0;
    while (i < data.length) {
      const rest = data.slice(i);
      const esc = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(rest);
      if (esc) {
        out.echo += this.escape(esc[1]);
        i += esc[0].length;
        continue;
      }
      const ch = data[i++];
      if (ch === '\r' || ch === '\n') {
        if (ch === '\n' && data[i - 2] === '\r') continue;
        out.echo += '\r\n';
        out.lines.push(this.buf);
        this.addHistory(this.buf);
        this.buf = '';
        this.cursor = 0;
      } else if (ch === '\x03') {
        out.echo += '^C\r\n';
        this.buf = '';
        this.cursor = 0;
        out.interrupt = true;
      } else if (ch === '\x0c') {
        out.clearScreen = true;
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.cursor > 0) {
          this.buf = this.buf.slice(0, this.cursor - 1) + this.buf.slice(this.cursor);
          this.cursor--;
          out.echo += this.redraw();
        }
      } else if (ch === '\x01') {
        out.echo += this.moveTo(0);
      } else if (ch === '\x05') {
        out.echo += this.moveTo(this.buf.length);
      } else if (ch === '\x15') {
        this.buf = this.buf.slice(this.cursor);
        this.cursor = 0;
        out.echo += this.redraw();
      } else if (ch === '\x0b') {
        this.buf = this.buf.slice(0, this.cursor);
        out.echo += this.redraw();
      } else if (ch === '\x17') {
        const before = this.buf.slice(0, this.cursor).replace(/\S+\s*$/, '');
        this.buf = before + this.buf.slice(this.cursor);
        this.cursor = before.length;
        out.echo += this.redraw();
      } else if (ch === '\t') {
        out.complete = { line: this.buf, cursor: this.cursor };
      } else if (ch >= ' ') {
        out.echo += this.insert(ch);
      }
    }
    return out;
  }

  private escape(seq: string): string {
    switch (seq) {
      case '[A':
      case 'OA':
        return this.recall(-1);
      case '[B':
      case 'OB':
        return this.recall(1);
      case '[C':
      case 'OC':
        return this.moveTo(this.cursor + 1);
      case '[D':
      case 'OD':
        return this.moveTo(this.cursor - 1);
      case '[H':
      case 'OH':
      case '[1~':
        return this.moveTo(0);
      case '[F':
      case 'OF':
      case '[4~':
        return this.moveTo(this.buf.length);
      case '[3~':
        if (this.cursor >= this.buf.length) return '';
        this.buf = this.buf.slice(0, this.cursor) + this.buf.slice(this.cursor + 1);
        return this.redraw();
      default:
        return '';
    }
  }

  private recall(dir: -1 | 1): string {
    if (!this.history.length) return '';
    if (this.historyIndex === -1) {
      if (dir === 1) return '';
      this.stash = this.buf;
      this.historyIndex = this.history.length - 1;
    } else {
      const next = this.historyIndex + dir;
      if (next < 0) return '';
      if (next >= this.history.length) {
        this.historyIndex = -1;
        this.buf = this.stash;
        this.cursor = this.buf.length;
        return this.redraw();
      }
      this.historyIndex = next;
    }
    this.buf = this.history[this.historyIndex];
    this.cursor = this.buf.length;
    return this.redraw();
  }

  private moveTo(pos: number): string {
    const p = Math.max(0, Math.min(this.buf.length, pos));
    const d = p - this.cursor;
    this.cursor = p;
    return d > 0 ? `\x1b[${d}C` : d < 0 ? `\x1b[${-d}D` : '';
  }

  /** Rewrites the whole line: carriage return, prompt, buffer, clear to end, cursor back into place. */
  private redraw(): string {
    const back = this.buf.length - this.cursor;
    return `\r${this.prompt}${this.buf}\x1b[K${back > 0 ? `\x1b[${back}D` : ''}`;
  }
}
