import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { ApiClient } from '../../client/api-client';
import { runKubectl } from '../run-kubectl';
import { splitCommandLine } from '../cli/split-command-line';
import { FakeKubeServer } from '../testing/fake-kube-server';

async function run(line: string) {
  const clock = new FakeClock(0);
  let stdout = '';
  const code = await runKubectl(splitCommandLine(line), { client: new ApiClient(new FakeKubeServer(() => 0)), clock, stdout: (t) => (stdout += t), stderr: (t) => (stdout += t) });
  return { code, stdout };
}

// Recorded from kubectl 1.32 `config view` over the kubeconfig npm run serve writes (server https://127.0.0.1:6443).
const VIEW = `apiVersion: v1
clusters:
- cluster:
    server: https://127.0.0.1:6443
  name: tabernetes
contexts:
- context:
    cluster: tabernetes
    namespace: default
    user: kubernetes-admin
  name: kubernetes-admin@tabernetes
current-context: kubernetes-admin@tabernetes
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user: {}
`;

describe('kubectl config', () => {
  it('views the tab kubeconfig as kubectl prints it', async () => {
    expect(await run('config view')).toEqual({ code: 0, stdout: VIEW });
    expect((await run('config view -o jsonpath={.contexts[0].name}')).stdout).toBe('kubernetes-admin@tabernetes');
    expect((await run('config get-clusters')).stdout).toBe('NAME\ntabernetes\n');
    expect((await run('config get-users')).stdout).toBe('NAME\nkubernetes-admin\n');
  });
});

describe('kubectl config use-context / set-context', () => {
  it('switches to the one context and rejects others with kubectl\'s text', async () => {
    expect(await run('config use-context kubernetes-admin@tabernetes')).toEqual({ code: 0, stdout: 'Switched to context "kubernetes-admin@tabernetes".\n' });
    expect(await run('config use kind-x')).toEqual({ code: 1, stdout: 'error: no context exists with the name: "kind-x"\n' });
  });

  it('set-context --current --namespace hands the namespace to the host', async () => {
    const seen: string[] = [];
    let out = '';
    const code = await runKubectl(splitCommandLine('config set-context --current --namespace=team-a'), {
      client: new ApiClient(new FakeKubeServer(() => 0)),
      clock: new FakeClock(0),
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
      setNamespace: (ns) => seen.push(ns),
    });
    expect({ code, out, seen }).toEqual({ code: 0, out: 'Context "kubernetes-admin@tabernetes" modified.\n', seen: ['team-a'] });
  });
});
