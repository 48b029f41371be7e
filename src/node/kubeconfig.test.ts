import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { KubeconfigError, resolveContext, serveKubeconfig } from './kubeconfig';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function files(entries: Record<string, string>): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'tabernetes-kc-'));
  dirs.push(dir);
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(entries)) await writeFile((out[name] = join(dir, name)), text);
  return out;
}

const other = `apiVersion: v1
kind: Config
clusters: [{name: prod, cluster: {server: "https://prod:6443/"}}, {name: tabernetes, cluster: {server: "http://shadowed:1"}}]
contexts: [{name: prod, context: {cluster: prod, user: ops, namespace: web}}]
users: [{name: ops, user: {token: s3cret}}]
current-context: prod
`;

describe('kubeconfig', () => {
  it('serveKubeconfig is kubeadm-shaped: cluster tabernetes, user kubernetes-admin, context kubernetes-admin@tabernetes', () => {
    expect(parse(serveKubeconfig('http://127.0.0.1:6443'))).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'tabernetes', cluster: { server: 'http://127.0.0.1:6443', 'insecure-skip-tls-verify': true } }],
      contexts: [{ name: 'kubernetes-admin@tabernetes', context: { cluster: 'tabernetes', user: 'kubernetes-admin', namespace: 'default' } }],
      'current-context': 'kubernetes-admin@tabernetes',
      preferences: {},
      users: [{ name: 'kubernetes-admin', user: {} }],
    });
  });

  it('resolves --kubeconfig, else KUBECONFIG (first file wins per name and for current-context); --context and --server override', async () => {
    const f = await files({ serve: serveKubeconfig('http://127.0.0.1:6443'), other });
    expect(await resolveContext({ kubeconfig: f.serve, env: {} })).toEqual({ server: 'http://127.0.0.1:6443', namespace: 'default' });
    const env = { KUBECONFIG: [f.serve, f.other].join(delimiter) };
    expect(await resolveContext({ env })).toEqual({ server: 'http://127.0.0.1:6443', namespace: 'default' });
    expect(await resolveContext({ env, context: 'prod' })).toEqual({ server: 'https://prod:6443', namespace: 'web', token: 's3cret' });
    expect(await resolveContext({ env: { KUBECONFIG: [f.other, f.serve].join(delimiter) } })).toMatchObject({ server: 'https://prod:6443' });
    expect(await resolveContext({ env, server: 'http://127.0.0.1:9' })).toMatchObject({ server: 'http://127.0.0.1:9' });
  });

  it("fails with kubectl's messages for a missing --kubeconfig file, an unknown --context and no server at all", async () => {
    const f = await files({ other });
    await expect(resolveContext({ kubeconfig: '/nonexistent/config', env: {} })).rejects.toThrow(new KubeconfigError('error: stat /nonexistent/config: no such file or directory'));
    await expect(resolveContext({ kubeconfig: f.other, context: 'nope', env: {} })).rejects.toThrow('Error in configuration: context was not found for specified context: nope');
    await expect(resolveContext({ env: { KUBECONFIG: '/nonexistent/a' } })).rejects.toThrow('The connection to the server localhost:8080 was refused - did you specify the right host or port?');
  });
});
