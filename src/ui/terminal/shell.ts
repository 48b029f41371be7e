import type { Workspace } from '../../workspace';
import { resolveWorkspacePath } from '../../workspace';
import { BUILTINS } from './shell-builtins';
import { parsePipeline, type Stage } from './shell-parse';

/**
 * The terminal's small shell: `kubectl` (alias `k`), file built-ins over the in-tab workspace (ls, cat, rm,
 * mkdir, touch, pwd, cd, echo), pipes (`cat x | kubectl apply -f -`), redirections (`> f`, `>> f`, `< f`,
 * `2>&1`, `2>/dev/null`) and here-documents (`cat <<EOF > f` … `EOF`, pasted from tutorials). Pure logic; the
 * pane wires it to xterm. run() never rejects: failures are printed as a shell would. A stage's stdout is
 * buffered for the next stage; only the last stage streams to the terminal.
 */
export interface ShellDeps {
  kubectl(argv: string[], io: { stdout(s: string): void; stderr(s: string): void; signal: AbortSignalLike; stdin?: string; cwd: string }): Promise<number>;
  splitCommandLine(line: string): string[];
  write(text: string): void;
  clear(): void;
  /** The workspace the file built-ins use; absent: they report it unavailable. */
  workspace?: Workspace;
}

export interface AbortSignalLike {
  aborted: boolean;
  onabort?: () => void;
}

const HELP = `Tabernetes shell. Commands:
  kubectl <args>   the Kubernetes command line (alias: k)
  ls, cat, rm [-r], mkdir [-p], touch, cd, pwd, echo
                   files in this tab's workspace (the editor's file list); / is its root
  a | b, > f, >> f, < f, cmd <<EOF   pipes, redirections, here-documents
  clear            clear the screen (Ctrl-L)
  help             this text
Keys: Up/Down history, Ctrl-A/E start/end, Ctrl-U/K/W cut, Ctrl-C interrupt.
`;

export class Shell {
  lastExitCode = 0;
  /** The current folder, a workspace path ('' is the root). */
  cwd = '';
  private current?: AbortSignalLike;
  private heredoc?: { stages: Stage[]; lines: string[] };

  constructor(private readonly deps: ShellDeps) {}

  /** Interrupts the running command, if any (Ctrl-C), or abandons a here-document being typed. */
  interrupt(): void {
    this.heredoc = undefined;
    const c = this.current;
    if (c && !c.aborted) {
      c.aborted = true;
      c.onabort?.();
    }
  }

  get busy(): boolean {
    return !!this.current;
  }

  /** A here-document is being read: the next lines are its body (the pane prompts with "> "). */
  get continuation(): boolean {
    return !!this.heredoc;
  }

  async run(line: string): Promise<number> {
    const hd = this.heredoc;
    if (hd) {
      const doc = hd.stages.find((s) => s.heredoc)!.heredoc!;
      const body = doc.stripTabs ? line.replace(/^\t+/, '') : line;
      if (body !== doc.delimiter) {
        hd.lines.push(body);
        return this.lastExitCode;
      }
      this.heredoc = undefined;
      return this.execute(hd.stages, hd.lines.map((l) => l + '\n').join(''));
    }
    let stages: Stage[];
    try {
      stages = parsePipeline(line, this.deps.splitCommandLine);
    } catch (err) {
      this.deps.write(`tsh: ${(err as Error).message}\n`);
      return (this.lastExitCode = 2);
    }
    if (stages.length === 1 && !stages[0].argv.length && !stages[0].output) return this.lastExitCode;
    if (stages.some((s) => s.heredoc)) {
      this.heredoc = { stages, lines: [] };
      return this.lastExitCode;
    }
    return this.execute(stages, undefined);
  }

  private async execute(stages: Stage[], heredocText: string | undefined): Promise<number> {
    let piped: string | undefined;
    let code = 0;
    for (let i = 0; i < stages.length; i++) {
      const s = stages[i];
      let stdin = s.heredoc ? heredocText : piped;
      if (s.input !== undefined) {
        stdin = this.deps.workspace?.readText(resolveWorkspacePath(this.cwd, s.input));
        if (stdin === undefined) {
          this.deps.write(`tsh: ${s.input}: No such file or directory\n`);
          code = 1;
          piped = '';
          continue;
        }
      }
      const last = i === stages.length - 1;
      let buffer = '';
      const toTerminal = last && !s.output;
      const out = toTerminal ? (t: string) => this.deps.write(t) : (t: string) => (buffer += t);
      const err = s.discardStderr ? () => undefined : s.stderrToStdout ? out : (t: string) => this.deps.write(t);
      code = await this.command(s.argv, stdin, out, err);
      piped = buffer;
      if (s.output) {
        code = (await this.redirect(s.output, buffer)) ?? code;
        piped = '';
      }
    }
    return (this.lastExitCode = code);
  }

  private async redirect(target: { path: string; append: boolean }, text: string): Promise<number | undefined> {
    if (target.path === '/dev/null') return undefined;
    const ws = this.deps.workspace;
    const path = resolveWorkspacePath(this.cwd, target.path);
    try {
      if (!ws) throw new Error('the workspace is not available');
      await ws.write(path, target.append ? (ws.readText(path) ?? '') + text : text);
      return undefined;
    } catch (e) {
      this.deps.write(`tsh: ${target.path}: ${(e as Error).message.replace(/^.*: /, '')}\n`);
      return 1;
    }
  }

  private async command(argv: string[], stdin: string | undefined, out: (s: string) => void, err: (s: string) => void): Promise<number> {
    if (!argv.length) return 0;
    const [cmd, ...rest] = argv;
    if (cmd === 'kubectl' || cmd === 'k') return this.kubectl(rest, stdin, out, err);
    if (cmd === 'clear') return this.deps.clear(), 0;
    if (cmd === 'help') return out(HELP), 0;
    const builtin = BUILTINS[cmd];
    if (!builtin) {
      err(`tsh: command not found: ${cmd}\n`);
      return 127;
    }
    return builtin({
      args: rest,
      stdin,
      out,
      err,
      cwd: this.cwd,
      setCwd: (d) => (this.cwd = d),
      fs: this.deps.workspace,
      lastExitCode: this.lastExitCode,
    });
  }

  private async kubectl(argv: string[], stdin: string | undefined, stdout: (s: string) => void, stderr: (s: string) => void): Promise<number> {
    const signal: AbortSignalLike = { aborted: false };
    this.current = signal;
    try {
      return await this.deps.kubectl(argv, { stdout, stderr, signal, stdin, cwd: this.cwd });
    } catch (err) {
      stderr(`error: ${(err as Error).message}\n`);
      return 1;
    } finally {
      this.current = undefined;
    }
  }
}
