// The real kubectl 1.32 binary against `npm run serve` (startServe in this process: worker_threads
// containers, the HTTP API on 127.0.0.1), then our kubectl over HTTP against the same objects.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithReal, normaliseAge, REAL_KUBECTL, ServeFixture, until } from './serve-helpers';

if (!REAL_KUBECTL) console.warn('serve-kubectl: skipped: no kubectl binary at /usr/lib/google-cloud-sdk/bin/kubectl.1.32 or /usr/bin/kubectl');

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: hello
  labels: {app: hello}
spec:
  restartPolicy: Never
  containers:
  - name: hello
    image: hello-world
`;

const serve = new ServeFixture('tabernetes-serve-', { images: true });
const kubectl = (...args: string[]) => serve.real(args);

describe.skipIf(!REAL_KUBECTL)('real kubectl against npm run serve', () => {
  beforeAll(() => serve.start(), 120_000);

  afterAll(() => serve.stop());

  it('writes a kubeconfig for the server and serves version, health and discovery', async () => {
    const kc = await readFile(serve.kubeconfig, 'utf8');
    expect(kc).toContain(`server: ${serve.url}`);
    expect(kc).toContain('current-context: kubernetes-admin@tabernetes');
    const v = await kubectl('version');
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^Client Version: v1\.32\.\d+\nKustomize Version: v\S+\nServer Version: v1\.32\.0-tabernetes\n$/);
    for (const path of ['/healthz', '/livez', '/readyz']) expect(await (await fetch(serve.url + path)).text()).toBe('ok');
    const ar = await kubectl('api-resources');
    expect(ar.code).toBe(0);
    expect(ar.stdout.split('\n')[0]).toMatch(/^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/);
    expect(ar.stdout).toMatch(/\npods +po +v1 +true +Pod\n/);
    expect(ar.stdout).toMatch(/\nnodes +no +v1 +false +Node\n/);
  }, 30_000);

  it('explains fields from the OpenAPI schemas built from kubernetes-types', async () => {
    const r = await kubectl('explain', 'deployment.spec.strategy');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^GROUP: +apps\nKIND: +Deployment\nVERSION: +v1\n\nFIELD: +strategy <DeploymentStrategy>\n/);
    expect(r.stdout).toMatch(/\n  rollingUpdate\t<RollingUpdateDeployment>\n/);
    expect(r.stdout).toMatch(/\n  type\t<string>\n/);
    const pod = await kubectl('explain', 'pod.spec.containers.image');
    expect(pod.code).toBe(0);
    expect(pod.stdout).toContain('Container image name.');
    // Our kubectl renders the same documents byte for byte, errors included.
    for (const arg of ['pods', 'deployment.spec.strategy', 'pod.spec.containers.resources.limits', 'svc.spec.ports.targetPort', 'cronjob.spec.jobTemplate', 'pod.spec.nope', 'foo']) {
      const real = await kubectl('explain', arg);
      const ours = await serve.ours(['explain', arg]);
      expect({ arg, stdout: ours.stdout, stderr: ours.stderr, code: ours.code }).toEqual({ arg, stdout: real.stdout, stderr: real.stderr, code: real.code });
    }
    const recursive = await compareWithReal(serve.kubeconfig, serve.url, ['explain', 'deployment', '--recursive']);
    expect(recursive.identical).toBe(true);
  }, 60_000);

  it('gets 3 Ready nodes and the bootstrap namespaces', async () => {
    const nodes = await kubectl('get', 'nodes');
    expect(nodes.code).toBe(0);
    const rows = nodes.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^NAME +STATUS +ROLES +AGE +VERSION$/);
    expect(rows.slice(1).map((r) => r.split(/ +/).slice(0, 3).join(' '))).toEqual([
      'tabernetes-control-plane Ready control-plane',
      'tabernetes-worker Ready <none>',
      'tabernetes-worker2 Ready <none>',
    ]);
    const ns = await kubectl('get', 'ns', '--no-headers', '-o', 'custom-columns=NAME:.metadata.name,PHASE:.status.phase');
    expect(ns.stdout.split('\n').filter(Boolean).map((l) => l.split(/ +/).join(' '))).toEqual(['default Active', 'kube-node-lease Active', 'kube-public Active', 'kube-system Active']);
  }, 30_000);

  it('applies a pod that runs to Completed, with its logs, describe and every output format; a watch streams its deletion', async () => {
    const applied = await serve.real(['apply', '-f', '-'], { stdin: POD });
    expect(applied).toMatchObject({ code: 0, stdout: 'pod/hello created\n' });
    const row = await until(async () => {
      const r = await kubectl('get', 'pods', '--no-headers');
      return /Completed/.test(r.stdout) && r.stdout;
    }, 'pod Completed');
    expect(row).toMatch(/^hello +0\/1 +Completed +0 +\d+s\n$/);

    const logs = await kubectl('logs', 'hello');
    expect(logs.code).toBe(0);
    expect(logs.stdout).toContain('Hello from Tabernetes!');

    const describe = await kubectl('describe', 'pod', 'hello');
    expect(describe.code).toBe(0);
    expect(describe.stdout).toMatch(/^Name: +hello\nNamespace: +default\n/);
    expect(describe.stdout).toMatch(/Status: +Succeeded\n/);
    expect(describe.stdout).toMatch(/Events:\n +Type +Reason +Age +From +Message\n/);
    expect(describe.stdout).toMatch(/Normal +Scheduled +\S+ +default-scheduler +Successfully assigned default\/hello to tabernetes-worker2?\n/);

    const yaml = await kubectl('get', 'pod', 'hello', '-o', 'yaml');
    expect(yaml.stdout).toMatch(/^apiVersion: v1\nkind: Pod\nmetadata:\n/);
    expect(yaml.stdout).toMatch(/\n {2}phase: Succeeded\n/);
    const json = JSON.parse((await kubectl('get', 'pod', 'hello', '-o', 'json')).stdout);
    expect(json).toMatchObject({ kind: 'Pod', metadata: { name: 'hello', labels: { app: 'hello' } }, status: { phase: 'Succeeded' } });
    const wide = await kubectl('get', 'pods', '-o', 'wide');
    expect(wide.stdout.split('\n')[0]).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/);
    expect(wide.stdout).toMatch(/\nhello +0\/1 +Completed +0 +\d+s +10\.244\.[12]\.\d+ +tabernetes-worker2? +<none> +<none>\n/);
    expect((await kubectl('get', 'pods', '-o', 'name')).stdout).toBe('pod/hello\n');
    expect((await kubectl('get', 'pods', '-l', 'app=hello', '-o', 'name')).stdout).toBe('pod/hello\n');

    // the watch stream as real kubectl parses it: one event per object change, one JSON line per event
    const watcher = spawn(REAL_KUBECTL!, ['--kubeconfig', serve.kubeconfig, 'get', 'pods', '--watch', '--output-watch-events', '-o', 'json']);
    let stream = '';
    watcher.stdout.on('data', (d: Buffer) => (stream += d.toString()));
    // and as people type it: server-side Table rows over the same watch
    const tableWatcher = spawn(REAL_KUBECTL!, ['--kubeconfig', serve.kubeconfig, 'get', 'pods', '-w']);
    let rows = '';
    tableWatcher.stdout.on('data', (d: Buffer) => (rows += d.toString()));
    try {
      await until(async () => /"type":"ADDED"/.test(stream), 'watch ADDED');
      await until(async () => rows.split('\n').length > 2, 'table watch rows');
      expect(rows).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE\nhello +0\/1 +Completed +0 +\d+s\n/);
      const del = await kubectl('delete', 'pod', 'hello');
      expect(del).toMatchObject({ code: 0, stdout: 'pod "hello" deleted\n' });
      await until(async () => /"type":"DELETED"/.test(stream), 'watch DELETED');
    } finally {
      watcher.kill();
      tableWatcher.kill();
    }
    const events = stream.trim().split('\n').map((e) => JSON.parse(e) as { type: string; object: { metadata: { name: string } } });
    expect(events[0]).toMatchObject({ type: 'ADDED', object: { metadata: { name: 'hello' } } });
    expect(events[events.length - 1]).toMatchObject({ type: 'DELETED', object: { metadata: { name: 'hello' } } });

    const none = await kubectl('get', 'pods');
    expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    const missing = await kubectl('get', 'pod', 'hello');
    expect(missing).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "hello" not found\n' });
  }, 60_000);

  it('our kubectl over HTTP prints what the real one prints: get in every format, api-resources, logs and errors', async () => {
    expect((await serve.ours(['apply', '-f', '-'], POD.replace('name: hello\n', 'name: hello2\n'))).code).toBe(0);
    await until(async () => /Completed/.test((await kubectl('get', 'pod', 'hello2')).stdout), 'hello2 Completed');
    const sessions = [
      ['get', 'nodes'], ['get', 'pods'], ['get', 'ns'], ['get', 'pods', '-A'], ['get', 'pods', '-o', 'wide'], ['get', 'nodes', '-o', 'wide'],
      ['get', 'pods', '--show-labels'], ['get', 'nodes', '-o', 'name'], ['get', 'pod', 'hello2', '-o', 'yaml'], ['get', 'pod', 'hello2', '-o', 'json'],
      ['get', 'ns', 'default', '-o', 'yaml'], ['get', 'events'], ['api-resources'],
    ];
    for (const args of sessions) {
      const { real, ours, identical } = await compareWithReal(serve.kubeconfig, serve.url, args);
      expect(real.code, args.join(' ')).toBe(0);
      expect(ours.code, `${args.join(' ')}: ${ours.stderr}`).toBe(0);
      if (!identical) expect(normaliseAge(ours.stdout), args.join(' ')).toEqual(normaliseAge(real.stdout));
    }
    for (const args of [['get', 'pod', 'nope'], ['delete', 'pod', 'nope'], ['get', 'foo']]) {
      const failed = await compareWithReal(serve.kubeconfig, serve.url, args);
      expect(failed.real.code, args.join(' ')).toBe(1);
      expect(failed.ours, args.join(' ')).toEqual(failed.real);
    }
    const logs = await compareWithReal(serve.kubeconfig, serve.url, ['logs', 'hello2']);
    expect(logs.identical).toBe(true);
  }, 60_000);
});
