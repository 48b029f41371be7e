import type { Workspace } from '../../workspace';
import { resolveWorkspacePath } from '../../workspace';
import { BUILTINS } from './shell-builtins';
import { expand, maskSubstitutions, splitList, type ListItem } from './shell-expand';
import { parsePipeline, type Stage } from './shell-parse';
import { TEXT_BUILTINS } from './shell-text-builtins';

/**
 * The terminal's small shell: `kubectl` (alias `k`), file built-ins over the in-tab workspace (ls, cat, rm,
 * mkdir, touch, pwd, cd, echo), pipes (`cat x | kubectl apply -f -`), redirections (`> f`, `>> f`, `< f`,
 * `2>&1`, `2>/dev/null`) and here-documents (`cat <<EOF > f` … `EOF`, pasted from tutorials), `&&` / `||` / `;`
 * lists, variables (`export N=v`, `N=v`, `$N`, `${N}`, `$?`), `$(…)` command substitution, grep/head/tail/wc and
 * `watch [-n S] cmd` (reruns every S seconds, default 2, until interrupt()). Pure logic; the pane wires it to
 * xterm. run() never rejects: failures are printed as a shell would. A stage's stdout is buffered for the next
 * stage; only the last stage streams to the terminal (or to the capturing `$(…)`).
 */
export interface ShellDeps {
  kubectl(argv: string[], io: { stdout(s: string): void; stderr(s: string): void; signal: AbortSignalLike; stdin?: string; cwd: string }): Promise<number>;
  splitCommandLine(line: string): string[];
  write(text: string): void;
  clear(): void;
  /** The workspace the file built-ins use; absent: they report it unavailable. */
  workspace?: Workspace;
  /** Waits ms or until the signal aborts (watch's interval); defaults to setTimeout. */
  sleep?(ms: number, signal: AbortSignalLike): Promise<void>;
}

export interface AbortSignalLike {
  aborted: boolean;
  onabort?: () => void;
}

const HELP = `Tabernetes shell. Commands:
  kubectl <args>   the Kubernetes command line (alias: k)
  ls, cat, rm [-r], mkdir [-p], touch, cd, pwd, echo
                   files in this tab's workspace (the editor's file list); / is its root
  grep, head, tail, wc   text filters for pipes
  a | b, > f, >> f, < f, cmd <<EOF   pipes, redirections, here-documents
  a && b, a || b, a; b   lists
  export N=v, N=v, $N, \${N}, $?, $(cmd)   variables and command substitution (unset N, env)
  watch [-n S] cmd  rerun cmd every S seconds (default 2) until Ctrl-C
  clear            clear the screen (Ctrl-L)
  help             this text
Keys: Up/Down history, Ctrl-A/E start/end, Ctrl-U/K/W cut, Ctrl-C interrupt.
`;

export class Shell {
  lastExitCode = 0;
  /** The current folder, a workspace path ('' is the root). */
  cwd = '';
  /** Shell variables (`export` makes no difference: there are no child processes). */
  readonly vars = new Map<string, string>();
  private readonly active = new Set<AbortSignalLike>();
  private heredoc?: { items: ListItem[]; delimiter: string; stripTabs: boolean; lines: string[] };
  /** Exit code of the last `$(…)` in the current command: an assignment's own exit code. */
  private substitutionCode?: number;

  constructor(private readonly deps: ShellDeps) {}

  /** Interrupts the running command, if any (Ctrl-C), or abandons a here-document being typed. */
  interrupt(): void {
    this.heredoc = undefined;
    for (const c of [...this.active]) {
      if (c.aborted) continue;
      c.aborted = true;
      c.onabort?.();
    }
  }

  get busy(): boolean {
    return this.active.size > 0;
  }

  /** A here-document is being read: the next lines are its body (the pane prompts with "> "). */
  get continuation(): boolean {
    return !!this.heredoc;
  }

  async run(line: string): Promise<number> {
    const hd = this.heredoc;
    if (hd) {
      const body = hd.stripTabs ? line.replace(/^\t+/, '') : line;
      if (body !== hd.delimiter) {
        hd.lines.push(body);
        return this.lastExitCode;
      }
      this.heredoc = undefined;
      return this.runList(hd.items, hd.lines.map((l) => l + '\n').join(''), (t) => this.deps.write(t));
    }
    let items: ListItem[];
    let doc: Stage['heredoc'];
    try {
      items = splitList(line);
      // Syntax-check every item before running any, as bash does; substitutions are checked when they run.
      for (const item of items) doc ??= parsePipeline(maskSubstitutions(item.text), this.deps.splitCommandLine).find((s) => s.heredoc)?.heredoc;
    } catch (err) {
      this.deps.write(`tsh: ${(err as Error).message}\n`);
      return (this.lastExitCode = 2);
    }
    if (doc) {
      this.heredoc = { items, ...doc, lines: [] };
      return this.lastExitCode;
    }
    return this.runList(items, undefined, (t) => this.deps.write(t));
  }

  /** Runs a list; `&&` / `||` items are skipped by the previous exit code, and skipped ones keep `$?`. */
  private async runList(items: ListItem[], heredocText: string | undefined, write: (s: string) => void): Promise<number> {
    for (const item of items) {
      if ((item.op === '&&' && this.lastExitCode !== 0) || (item.op === '||' && this.lastExitCode === 0)) continue;
      this.lastExitCode = await this.runItem(item.text, heredocText, write);
    }
    return this.lastExitCode;
  }

  private async runItem(text: string, heredocText: string | undefined, write: (s: string) => void): Promise<number> {
    // `source <(kubectl completion SHELL)` from kubectl's docs: this terminal's Tab completion is built in.
    if (/^\s*(?:source|\.)\s+<\(\s*(?:kubectl|k)\s+completion\s+[\w-]+\s*\)\s*$/.test(text)) return 0;
    let stages: Stage[];
    this.substitutionCode = undefined;
    try {
      const expanded = await expand(text, {
        lookup: (name) => (name === '?' ? String(this.lastExitCode) : this.vars.get(name)),
        substitute: (inner) => this.capture(inner),
      });
      stages = parsePipeline(expanded, this.deps.splitCommandLine);
    } catch (err) {
      this.deps.write(`tsh: ${(err as Error).message}\n`);
      return 2;
    }
    if (stages.length === 1 && !stages[0].argv.length && !stages[0].output) return this.lastExitCode;
    return this.execute(stages, heredocText, write);
  }

  /** `$(line)`: its stdout; stderr still reaches the terminal. */
  private async capture(line: string): Promise<string> {
    let out = '';
    const saved = this.lastExitCode;
    const code = await this.runList(splitList(line), undefined, (t) => (out += t));
    this.lastExitCode = saved;
    this.substitutionCode = code;
    return out;
  }

  private async execute(stages: Stage[], heredocText: string | undefined, write: (s: string) => void): Promise<number> {
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
      const out = toTerminal ? write : (t: string) => (buffer += t);
      const err = s.discardStderr ? () => undefined : s.stderrToStdout ? out : (t: string) => this.deps.write(t);
      code = await this.command(s.argv, stdin, out, err, stages.length === 1);
      piped = buffer;
      if (s.output) {
        code = (await this.redirect(s.output, buffer)) ?? code;
        piped = '';
      }
    }
    return code;
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

  /** `alone`: the only stage of its pipeline, so assignments and `export` change this shell's variables. */
  private async command(argv: string[], stdin: string | undefined, out: (s: string) => void, err: (s: string) => void, alone = false): Promise<number> {
    let first = 0;
    while (first < argv.length && ASSIGNMENT.test(argv[first])) first++;
    if (first === argv.length) {
      if (alone) for (const a of argv) this.assign(a);
      return this.substitutionCode ?? 0;
    }
    // `N=v cmd`: the assignment only reaches cmd's environment, which our commands do not read.
    const [cmd, ...rest] = argv.slice(first);
    if (cmd === 'kubectl' || cmd === 'k') return this.kubectl(rest, stdin, out, err);
    if (cmd === 'clear') return this.deps.clear(), 0;
    if (cmd === 'help') return out(HELP), 0;
    if (cmd === 'watch') return this.watch(rest, err);
    if (cmd === 'export' || cmd === 'unset' || cmd === 'env') return this.variables(cmd, rest, out, err, alone);
    const builtin = BUILTINS[cmd] ?? TEXT_BUILTINS[cmd];
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

  private assign(word: string): void {
    const eq = word.indexOf('=');
    this.vars.set(word.slice(0, eq), word.slice(eq + 1));
  }

  private variables(cmd: 'export' | 'unset' | 'env', args: string[], out: (s: string) => void, err: (s: string) => void, alone: boolean): number {
    if (cmd === 'env' || (cmd === 'export' && (!args.length || args[0] === '-p'))) {
      const sorted = [...this.vars].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [k, v] of sorted) out(cmd === 'env' ? `${k}=${v}\n` : `declare -x ${k}="${v.replace(/[\\"$`]/g, '\\$&')}"\n`);
      return 0;
    }
    let code = 0;
    for (const a of args) {
      const name = a.includes('=') && cmd === 'export' ? a.slice(0, a.indexOf('=')) : a;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        err(`tsh: ${cmd}: \`${a}': not a valid identifier\n`);
        code = 1;
      } else if (!alone) continue;
      else if (cmd === 'unset') this.vars.delete(name);
      else if (a.includes('=')) this.assign(a);
      else if (!this.vars.has(name)) this.vars.set(name, '');
    }
    return code || (this.substitutionCode ?? 0);
  }

  /** Reruns argv every interval, clearing the screen, until interrupted; exits 0 like watch on Ctrl-C. */
  private async watch(args: string[], err: (s: string) => void): Promise<number> {
    let seconds = 2;
    if (args[0] === '-n' || args[0]?.startsWith('--interval=')) {
      seconds = Number(args[0] === '-n' ? args[1] : args[0].slice(11));
      args = args.slice(args[0] === '-n' ? 2 : 1);
      if (!(seconds > 0)) return err(`watch: failed to parse argument: '${seconds}'\n`), 1;
    }
    if (!args.length) return err('Usage:\n watch [options] command\n'), 1;
    const signal: AbortSignalLike = { aborted: false };
    this.active.add(signal);
    const sleep = this.deps.sleep ?? defaultSleep;
    try {
      while (!signal.aborted) {
        let screen = '';
        await this.command(args, undefined, (t) => (screen += t), (t) => (screen += t));
        if (signal.aborted) break;
        this.deps.clear();
        this.deps.write(`Every ${seconds.toFixed(1)}s: ${args.join(' ')}\n\n${screen}`);
        await sleep(seconds * 1000, signal);
      }
      return 0;
    } finally {
      this.active.delete(signal);
    }
  }

  private async kubectl(argv: string[], stdin: string | undefined, stdout: (s: string) => void, stderr: (s: string) => void): Promise<number> {
    const signal: AbortSignalLike = { aborted: false };
    this.active.add(signal);
    try {
      return await this.deps.kubectl(argv, { stdout, stderr, signal, stdin, cwd: this.cwd });
    } catch (err) {
      stderr(`error: ${(err as Error).message}\n`);
      return 1;
    } finally {
      this.active.delete(signal);
    }
  }
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Resolves after ms, or as soon as the signal aborts; the timer is cleared either way. */
function defaultSleep(ms: number, signal: AbortSignalLike): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.onabort = undefined;
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.onabort = done;
  });
}
