// `npm run kubectl -- <args>`: our kubectl (src/kubectl) against any Kubernetes API from a kubeconfig
// (--kubeconfig, else $KUBECONFIG, else ~/.kube/config; --context, --server/-s). Exits with kubectl's code.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ApiHandler } from '../api/protocol';
import { ApiClient } from '../client/api-client';
import { runKubectl } from '../kubectl';
import { RawError } from '../kubectl/cli/errors';
import { systemClock } from '../platform';
import { createHttpTransport } from './http-transport';
import { KubeconfigError, resolveContext } from './kubeconfig';
import { withWebSocketExec } from './ws-exec-client';
import { withWebSocketPortForward } from './ws-portforward-channel';
import { tcpPortForwardHost } from './tcp-port-forward-host';
import { apiProxyHost } from './api-proxy-host';

/** The value of a global string flag in argv (`--name V`, `--name=V`, or `-s V` for short), or undefined. */
export function flagValue(argv: string[], name: string, short?: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') break;
    if (a === `--${name}` || (short && a === `-${short}`)) return argv[i + 1];
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    if (short && a.startsWith(`-${short}=`)) return a.slice(short.length + 2);
  }
  return undefined;
}

/** Connection failures as kubectl words them (no "error: " prefix). */
function connectionError(server: string, err: unknown): Error {
  const code = (err as { cause?: { code?: string } })?.cause?.code;
  const host = server.replace(/^https?:\/\//, '');
  if (code === 'ECONNREFUSED') return new RawError(`The connection to the server ${host} was refused - did you specify the right host or port?`);
  return new RawError(`Unable to connect to the server: ${(err as { cause?: Error })?.cause?.message ?? (err as Error)?.message ?? String(err)}`);
}

/** Wraps a transport so a failed connection rejects with kubectl's message. */
function withConnectionErrors(t: ApiHandler, server: string): ApiHandler {
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a);
      } catch (err) {
        throw connectionError(server, err);
      }
    };
  return { request: wrap(t.request), stream: wrap(t.stream), read: wrap(t.read), cancel: wrap(t.cancel), ...(t.write ? { write: wrap(t.write) } : {}) };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** Relative paths are the user's: npm runs scripts in the package root and passes the caller's directory as INIT_CWD. */
const userPath = (p: string) => resolve(process.env.INIT_CWD ?? process.cwd(), p);

/** Runs one kubectl command line against the kubeconfig's server; resolves with the exit code. */
export async function kubectlMain(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  let ctx;
  try {
    const kubeconfig = flagValue(argv, 'kubeconfig');
    ctx = await resolveContext({ kubeconfig: kubeconfig && userPath(kubeconfig), context: flagValue(argv, 'context'), server: flagValue(argv, 'server', 's') });
  } catch (e) {
    if (!(e instanceof KubeconfigError)) throw e;
    err.write(`${e.message}\n`);
    return 1;
  }
  const transport = createHttpTransport({ server: ctx.server, token: ctx.token });
  const signal: { aborted: boolean; onabort?: () => void } = { aborted: false };
  const onInt = () => {
    signal.aborted = true;
    signal.onabort?.();
  };
  process.once('SIGINT', onInt);
  // -f - reads stdin; so does -i of exec/attach/run/debug when stdin is not a terminal (all of it, then EOF).
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const interactive = own.some((a) => ['exec', 'attach', 'run', 'debug'].includes(a)) && own.some((a) => /^-[a-zA-Z]*i[a-zA-Z]*$/.test(a) || a === '--stdin' || a === '--stdin=true');
  const readsStdin =
    argv.some((a, i) => (a === '-' && /^(-f|--filename)$/.test(argv[i - 1] ?? '')) || a === '--filename=-' || a === '-f=-') || (interactive && !process.stdin.isTTY);
  try {
    return await runKubectl(argv, {
      client: new ApiClient(withConnectionErrors(withWebSocketPortForward(withWebSocketExec(transport, { server: ctx.server, token: ctx.token }), { server: ctx.server, token: ctx.token }), ctx.server), 'kubectl/v1.32.5 (tabernetes)'),
      portForward: tcpPortForwardHost,
      apiProxy: apiProxyHost({ server: ctx.server, token: ctx.token }),
      clock: systemClock(),
      stdin: readsStdin ? await readStdin() : undefined,
      stdout: (t) => out.write(t),
      stderr: (t) => err.write(t),
      namespace: ctx.namespace,
      readFile: (name) => {
        try {
          return readFileSync(userPath(name), 'utf8');
        } catch {
          return undefined;
        }
      },
      ...nodeLocalFiles(),
      signal,
    });
  } finally {
    process.off('SIGINT', onInt);
    transport.close();
  }
}

/** kubectl's local folders and bytes (-f DIR, cp) on the real filesystem, relative to the user's cwd. */
function nodeLocalFiles() {
  // Go's syscall error texts, which kubectl cp prints after "open PATH: ".
  const texts: Record<string, string> = { ENOTDIR: 'not a directory', EISDIR: 'is a directory', ENOENT: 'no such file or directory', EACCES: 'permission denied', EEXIST: 'file exists' };
  const reason = (e: unknown) => new Error(texts[(e as NodeJS.ErrnoException).code ?? ''] ?? (e as Error).message);
  return {
    listDir: (name: string) => {
      try {
        return readdirSync(userPath(name), { withFileTypes: true }).map((d) => ({ name: d.name, dir: d.isDirectory() }));
      } catch {
        return undefined;
      }
    },
    readFileBytes: (name: string) => {
      try {
        return new Uint8Array(readFileSync(userPath(name)));
      } catch {
        return undefined;
      }
    },
    writeFile: (name: string, data: Uint8Array) => {
      try {
        mkdirSync(dirname(userPath(name)), { recursive: true });
        writeFileSync(userPath(name), data);
      } catch (e) {
        throw reason(e);
      }
    },
    fetchUrl: async (url: string) => {
      try {
        const res = await fetch(url);
        return { status: res.status, statusText: res.statusText, body: await res.text() };
      } catch (e) {
        // Go's dial error texts, which kubectl's -f URL errors quote.
        const cause = (e as { cause?: NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string } }).cause;
        if (cause?.code === 'ECONNREFUSED') throw new Error(`dial tcp ${cause.address}:${cause.port}: connect: connection refused`);
        if (cause?.code === 'ENOTFOUND') throw new Error(`dial tcp: lookup ${cause.hostname}: no such host`);
        throw new Error(cause?.message ?? (e as Error).message);
      }
    },
    mkdir: (name: string) => {
      try {
        mkdirSync(userPath(name), { recursive: true });
      } catch (e) {
        throw reason(e);
      }
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('kubectl-cli.ts')) {
  kubectlMain(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
