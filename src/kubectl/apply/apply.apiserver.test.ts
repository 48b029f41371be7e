import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { seededIds } from '../../api/ids';
import { ApiClient } from '../../client/api-client';
import { createMemoryStore } from '../../storage';
import { createApiServer } from '../../workers/apiserver';
import { CONFLICT_HELP } from './server-side-apply';
import { captureKubectl } from '../testing/capture-kubectl';

async function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(3) });
  const client = new ApiClient(api, 'kubectl/v1.32.5 (tabernetes)');
  return async (line: string, stdin?: string) => {
    return captureKubectl(line, { client, clock, stdin });
  };
}

const deploy = (replicas: number, image = 'nginx') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: c\n        image: ${image}\n`;

describe('kubectl apply --server-side against createApiServer', () => {
  it('applies, reports conflicts with kubectl\'s help, forces, and hides managedFields in -o yaml', async () => {
    const run = await setup();
    expect(await run('apply --server-side -f -', deploy(1))).toEqual({ code: 0, stdout: 'deployment.apps/web serverside-applied\n', stderr: '' });
    expect((await run('scale deployment web --replicas=4')).code).toBe(0);
    const conflict = await run('apply --server-side --field-manager=ci -f -', deploy(1));
    expect(conflict).toEqual({ code: 1, stdout: '', stderr: `error: Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas\n${CONFLICT_HELP}\n` });
    expect((await run('apply --server-side --field-manager=ci --force-conflicts -f -', deploy(1))).stdout).toBe('deployment.apps/web serverside-applied\n');
    expect((await run('get deploy web -o jsonpath={.spec.replicas}')).stdout).toBe('1');
    expect((await run('get deploy web -o yaml')).stdout).not.toContain('managedFields');
    const shown = await run('get deploy web -o yaml --show-managed-fields');
    expect(shown.stdout).toContain('  - apiVersion: apps/v1\n    fieldsType: FieldsV1\n    fieldsV1:\n');
    expect(shown.stdout).toContain('    manager: ci\n    operation: Apply\n');
    expect((await run('apply --server-side --field-manager=ci --force-conflicts --dry-run=server -f -', deploy(1, 'nginx:2'))).stdout).toBe('deployment.apps/web serverside-applied (server dry run)\n');
    expect((await run('get deploy web -o jsonpath={.spec.template.spec.containers[0].image}')).stdout).toBe('nginx');
  });

  it('rejects flag combinations as kubectl does', async () => {
    const run = await setup();
    expect(await run('apply --force-conflicts -f -', deploy(1))).toEqual({ code: 1, stdout: '', stderr: 'error: --force-conflicts only works with --server-side\n' });
    expect((await run('apply --server-side --dry-run=client -f -', deploy(1))).stderr).toBe("error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)\n");
  });

  it('client-side apply sends a strategic merge patch and records kubectl-client-side-apply', async () => {
    const run = await setup();
    expect((await run('apply -f -', deploy(1))).stdout).toBe('deployment.apps/web created\n');
    expect((await run('set env deployment/web X=1')).code).toBe(0);
    expect((await run('apply -f -', deploy(2, 'nginx:2'))).stdout).toBe('deployment.apps/web configured\n');
    expect((await run('get deploy web -o jsonpath={.spec.template.spec.containers[0].env[0].name}')).stdout).toBe('X');
    expect((await run('get deploy web -o jsonpath={.metadata.managedFields[*].manager}')).stdout).toBe('kubectl-client-side-apply kubectl-set');
  });

  it('diff exits 0 without differences, 1 with a unified diff, 2 on errors', async () => {
    const run = await setup();
    await run('apply -f -', deploy(1));
    expect(await run('diff -f -', deploy(1))).toEqual({ code: 0, stdout: '', stderr: '' });
    const d = await run('diff -f -', deploy(3));
    expect(d.code).toBe(1);
    expect(d.stdout).toMatch(/^diff -u -N \/tmp\/LIVE-\d+\/apps\.v1\.Deployment\.default\.web \/tmp\/MERGED-\d+\/apps\.v1\.Deployment\.default\.web\n--- \/tmp\/LIVE-\d+\/apps\.v1\.Deployment\.default\.web\t2026-01-01 00:00:00\.000000000 \+0000\n/);
    expect(d.stdout).toContain('\n-  generation: 1\n+  generation: 2\n');
    expect(d.stdout).toContain('\n-  replicas: 1\n+  replicas: 3\n');
    expect(d.stdout).not.toContain('managedFields');
    expect((await run('get deploy web -o jsonpath={.spec.replicas}')).stdout).toBe('1');
    expect((await run('diff -f -', 'apiVersion: v1\nkind: Nope\nmetadata: {name: x}\n')).code).toBe(2);
  });

  it('prunes applied objects the manifests dropped, and needs -l or --all', async () => {
    const run = await setup();
    const cm = (n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${n}\n  labels: {app: x}\n`;
    expect((await run('apply --prune -f -', cm('a'))).stderr).toMatch(/^error: all resources selected for prune without explicitly passing --all\./);
    await run('apply -f -', `${cm('a')}---\n${cm('b')}`);
    expect(await run('apply --prune -l app=x -f -', cm('a'))).toEqual({ code: 0, stdout: 'configmap/a unchanged\nconfigmap/b pruned\n', stderr: '' });
    expect((await run('get cm -l app=x -o name')).stdout).toBe('configmap/a\n');
  });
});

describe('apply --server-side hands over from client-side apply while a controller writes', () => {
  it('rebuilds the resourceVersion-pinned managedFields patch after a 409, as kubectl does', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(3) });
    let raced = 0;
    const racy = new Proxy(api, {
      get(target, prop, receiver) {
        if (prop !== 'request') return Reflect.get(target, prop, receiver);
        return async (req: Parameters<typeof api.request>[0]) => {
          if (req.method === 'PATCH' && req.contentType === 'application/json-patch+json' && raced < 2) {
            raced++; // a controller's status write lands between kubectl's read and its patch
            await target.request({ method: 'PATCH', path: `${req.path}/status`, contentType: 'application/merge-patch+json', body: { status: { observedGeneration: raced } } });
          }
          return target.request(req);
        };
      },
    });
    const client = new ApiClient(racy, 'kubectl/v1.32.5 (tabernetes)');
    const run = (line: string, stdin?: string) => captureKubectl(line, { client, clock, stdin });
    expect((await run('apply -f -', deploy(1))).code).toBe(0);
    expect(await run('apply --server-side -f -', deploy(2))).toEqual({ code: 0, stdout: 'deployment.apps/web serverside-applied\n', stderr: '' });
    expect(raced).toBe(2);
    const managers = (await run('get deploy web -o jsonpath={.metadata.managedFields[*].manager} --show-managed-fields')).stdout.split(' ');
    expect(managers).toContain('kubectl');
    expect(managers).not.toContain('kubectl-client-side-apply');
  });
});
