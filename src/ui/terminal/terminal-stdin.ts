import type { KubectlIO } from '../../kubectl/kubectl-io';

type StdinStream = NonNullable<KubectlIO['stdinStream']>;
type Size = { width: number; height: number };
interface Disposable {
  dispose(): void;
}

export interface TerminalStdinDeps {
  /** Local echo (cooked mode only). */
  write(text: string): void;
  size(): Size;
  onResize(cb: (size: Size) => void): Disposable;
  /** Ctrl-C in cooked mode: interrupt the running command. */
  interrupt(): void;
}

/**
 * Hands the terminal's keyboard to the running kubectl command while it reads stdin (exec -i, run -i).
 * Pure logic: the pane calls open() per command and routes every xterm onData chunk through feed().
 * - Raw mode (the command asked for the terminal size, i.e. -t): bytes go through untouched, Ctrl-C
 *   included (\x03 reaches the remote); the remote tty echoes.
 * - Cooked mode (-i without -t): a tiny line discipline echoes locally, Backspace edits, Enter sends the
 *   line plus "\n", Ctrl-C interrupts the command as kubectl's SIGINT would.
 * Keys typed while a command runs but before it subscribes are held (as a tty buffers them) and handed to
 * it once it subscribes, or returned by close() when it never does (the caller's type-ahead). Ctrl-C
 * while nothing reads is left to the caller (feed returns false). Outside a command feed() returns false.
 */
export class TerminalStdin {
  private readonly receivers = new Set<(data: string) => void>();
  private raw = false;
  private line = '';
  private session = 0;
  private open_ = false;
  private held = '';

  constructor(private readonly deps: TerminalStdinDeps) {}

  /** True while a command subscribed to keystrokes. */
  get active(): boolean {
    return this.receivers.size > 0;
  }

  /** True when the reading command asked for a terminal (-t). */
  get rawMode(): boolean {
    return this.raw;
  }

  /** A fresh stdinStream for one command; close() detaches it and returns the keys nobody read. */
  open(): { stream: StdinStream; close(): string } {
    const session = ++this.session;
    this.raw = false;
    this.line = '';
    this.open_ = true;
    this.held = '';
    const held: Disposable[] = [];
    const hold = (d: Disposable): Disposable => {
      held.push(d);
      return d;
    };
    const stream: StdinStream = {
      onData: (cb) => {
        this.receivers.add(cb);
        // After the subscriber's synchronous setup (exec asks for the size right after), so held keys
        // take the raw or cooked path the command chose.
        queueMicrotask(() => {
          const keys = this.held;
          this.held = '';
          if (keys && session === this.session) this.feed(keys);
        });
        return hold({ dispose: () => this.receivers.delete(cb) });
      },
      size: () => {
        if (session === this.session) this.raw = true;
        return this.deps.size();
      },
      onResize: (cb) => {
        if (session === this.session) this.raw = true;
        return hold(this.deps.onResize(cb));
      },
    };
    return {
      stream,
      close: () => {
        for (const d of held.splice(0)) d.dispose();
        if (session !== this.session) return '';
        const rest = this.held;
        this.raw = false;
        this.line = '';
        this.open_ = false;
        this.held = '';
        return rest;
      },
    };
  }

  /** Routes keys to the reading command (or holds them for it); false when the caller should handle them. */
  feed(data: string): boolean {
    if (!this.active) {
      if (!this.open_) return false;
      if (data.includes('\x03')) {
        this.held = '';
        return false;
      }
      this.held += data;
      return true;
    }
    if (this.raw) {
      this.deliver(data);
      return true;
    }
    for (let i = 0; i < data.length; i++) {
      const ch = data[i];
      const esc = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])?/.exec(data.slice(i));
      if (esc) {
        i += esc[0].length - 1;
      } else if (ch === '\r' || ch === '\n') {
        if (ch === '\n' && data[i - 1] === '\r') continue;
        this.deps.write('\r\n');
        const line = this.line + '\n';
        this.line = '';
        this.deliver(line);
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.line) {
          this.line = this.line.slice(0, -1);
          this.deps.write('\b \b');
        }
      } else if (ch === '\x03') {
        this.line = '';
        this.deps.interrupt();
        return true;
      } else if (ch === '\x04') {
        const line = this.line;
        this.line = '';
        if (line) this.deliver(line);
      } else if (ch >= ' ') {
        this.line += ch;
        this.deps.write(ch);
      }
    }
    return true;
  }

  private deliver(data: string): void {
    for (const cb of [...this.receivers]) cb(data);
  }
}
