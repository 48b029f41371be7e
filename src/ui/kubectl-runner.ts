import { runKubectl, splitCommandLine } from '../kubectl';
import type { ApiClient } from '../client/api-client';
import type { Clock } from '../api/clock';
import type { AbortSignalLike } from './terminal/shell';

export interface KubectlResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The one kubectl of the page: the terminal, the editor's Apply and window.tabernetes.kubectl all call it. */
export class KubectlRunner {
  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
  ) {}

  /** Runs argv with streaming output; resolves with the exit code. */
  run(argv: string[], io: { stdout(s: string): void; stderr(s: string): void; stdin?: string; signal?: AbortSignalLike }): Promise<number> {
    return runKubectl(argv, { client: this.client, clock: this.clock, stdin: io.stdin, stdout: io.stdout, stderr: io.stderr, signal: io.signal });
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
