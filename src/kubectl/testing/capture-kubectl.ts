import type { KubectlIO } from '../kubectl-io';
import { runKubectl } from '../run-kubectl';
import { splitCommandLine } from '../cli/split-command-line';

/** What one kubectl run printed, and its exit code. */
export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * For tests: runs kubectl on args (argv, or a command line split as a shell would) with io (client, clock,
 * stdin, …), collecting what it writes to stdout and stderr.
 */
export async function captureKubectl(args: string | string[], io: Omit<KubectlIO, 'stdout' | 'stderr'>): Promise<KubectlRun> {
  let stdout = '';
  let stderr = '';
  const argv = typeof args === 'string' ? splitCommandLine(args) : args;
  const code = await runKubectl(argv, { ...io, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}
