// The real kubectl 1.32 binary against `npm run serve` (startServe in this process) for the streaming
// subresources over WebSocket: exec (v5.channel.k8s.io), with its exit codes, stdin and stderr, and
// port-forward (SPDY/3.1 tunneled over WebSocket, portforward.k8s.io) to an http-echo pod.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { startServe, type Serving } from '../src/node/start-serve';
import { ourKubectl, REAL_KUBECTL, realKubectl, until } from './serve-helpers';

if (!REAL_KUBECTL) console.log('serve-exec: skipped: no real kubectl binary (/usr/lib/google-cloud-sdk/bin/kubectl.1.32 or /usr/bin/kubectl)');

let serving: Serving;
let dir: string;
let kubeconfig: string;
const kubectl = (args: string[], stdin?: string) => realKubectl(kubeconfig, args, stdin !== undefined ? { stdin } : {});

/** Starts `kubectl port-forward pod/NAME :PORT` (a free local port); resolves with the local port once it forwards. */
function portForward(pod: string, port: number): Promise<{ child: ChildProcess; local: number; output: () => string }> {
  const child = spawn(REAL_KUBECTL!, ['--kubeconfig', kubeconfig, 'port-forward', '--address', '127.0.0.1', `pod/${pod}`, `:${port}`], { env: { ...process.env, KUBECONFIG: '' } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  return until(async () => {
    if (child.exitCode !== null) throw new Error(`port-forward exited: ${out}`);
    const m = /Forwarding from 127\.0\.0\.1:(\d+) -> \d+/.exec(out);
    return m ? { child, local: Number(m[1]), output: () => out } : undefined;
  }, 'port-forward to start', 20_000);
}

const exited = (child: ChildProcess) => new Promise<number | null>((r) => (child.exitCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));

const WEB_POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: echo
    image: hashicorp/http-echo:1.0
    args: ["-text=hello from web", "-listen=:5678"]
`;

const SHELL_POD = `apiVersion: v1
kind: Pod
metadata:
  name: shell
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sleep", "3600"]
`;

describe.skipIf(!REAL_KUBECTL)('real kubectl exec over WebSocket against npm run serve', () => {
  beforeAll(async () => {
    await ensureImagesBuilt();
    dir = await mkdtemp(join(tmpdir(), 'tabernetes-serve-exec-'));
    kubeconfig = join(dir, 'kubeconfig');
    serving = await startServe({ port: 0, kubeconfig });
    expect((await kubectl(['apply', '-f', '-'], SHELL_POD)).code).toBe(0);
    expect((await kubectl(['apply', '-f', '-'], WEB_POD)).code).toBe(0);
    for (const pod of ['shell', 'web']) {
      await until(async () => (await kubectl(['get', 'pod', pod, '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', `pod ${pod} Running`, 60_000);
    }
  }, 120_000);

  afterAll(async () => {
    await serving?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exec prints stdout and reports a non-zero exit as kubectl does, with its exit code', async () => {
    const r = await kubectl(['exec', 'shell', '--', 'sh', '-c', 'echo hi; exit 3']);
    expect(r.stdout).toBe('hi\n');
    expect(r.stderr).toBe('command terminated with exit code 3\n');
    expect(r.code).toBe(3);
    const ok = await kubectl(['exec', 'shell', '-c', 'main', '--', 'echo', 'a b', 'c']);
    expect(ok).toEqual({ stdout: 'a b c\n', stderr: '', code: 0 });
  }, 30_000);

  it('keeps stderr apart from stdout without a TTY', async () => {
    const r = await kubectl(['exec', 'shell', '--', 'sh', '-c', 'echo out; echo err >&2']);
    expect(r.stdout).toBe('out\n');
    expect(r.stderr).toBe('err\n');
    expect(r.code).toBe(0);
  }, 30_000);

  it('exec -i feeds stdin from a pipe and ends it with EOF', async () => {
    const r = await kubectl(['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; echo done'], 'line one\nline two\n');
    expect(r.stdout).toBe('line one\nline two\ndone\n');
    expect(r.code).toBe(0);
    const wc = await kubectl(['exec', '-i', 'shell', '--', 'wc', '-l'], 'a\nb\nc\n');
    expect(wc.stdout.trim()).toBe('3');
  }, 30_000);

  it('answers an unknown container with the API error before upgrading', async () => {
    const r = await kubectl(['exec', 'shell', '-c', 'nope', '--', 'true']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('container nope is not valid for pod shell');
  }, 30_000);

  it('port-forward carries HTTP to the pod, one tunneled stream pair per connection', async () => {
    const pf = await portForward('web', 5678);
    try {
      const started = Date.now();
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`http://127.0.0.1:${pf.local}/path-${i}`);
        expect(res.status).toBe(200);
        expect(await res.text()).toBe('hello from web\n');
      }
      console.log(`serve-exec: 5 HTTP GETs through kubectl port-forward in ${Date.now() - started} ms`);
      expect(pf.output()).toContain('Handling connection for');
    } finally {
      pf.child.kill('SIGINT');
      await exited(pf.child);
    }
  }, 40_000);

  it('port-forward to a port nothing listens on reports the dial error and drops the connection, as kubectl does', async () => {
    const pf = await portForward('web', 5679);
    const failed = await fetch(`http://127.0.0.1:${pf.local}/`).then(() => 'answered', () => 'failed');
    expect(failed).toBe('failed');
    const code = await Promise.race([exited(pf.child), new Promise<string>((r) => setTimeout(() => r('still running'), 10_000))]);
    if (code === 'still running') pf.child.kill('SIGKILL');
    expect(pf.output()).toMatch(/an error occurred forwarding \d+ -> 5679: error forwarding port 5679 to pod [-0-9a-f]+, uid : dial tcp 10\.244\.\d+\.\d+:5679: connect: connection refused/);
    expect(pf.output()).toContain('error: lost connection to pod');
    expect(code).toBe(1);
  }, 40_000);

  it('attach streams the running container\'s output from now on and ends with the container', async () => {
    const ticker = `apiVersion: v1
kind: Pod
metadata:
  name: ticker
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "sleep 2; echo first; sleep 1; echo second; exit 0"]
`;
    expect((await kubectl(['apply', '-f', '-'], ticker)).code).toBe(0);
    await until(async () => (await kubectl(['get', 'pod', 'ticker', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', 'pod ticker Running', 30_000);
    const r = await realKubectl(kubeconfig, ['attach', 'ticker'], { timeoutMs: 20_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^(first\n)?second\n$/);
    const done = await kubectl(['attach', 'ticker']);
    expect(done.stderr).toContain('cannot attach a container in a completed pod; current phase is Succeeded');
  }, 40_000);

  it('our kubectl over HTTP execs through the same WebSocket protocol (npm run kubectl)', async () => {
    const ours = (args: string[], stdin?: string) => ourKubectl(serving.url, args, stdin, { webSocket: true });
    const real = await kubectl(['exec', 'shell', '--', 'sh', '-c', 'echo hi; echo oops >&2; exit 3']);
    const mine = await ours(['exec', 'shell', '--', 'sh', '-c', 'echo hi; echo oops >&2; exit 3']);
    expect(mine).toEqual({ stdout: real.stdout, stderr: real.stderr, code: real.code });
    expect(await ours(['exec', '-i', 'shell', '--', 'cat'], 'piped\n')).toEqual({ stdout: 'piped\n', stderr: '', code: 0 });
    const bad = await ours(['exec', 'shell', '-c', 'nope', '--', 'true']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('container nope is not valid for pod shell');
  }, 40_000);
});
