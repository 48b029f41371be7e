import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../api/clock';
import { seededIds } from '../api/ids';
import { ApiClient } from '../client/api-client';
import { openIdbStore } from '../storage';
import { createApiServer } from '../workers/apiserver';
import { captureKubectl } from './testing/capture-kubectl';

// kubectl against the real apiserver over fake-indexeddb.
async function setup(name: string) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const store = await openIdbStore({ name, clock });
  const api = await createApiServer({ store, clock, ids: seededIds(3) });
  const client = new ApiClient(api);
  return {
    clock,
    async run(line: string, stdin?: string) {
      return captureKubectl(line, { client, clock, stdin });
    },
  };
}

const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n';

describe('kubectl against createApiServer', () => {
  it('gets namespaces as a server-side table', async () => {
    const { run, clock } = await setup('kubectl-ns');
    await clock.advance(3_000);
    const r = await run('get ns');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'NAME              STATUS   AGE\ndefault           Active   3s\nkube-node-lease   Active   3s\nkube-public       Active   3s\nkube-system       Active   3s\n',
    );
  });

  it('logs TYPE/NAME picks a pod of the workload by its selector, ByLogging order', async () => {
    const { run, clock } = await setup('kubectl-logs-workload');
    const pod = (name: string) => POD.replace('  name: web\n', `  name: ${name}\n  labels:\n    app: web\n`);
    await run('apply -f -', pod('web-b'));
    await clock.advance(1000);
    await run('apply -f -', pod('web-a'));
    const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 0\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: c\n        image: nginx\n';
    expect((await run('apply -f -', deploy)).code).toBe(0);
    // Both unassigned and Pending: the older pod wins.
    expect((await run('logs deployment/web')).stderr).toMatch(/^Found 2 pods, using pod\/web-b\n/);
    expect((await run('logs deploy/nope')).stderr).toBe('error: error from server (NotFound): deployments.apps "nope" not found in namespace "default"\n');
    expect((await run('logs svc/nope')).stderr).toBe('error: error from server (NotFound): services "nope" not found in namespace "default"\n');
    expect((await run('logs configmap/kube-root-ca.crt -n kube-system')).stderr).toMatch(/^error: cannot attach to \*v1\.ConfigMap: selector for \*v1\.ConfigMap not implemented\n$|NotFound/);
  });

  it('delete waits for the deleted object only: a same-named replacement with another UID ends the wait', async () => {
    const { run, clock } = await setup('kubectl-delete-replaced');
    await run('apply -f -', POD.replace('  name: web\n', '  name: web\n  finalizers: ["example.com/hold"]\n'));
    const deleting = run('delete pod web');
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await clock.advance(10);
    expect((await run(`patch pod web --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]'`)).code).toBe(0);
    expect((await run('apply -f -', POD)).stdout).toBe('pod/web created\n');
    await clock.advance(1000);
    expect(await deleting).toEqual({ code: 0, stdout: 'pod "web" deleted\n', stderr: '' });
  });

  it('get --raw prints the body of one GET, and refuses arguments', async () => {
    const { run } = await setup('kubectl-get-raw');
    const ns = await run('get --raw /api/v1/namespaces/default');
    expect(ns.code).toBe(0);
    expect(ns.stdout.endsWith('}\n')).toBe(true);
    expect(JSON.parse(ns.stdout)).toMatchObject({ kind: 'Namespace', metadata: { name: 'default' } });
    const limited = JSON.parse((await run('get --raw /api/v1/namespaces?limit=1')).stdout);
    expect(limited.items).toHaveLength(1);
    expect(limited.metadata.continue).toBeTruthy();
    expect((await run('get --raw /api/v1/namespaces/nope')).stderr).toBe('Error from server (NotFound): namespaces "nope" not found\n');
    expect((await run('get pods --raw /api')).stderr).toBe('error: arguments may not be passed when --raw is specified\n');
  });

  it('applies created / unchanged / configured and deletes', async () => {
    const { run } = await setup('kubectl-apply');
    expect(await run('apply -f -', POD)).toEqual({ code: 0, stdout: 'pod/web created\n', stderr: '' });
    expect(await run('apply -f -', POD)).toEqual({ code: 0, stdout: 'pod/web unchanged\n', stderr: '' });
    expect(await run('apply -f -', POD.replace('  name: web\n', '  name: web\n  labels:\n    a: b\n'))).toEqual({ code: 0, stdout: 'pod/web configured\n', stderr: '' });
    const get = await run('get pods --show-labels');
    expect(get.stdout).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+LABELS\nweb\s+0\/1\s+Pending\s+0\s+0s\s+a=b\n$/);
    expect(await run('get pod nope')).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    const bad = await run('apply -f -', POD.replace('name: web', 'name: Bad_Name'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^The Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": /);
    expect(await run('delete pod web')).toEqual({ code: 0, stdout: 'pod "web" deleted\n', stderr: '' });
  });
});
