import { describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock';
import { ApiClient } from '../client/api-client';
import { runKubectl } from './run-kubectl';
import { splitCommandLine } from './cli/split-command-line';
import { FakeKubeServer } from './testing/fake-kube-server';
import { captureKubectl } from './testing/capture-kubectl';

function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const server = new FakeKubeServer(() => clock.now());
  const client = new ApiClient(server);
  const run = async (line: string, stdin?: string) => {
    return captureKubectl(line, { client, clock, stdin });
  };
  return { clock, server, run };
}

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
spec:
  containers:
  - name: c
    image: nginx
`;

describe('runKubectl', () => {
  it('reports unknown commands and flags with kubectl texts', async () => {
    const { run } = setup();
    expect(await run('foo')).toEqual({ code: 1, stdout: '', stderr: 'error: unknown command "foo" for "kubectl"\n\nDid you mean this?\n\ttop\n' });
    expect((await run('zzzzqq')).stderr).toBe('error: unknown command "zzzzqq" for "kubectl"\n');
    expect(await run('get pods --foo')).toEqual({ code: 1, stdout: '', stderr: "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n" });
    expect((await run('get pods -x')).stderr).toBe("error: unknown shorthand flag: 'x' in -x\nSee 'kubectl get --help' for usage.\n");
    expect((await run('get pods -n')).stderr).toBe("error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n");
    expect((await run('get pods -A=foo')).stderr).toBe(
      `error: invalid argument "foo" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing "foo": invalid syntax\nSee 'kubectl get --help' for usage.\n`,
    );
  });

  it('prints "No resources found" per scope and unknown types', async () => {
    const { run } = setup();
    expect(await run('get pods')).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect((await run('get po -n kube-system')).stderr).toBe('No resources found in kube-system namespace.\n');
    expect((await run('get pods -A')).stderr).toBe('No resources found\n');
    expect((await run('get nodes')).stderr).toBe('No resources found\n');
    expect(await run('get foo')).toEqual({ code: 1, stdout: '', stderr: 'error: the server doesn\'t have a resource type "foo"\n' });
  });

  it('applies: created, unchanged, configured; get prints the server table aligned', async () => {
    const { run, clock, server } = setup();
    expect(await run('apply -f -', POD)).toEqual({ code: 0, stdout: 'pod/web created\n', stderr: '' });
    const live = server.inner.get('pods', 'default', 'web') as unknown as { metadata: { annotations: Record<string, string> } };
    expect(live.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"apiVersion":"v1","kind":"Pod","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"containers":[{"image":"nginx","name":"c"}]}}\n',
    );
    expect((await run('apply -f -', POD)).stdout).toBe('pod/web unchanged\n');
    expect((await run('apply -f -', POD.replace('nginx', 'nginx:1.27'))).stdout).toBe('pod/web configured\n');
    await clock.advance(75_000);
    expect((await run('get pods')).stdout).toBe('NAME   READY   STATUS    RESTARTS   AGE\nweb    0/1     Pending   0          75s\n');
    expect((await run('get po web --show-labels -A')).code).toBe(1);
    expect((await run('get pods -A --show-labels')).stdout).toBe(
      'NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE   LABELS\ndefault     web    0/1     Pending   0          75s   app=web\n',
    );
    expect((await run('get pods -o name')).stdout).toBe('pod/web\n');
    expect((await run('get pod web -o yaml')).stdout).toMatch(/^apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    kubectl.kubernetes.io\/last-applied-configuration: \|\n      \{"apiVersion"/);
    expect((await run('get pods -o yaml')).stdout).toMatch(/^apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n[\s\S]*\nkind: List\nmetadata:\n  resourceVersion: ""\n$/);
  });

  it('reports NotFound for missing names after printing the found ones', async () => {
    const { run } = setup();
    await run('apply -f -', POD);
    const r = await run('get pods web nope');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^NAME   READY/);
    expect(r.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
  });

  it('rejects broken manifests without applying anything', async () => {
    const { run, server } = setup();
    const bad = POD + '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n   bad: 1\n';
    const r = await run('apply -f -', bad);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: error parsing STDIN: error converting YAML to JSON: yaml: line 16, column 7: mapping values are not allowed in this context\n',
    });
    expect(server.inner.get('pods', 'default', 'web')).toBeUndefined();
    expect((await run('apply -f -', 'apiVersion: v1\nmetadata:\n  name: x\n')).stderr).toBe(
      'error: error validating "STDIN": error validating data: kind not set; if you choose to ignore these errors, turn validation off with --validate=false\n',
    );
    expect((await run('apply -f -', 'apiVersion: v1\nkind: Foo\nmetadata:\n  name: x\n')).stderr).toBe(
      'error: resource mapping not found for name: "x" namespace: "" from "STDIN": no matches for kind "Foo" in version "v1"\nensure CRDs are installed first\n',
    );
  });

  it('prints server validation and AlreadyExists errors as kubectl', async () => {
    const { run } = setup();
    const r = await run('apply -f -', POD.replace('name: web', 'name: Bad_Name'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^The Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    expect((await run('create -f -', POD)).stdout).toBe('pod/web created\n');
    expect(await run('create -f -', POD)).toEqual({ code: 1, stdout: '', stderr: 'Error from server (AlreadyExists): error when creating "STDIN": pods "web" already exists\n' });
  });

  it('deletes by name, reports NotFound, warns on --force', async () => {
    const { run } = setup();
    await run('apply -f -', POD);
    expect(await run('delete pod web')).toEqual({ code: 0, stdout: 'pod "web" deleted\n', stderr: '' });
    expect(await run('delete pod web')).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "web" not found\n' });
    await run('apply -f -', POD);
    const f = await run('delete po/web --force');
    expect(f.stdout).toBe('pod "web" force deleted\n');
    expect(f.stderr).toMatch(/^Warning: Immediate deletion does not wait/);
    expect((await run('delete pods')).stderr).toBe('error: resource(s) were provided, but no name was specified\n');
  });

  it('prints logs and log errors', async () => {
    const { run, server } = setup();
    await run('apply -f -', POD);
    server.logs.set('default/web/c', 'hello\n');
    expect(await run('logs web')).toEqual({ code: 0, stdout: 'hello\n', stderr: '' });
    server.logs.set('default/web/c', { error: 'container "c" in pod "web" is waiting to start: ContainerCreating' });
    expect((await run('logs web')).stderr).toBe('Error from server (BadRequest): container "c" in pod "web" is waiting to start: ContainerCreating\n');
    expect((await run('logs nope')).stderr).toBe('error: error from server (NotFound): pods "nope" not found in namespace "default"\n');
  });

  it('prints versions', async () => {
    const { run } = setup();
    expect((await run('version')).stdout).toBe('Client Version: v1.32.0\nKustomize Version: v5.5.0\nServer Version: v1.32.0\n');
  });
});

describe('splitCommandLine', () => {
  it('splits like a shell', () => {
    expect(splitCommandLine(`get pods -n kube-system`)).toEqual(['get', 'pods', '-n', 'kube-system']);
    expect(splitCommandLine(`a 'b c' "d \\"e\\"" f\\ g '' "$x"`)).toEqual(['a', 'b c', 'd "e"', 'f g', '', '$x']);
    expect(splitCommandLine(`  x\t y\\\nz  `)).toEqual(['x', 'yz']);
  });
});
