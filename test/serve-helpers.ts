// Helpers for the tests against `npm run serve`: find and run the real kubectl, run ours over HTTP, compare.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ApiClient } from '../src/client/api-client';
import { captureKubectl } from '../src/kubectl/testing/capture-kubectl';
import { systemClock } from '../src/platform';
import { createHttpTransport } from '../src/node/http-transport';
import { withWebSocketExec } from '../src/node/ws-exec-client';
import type { Serving } from '../src/node/start-serve';

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

/**
 * Runs our kubectl (runKubectl) over the HTTP transport against server, in this process; token is sent as a bearer
 * token; webSocket adds exec/attach over WebSocket (withWebSocketExec), as `npm run kubectl` runs it.
 */
export async function ourKubectl(server: string, args: string[], stdin?: string, opts: { token?: string; webSocket?: boolean } = {}): Promise<Run> {
  const http = createHttpTransport({ server, token: opts.token });
  const transport = opts.webSocket ? withWebSocketExec(http, { server, token: opts.token }) : http;
  try {
    return await captureKubectl(args, { client: new ApiClient(transport, 'kubectl/v1.32.5 (tabernetes)'), clock: systemClock(), stdin, namespace: 'default' });
  } finally {
    http.close();
  }
}

/** A table with its cells split (kubectl pads columns with at least 3 spaces) and every AGE, LAST SEEN and FIRST SEEN cell blanked. */
export function normaliseAge(table: string): string[][] {
  const rows = table.split('\n').map((l) => l.split(/ {3,}/));
  const ages = new Set((rows[0] ?? []).flatMap((h, i) => (['AGE', 'LAST SEEN', 'FIRST SEEN'].includes(h.trim()) ? [i] : [])));
  return rows.map((r) => r.map((c, i) => (ages.has(i) ? '*' : c)));
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

/**
 * `npm run serve` for one describe: start() (use as beforeAll, 120 s) boots startServe on a free port with its
 * kubeconfig in a fresh temp dir named prefix*, building the images first when images is set, then sends
 * apply / create (YAML) with our kubectl and rejects if that printed anything on stderr; stop() (afterAll)
 * stops it and removes the dir, and is safe when start() failed. serving/url/kubeconfig throw before start().
 */
export class ServeFixture {
  private current?: Serving;
  private dir?: string;
  private file?: string;

  constructor(
    private readonly prefix: string,
    private readonly opts: { images?: boolean; apply?: string; create?: string } = {},
  ) {}

  get serving(): Serving {
    if (!this.current) throw new Error(`${this.prefix}: npm run serve is not started`);
    return this.current;
  }
  get url(): string {
    return this.serving.url;
  }
  get kubeconfig(): string {
    if (!this.file) throw new Error(`${this.prefix}: npm run serve is not started`);
    return this.file;
  }

  async start(): Promise<void> {
    // Imported here so that files using only the helpers above do not load the cluster (or fake-indexeddb).
    const [{ startServe }, { ensureImagesBuilt }] = await Promise.all([import('../src/node/start-serve'), import('../src/node/ensure-images-built')]);
    if (this.opts.images) await ensureImagesBuilt();
    this.dir = await mkdtemp(join(tmpdir(), this.prefix));
    this.file = join(this.dir, 'kubeconfig');
    this.current = await startServe({ port: 0, kubeconfig: this.file });
    for (const verb of ['apply', 'create'] as const) {
      const yaml = this.opts[verb];
      if (yaml === undefined) continue;
      const r = await this.ours([verb, '-f', '-'], yaml);
      if (r.stderr) throw new Error(`${this.prefix}: kubectl ${verb}: ${r.stderr}`);
    }
  }

  async stop(): Promise<void> {
    await this.current?.stop();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  /** The real kubectl with this server's kubeconfig. */
  real(args: string[], opts: { timeoutMs?: number; stdin?: string } = {}): Promise<Run> {
    return realKubectl(this.kubeconfig, args, opts);
  }

  /** Our kubectl over HTTP against this server. */
  ours(args: string[], stdin?: string, opts: { token?: string; webSocket?: boolean } = {}): Promise<Run> {
    return ourKubectl(this.url, args, stdin, opts);
  }
}

/**
 * One test per args (named after them): our kubectl and the real one against serve must print the same stderr
 * and exit with the same code, and the same stdout byte for byte or, when a run raced a clock tick every
 * time, the same after normalise (default normaliseAge).
 */
export function itMatchesReal(serve: ServeFixture, cases: string[][], normalise: (stdout: string) => unknown = normaliseAge, timeoutMs = 30_000): void {
  for (const args of cases) {
    it(args.join(' '), async () => {
      const { real, ours, identical } = await compareWithReal(serve.kubeconfig, serve.url, args);
      expect(ours.stderr).toBe(real.stderr);
      expect(ours.code).toBe(real.code);
      if (!identical) expect(normalise(ours.stdout)).toEqual(normalise(real.stdout));
    }, timeoutMs);
  }
}

/**
 * One test per args (named after them), for a serve holding the same objects in namespaces real and ours (see
 * twinNamespaces): the real kubectl in -n real and ours in -n ours must print the same stdout and stderr and
 * exit alike; "NS" in an argument stands for that namespace.
 */
export function itMatchesRealPerNamespace(serve: ServeFixture, cases: string[][], timeoutMs = 30_000): void {
  for (const args of cases) {
    it(args.join(' '), async () => {
      const real = await serve.real([...args.map((a) => a.replace('NS', 'real')), '-n', 'real']);
      const ours = await serve.ours([...args.map((a) => a.replace('NS', 'ours')), '-n', 'ours']);
      expect(ours).toEqual(real);
    }, timeoutMs);
  }
}

/** objects(ns) for ns = real and ns = ours, as one YAML stream (ServeFixture's apply). */
export const twinNamespaces = (objects: (ns: string) => string): string => `${objects('real')}---\n${objects('ours')}`;
