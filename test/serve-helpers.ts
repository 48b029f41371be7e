// Helpers for the tests against `npm run serve`: find and run the real kubectl, run ours over HTTP, compare.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ApiClient } from '../src/client/api-client';
import { runKubectl } from '../src/kubectl';
import { systemClock } from '../src/platform';
import { createHttpTransport } from '../src/node/http-transport';

/** The real kubectl 1.32 (the gcloud SDK's versioned binary, else /usr/bin/kubectl), or undefined. */
export const REAL_KUBECTL = ['/usr/lib/google-cloud-sdk/bin/kubectl.1.32', '/usr/bin/kubectl'].find((p) => existsSync(p));

export interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

/** Runs the real kubectl with --kubeconfig; never rejects for a non-zero exit. */
export function realKubectl(kubeconfig: string, args: string[], opts: { timeoutMs?: number; stdin?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(REAL_KUBECTL!, ['--kubeconfig', kubeconfig, ...args], { timeout: opts.timeoutMs ?? 20_000, env: { ...process.env, KUBECONFIG: '' } }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      if (err && code === -1 && !(err as { killed?: boolean }).killed) return reject(err);
      resolve({ stdout, stderr, code });
    });
    if (opts.stdin !== undefined) child.stdin?.end(opts.stdin);
  });
}

/** Runs our kubectl (runKubectl) over the HTTP transport against server, in this process. */
export async function ourKubectl(server: string, args: string[], stdin?: string): Promise<Run> {
  const transport = createHttpTransport({ server });
  let stdout = '';
  let stderr = '';
  try {
    const code = await runKubectl(args, {
      client: new ApiClient(transport, 'kubectl/v1.32.5 (tabernetes)'),
      clock: systemClock(),
      stdin,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      namespace: 'default',
    });
    return { stdout, stderr, code };
  } finally {
    transport.close();
  }
}

/** A table with its cells split (kubectl pads columns with at least 3 spaces) and every AGE cell blanked. */
export function normaliseAge(table: string): string[][] {
  const rows = table.split('\n').map((l) => l.split(/ {3,}/));
  const at = rows[0]?.indexOf('AGE') ?? -1;
  return rows.map((r) => (at >= 0 && r.length > at ? r.map((c, i) => (i === at ? '*' : c)) : r));
}

/**
 * Runs the real and our kubectl with args (up to 3 times) until their stdout is byte-identical; if an AGE
 * changed second between two runs every time, returns the last pair so the caller compares normaliseAge.
 */
export async function compareWithReal(kubeconfig: string, server: string, args: string[]): Promise<{ real: Run; ours: Run; identical: boolean }> {
  let real!: Run;
  let ours!: Run;
  for (let i = 0; i < 3; i++) {
    [real, ours] = await Promise.all([realKubectl(kubeconfig, args), ourKubectl(server, args)]);
    if (real.stdout === ours.stdout) return { real, ours, identical: true };
  }
  return { real, ours, identical: false };
}

/** Polls cond (real time) until it holds. */
export async function until<T>(cond: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
