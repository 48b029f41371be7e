// The real kubectl 1.32 binary against `npm run serve` (startServe in this process) for the streaming
// subresources over WebSocket: exec (v5.channel.k8s.io), with its exit codes, stdin and stderr.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { startServe, type Serving } from '../src/node/start-serve';
import { REAL_KUBECTL, realKubectl, until } from './serve-helpers';

if (!REAL_KUBECTL) console.log('serve-exec: skipped: no real kubectl binary (/usr/lib/google-cloud-sdk/bin/kubectl.1.32 or /usr/bin/kubectl)');

let serving: Serving;
let dir: string;
let kubeconfig: string;
const kubectl = (args: string[], stdin?: string) => realKubectl(kubeconfig, args, stdin !== undefined ? { stdin } : {});

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
    await until(async () => (await kubectl(['get', 'pod', 'shell', '-o', 'jsonpath={.status.phase}'])).stdout === 'Running', 'pod shell Running', 60_000);
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
});
