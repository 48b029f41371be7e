import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { kubectlApiFixture } from '../testing/kubectl-api-fixture';
import { runKubectl } from '../run-kubectl';
import { splitCommandLine } from './split-command-line';
import type { KubectlIO } from '../kubectl-io';
import { openWorkspace, workspaceKubectlIO } from '../../workspace';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

async function setup(extra: Partial<KubectlIO> = {}) {
  const f = await kubectlApiFixture();
  const ws = await openWorkspace({ name: `read-sources-${Math.random()}` });
  await ws.write('app/b.yaml', cm('b'));
  await ws.write('app/a.yml', cm('a'));
  await ws.write('app/notes.txt', 'not a manifest');
  await ws.write('app/sub/c.json', JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }));
  const run = async (line: string) => {
    let stdout = '';
    let stderr = '';
    const code = await runKubectl(splitCommandLine(line), {
      client: f.client,
      clock: f.clock,
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      ...workspaceKubectlIO(ws, () => ''),
      ...extra,
    });
    return { code, stdout, stderr };
  };
  return { run, ws };
}

describe('-f sources', () => {
  it('applies a folder in name order, skipping other extensions; -R adds sub-folders', async () => {
    const { run } = await setup();
    expect(await run('apply -f app')).toEqual({ code: 0, stdout: 'configmap/a created\nconfigmap/b created\n', stderr: '' });
    expect((await run('apply -f app/ -R')).stdout).toBe('configmap/a unchanged\nconfigmap/b unchanged\nconfigmap/c created\n');
  });

  it('reports a missing path and a folder without manifests as kubectl does', async () => {
    const { run, ws } = await setup();
    expect(await run('apply -f nope.yaml')).toEqual({ code: 1, stdout: '', stderr: 'error: the path "nope.yaml" does not exist\n' });
    await ws.write('notes/a.txt', 'x');
    expect((await run('apply -f notes -R')).stderr).toBe('error: error reading [notes]: recognized file extensions are [.json .yaml .yml]\n');
  });

  it('fetches URLs through io.fetchUrl with kubectl error texts', async () => {
    const body = cm('remote');
    const { run } = await setup({
      fetchUrl: async (url) => {
        if (url.endsWith('/ok.yaml')) return { status: 200, statusText: 'OK', body };
        if (url.endsWith('/gone.yaml')) return { status: 404, statusText: 'Not Found', body: '' };
        if (url.includes('refused')) throw new Error('dial tcp 127.0.0.1:1: connect: connection refused');
        throw new Error('dial tcp: lookup down.example: no such host');
      },
    });
    expect((await run('create -f https://x.example/ok.yaml')).stdout).toBe('configmap/remote created\n');
    expect((await run('apply -f https://x.example/gone.yaml')).stderr).toBe(
      'error: unable to read URL "https://x.example/gone.yaml", server reported 404 Not Found, status code=404\n',
    );
    expect((await run('apply -f https://down.example/a.yaml')).stderr).toBe('Unable to connect to the server: dial tcp: lookup down.example: no such host\n');
    expect((await run('apply -f https://refused.example:1/a.yaml')).stderr).toBe('The connection to the server refused.example:1 was refused - did you specify the right host or port?\n');
  });
});
