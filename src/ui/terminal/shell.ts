/**
 * The terminal's tiny shell: runs `kubectl` (alias `k`) and a few built-ins. Pure logic; the pane
 * wires it to xterm. run() never rejects: failures are printed as a shell would.
 */
export interface ShellDeps {
  kubectl(argv: string[], io: { stdout(s: string): void; stderr(s: string): void; signal: AbortSignalLike }): Promise<number>;
  splitCommandLine(line: string): string[];
  write(text: string): void;
  clear(): void;
}

export interface AbortSignalLike {
  aborted: boolean;
  onabort?: () => void;
}

const HELP = `Tabernetes shell. Commands:
  kubectl <args>   the Kubernetes command line (alias: k)
  clear            clear the screen (Ctrl-L)
  help             this text
Keys: Up/Down history, Ctrl-A/E start/end, Ctrl-U/K/W cut, Ctrl-C interrupt.
`;

export class Shell {
  lastExitCode = 0;
  private current?: AbortSignalLike;

  constructor(private readonly deps: ShellDeps) {}

  /** Interrupts the running command, if any (Ctrl-C). */
  interrupt(): void {
    const c = this.current;
    if (c && !c.aborted) {
      c.aborted = true;
      c.onabort?.();
    }
  }

  get busy(): boolean {
    return !!this.current;
  }

  async run(line: string): Promise<number> {
    let argv: string[];
    try {
      argv = this.deps.splitCommandLine(line);
    } catch (err) {
      this.deps.write(`tsh: ${(err as Error).message}\n`);
      return (this.lastExitCode = 2);
    }
    if (!argv.length) return this.lastExitCode;
    const [cmd, ...rest] = argv;
    switch (cmd) {
      case 'kubectl':
      case 'k':
        return (this.lastExitCode = await this.kubectl(rest));
      case 'clear':
        this.deps.clear();
        return (this.lastExitCode = 0);
      case 'help':
        this.deps.write(HELP);
        return (this.lastExitCode = 0);
      case 'echo':
        this.deps.write(rest.join(' ').replace(/\$\?/g, String(this.lastExitCode)) + '\n');
        return (this.lastExitCode = 0);
      default:
        this.deps.write(`tsh: command not found: ${cmd}\n`);
        return (this.lastExitCode = 127);
    }
  }

  private async kubectl(argv: string[]): Promise<number> {
    const signal: AbortSignalLike = { aborted: false };
    this.current = signal;
    try {
      return await this.deps.kubectl(argv, { stdout: (s) => this.deps.write(s), stderr: (s) => this.deps.write(s), signal });
    } catch (err) {
      this.deps.write(`error: ${(err as Error).message}\n`);
      return 1;
    } finally {
      this.current = undefined;
    }
  }
}
