// The command lines themselves: `npm run serve` (src/node/serve.ts) as a child process — ready line,
// kubeconfig, clean SIGTERM — and `npm run kubectl` (src/node/kubectl-cli.ts) against it, exit codes included.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImagesBuilt } from '../src/node/ensure-images-built';
import { repoRoot } from '../src/node/wasi-toolchain.mjs';

const tsx = (script: string, args: string[]) => [process.execPath, ['--import', 'tsx', join(repoRoot, script), ...args]] as const;

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  const [cmd, argv] = tsx(script, args);
  return new Promise((resolve) => {
    execFile(cmd, argv, { cwd: repoRoot, env: { ...process.env, KUBECONFIG: '', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ stdout, stderr, code: err ? Number((err as { code?: number }).code ?? -1) : 0 });
    });
  });
}

let dir: string;
let kubeconfig: string;
let serve: ChildProcess;
let out = '';
let readyLine = '';

describe('npm run serve and npm run kubectl', () => {
  beforeAll(async () => {
    await ensureImagesBuilt();
    dir = await mkdtemp(join(tmpdir(), 'tabernetes-cli-'));
    kubeconfig = join(dir, 'config');
    const [cmd, argv] = tsx('src/node/serve.ts', ['--port', '0', '--kubeconfig', kubeconfig]);
    serve = spawn(cmd, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    serve.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    serve.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const end = Date.now() + 60_000;
    while (!/ready/.test(out)) {
      if (Date.now() > end || serve.exitCode !== null) throw new Error(`serve did not become ready:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    readyLine = out.split('\n').find((l) => /ready/.test(l))!;
  }, 90_000);

  afterAll(async () => {
    if (serve && serve.exitCode === null) serve.kill('SIGKILL');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints the ready line with the URL and writes the kubeconfig for it', async () => {
    expect(readyLine).toMatch(new RegExp(`^tabernetes: API server ready at http://127\\.0\\.0\\.1:\\d+ \\(kubeconfig: ${kubeconfig.replace(/[.]/g, '\\.')}\\) in \\d+ ms$`));
    const url = readyLine.match(/http:\/\/127\.0\.0\.1:\d+/)![0];
    const kc = await readFile(kubeconfig, 'utf8');
    expect(kc).toContain(`server: ${url}`);
    expect(kc).toContain('current-context: kubernetes-admin@tabernetes');
    expect(kc).toContain('namespace: default');
    expect(await (await fetch(`${url}/readyz`)).text()).toBe('ok');
  });

  it('npm run kubectl honours --kubeconfig and KUBECONFIG and propagates exit codes', async () => {
    const nodes = await run('src/node/kubectl-cli.ts', ['--kubeconfig', kubeconfig, 'get', 'nodes']);
    expect(nodes.code).toBe(0);
    expect(nodes.stdout).toMatch(/^NAME +STATUS +ROLES +AGE +VERSION\ntabernetes-control-plane +Ready +control-plane +\d+s +v1\.32\.0\n/);
    const viaEnv = await run('src/node/kubectl-cli.ts', ['get', 'ns', '-o', 'name'], { KUBECONFIG: kubeconfig });
    expect(viaEnv).toMatchObject({ code: 0, stdout: 'namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n' });
    const missing = await run('src/node/kubectl-cli.ts', ['--kubeconfig', kubeconfig, 'get', 'pod', 'nope']);
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    const noFile = await run('src/node/kubectl-cli.ts', ['--kubeconfig', join(dir, 'absent'), 'get', 'pods']);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toBe(`error: stat ${join(dir, 'absent')}: no such file or directory\n`);
  }, 60_000);

  it('stops cleanly on SIGTERM (exit 0), after which the port refuses connections', async () => {
    const url = readyLine.match(/http:\/\/127\.0\.0\.1:\d+/)![0];
    const exited = new Promise<number | null>((r) => serve.once('exit', (code) => r(code)));
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(out).toContain('tabernetes: SIGTERM, stopping\n');
    await expect(fetch(`${url}/readyz`)).rejects.toThrow();
    const refused = await run('src/node/kubectl-cli.ts', ['--kubeconfig', kubeconfig, 'get', 'pods']);
    expect(refused).toMatchObject({ code: 1, stderr: `The connection to the server ${url.slice('http://'.length)} was refused - did you specify the right host or port?\n` });
  }, 30_000);
});
