import { complete, runKubectl, splitCommandLine, type Completion } from '../kubectl';
import type { ApiClient } from '../client/api-client';
import type { Clock } from '../api/clock';
import type { AbortSignalLike } from './terminal/shell';
import type { KubectlIO } from '../kubectl/kubectl-io';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The one kubectl of the page: the terminal, the editor's Apply and window.tabernetes.kubectl all call it. */
export class KubectlRunner {
  /** `kubectl edit`'s editor (the terminal pane installs a Monaco modal); absent: edit reports no editor. */
  editor?: (text: string) => Promise<string | undefined>;
  /** Where `kubectl port-forward` listens (main.tsx installs the Service Worker's forwards); absent: port-forward fails. */
  portForward?: KubectlIO['portForward'];

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs argv with streaming output; resolves with the exit code. `stdinStream` (the terminal's live keys)
   * is what `exec -i` / `run -i` read; without it they read `stdin` then EOF.
   */
  run(
    argv: string[],
    io: {
      stdout(s: string): void;
      stderr(s: string): void;
      stdin?: string;
      signal?: AbortSignalLike;
      tty?: boolean;
      stdinStream?: KubectlIO['stdinStream'];
      /** Local files (the terminal's workspace in its current folder) for -f FILE|DIR, -k and cp. */
      files?: Pick<KubectlIO, 'readFile' | 'listDir' | 'readFileBytes' | 'writeFile' | 'mkdir'>;
    },
  ): Promise<number> {
    const edit = this.editor;
    return runKubectl(argv, {
      client: this.client,
      clock: this.clock,
      stdin: io.stdin,
      stdout: io.stdout,
      stderr: io.stderr,
      signal: io.signal,
      edit,
      tty: io.tty,
      stdinStream: io.stdinStream,
      fetchUrl,
      portForward: this.portForward,
      ...io.files,
    });
  }

  /** Tab completion for a terminal line at cursor (never rejects). */
  complete(line: string, cursor: number): Promise<Completion> {
    return complete(line, cursor, this.client);
  }

  /** Runs a command line (with or without the leading "kubectl") and collects its output. */
  async exec(commandLine: string, stdin?: string): Promise<KubectlResult> {
    let argv = splitCommandLine(commandLine);
    if (argv[0] === 'kubectl' || argv[0] === 'k') argv = argv.slice(1);
    let stdout = '';
    let stderr = '';
    const exitCode = await this.run(argv, { stdin, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { stdout, stderr, exitCode };
  }
}

/**
 * `-f https://…` from the page: a fetch (CORS applies). A failed fetch (the page cannot tell why) reads as
 * Go's DNS dial error, which kubectl prints as "Unable to connect to the server: …".
 */
async function fetchUrl(url: string): Promise<{ status: number; statusText: string; body: string }> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch {
    throw new Error(`dial tcp: lookup ${new URL(url).hostname}: no such host`);
  }
  return { status: res.status, statusText: res.statusText, body: await res.text() };
}
