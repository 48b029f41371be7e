// `kubectl kustomize DIR` and `apply -k` against kubectl 1.32's embedded kustomize: the real binary runs on
// the same fixtures (test/fixtures/kustomize/*) in the same run; stdout and stderr must be byte-identical.
import 'fake-indexeddb/auto';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/api/clock';
import { seededIds } from '../src/api/ids';
import { ApiClient } from '../src/client/api-client';
import { kustomizeHash } from '../src/kubectl/kustomize';
import { openIdbStore } from '../src/storage';
import { createApiServer } from '../src/workers/apiserver';
import { REAL_KUBECTL } from './serve-helpers';
import { captureKubectl } from '../src/kubectl/testing/capture-kubectl';

const FIXTURES = resolve(__dirname, 'fixtures/kustomize');
const REAL = REAL_KUBECTL?.endsWith('kubectl.1.32') ? REAL_KUBECTL : undefined;

const diskRead = (p: string) => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

async function ours(args: string[], client = new ApiClient({} as never), stdin?: string) {
  return captureKubectl(args, { client, clock: new FakeClock(0), stdin, readFile: diskRead });
}

function real(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) =>
    execFile(REAL!, args, { env: { ...process.env, KUBECONFIG: '/nonexistent' } }, (err, stdout, stderr) => res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr })),
  );
}

describe('kustomize hash', () => {
  it("matches kustomize's hasher tests (name is never part of a ConfigMap/Secret hash)", () => {
    expect(kustomizeHash({ apiVersion: 'v1', kind: 'ConfigMap' })).toBe('6ct58987ht');
    expect(kustomizeHash({ apiVersion: 'v1', kind: 'ConfigMap', data: { one: '' } })).toBe('9g67k2htb6');
    expect(kustomizeHash({ apiVersion: 'v1', kind: 'ConfigMap', data: { one: '' }, binaryData: { two: '' } })).toBe('698h7c7t9m');
    expect(kustomizeHash({ apiVersion: 'v1', kind: 'Secret', type: 'my-type', data: { one: '' }, stringData: { two: 2 } })).toBe('c4h4264gdb');
    expect(kustomizeHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' }, data: { A: '1', B: 'two' } })).toBe('6b56fdfggc');
  });
});

describe.skipIf(!REAL)('kubectl kustomize matches kubectl 1.32', () => {
  for (const fixture of ['overlay', 'generators-patches', 'order-legacy']) {
    it(`kustomize ${fixture}: same stdout, stderr and exit code`, async () => {
      const dir = join(FIXTURES, fixture);
      const [r, o] = await Promise.all([real(['kustomize', dir]), ours(['kustomize', dir])]);
      expect(r.code).toBe(0);
      expect(o).toEqual(r);
    });
  }

  it('deprecation warnings per kustomization, and missing-resource / missing-kustomization errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kustomize-'));
    try {
      await mkdir(join(dir, 'base'));
      await mkdir(join(dir, 'empty'));
      await mkdir(join(dir, 'missing'));
      await writeFile(join(dir, 'base/kustomization.yaml'), 'commonLabels: {a: b}\nresources: [cm.yaml]\n');
      await writeFile(join(dir, 'base/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {k: v}\n');
      await writeFile(join(dir, 'kustomization.yml'), 'commonLabels: {c: d}\nbases: [base]\nconfigMapGenerator:\n- name: x\n  behavior: merge\n  literals: [m=n]\n');
      await writeFile(join(dir, 'missing/kustomization.yaml'), 'resources: [nothing.yaml]\n');
      for (const d of [dir, join(dir, 'empty'), join(dir, 'missing')]) {
        const [r, o] = await Promise.all([real(['kustomize', d]), ours(['kustomize', d])]);
        expect(o, d).toEqual(r);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('apply -k against the in-process apiserver', () => {
  it('applies the build (generated names, references), then reports unchanged; -f with -k is an error', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const store = await openIdbStore({ name: 'kustomize-apply', clock });
    const client = new ApiClient(await createApiServer({ store, clock, ids: seededIds(5) }));
    const dir = join(FIXTURES, 'generators-patches');
    const first = await ours(['apply', '-k', dir, '--dry-run=server'], client);
    expect(first.stderr).toMatch(/^Error from server \(NotFound\): error when creating ".*generators-patches": namespaces "team-a" not found\n/);
    expect((await ours(['create', 'namespace', 'team-a'], client)).code).toBe(0);
    const applied = await ours(['apply', '-k', dir], client);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toBe(
      [
        'configmap/plain-v2 created',
        'configmap/settings-v2-2bhd7g6kk7 created',
        'secret/tls-ish-v2-4b255hm948 created',
        'service/api-v2 created',
        'deployment.apps/api-v2 created',
        'deployment.apps/worker-v2 created',
        '',
      ].join('\n'),
    );
    const again = await ours(['apply', '-k', dir], client);
    expect(again.stdout.split('\n').filter(Boolean).every((l) => l.endsWith(' unchanged'))).toBe(true);
    const got = await ours(['get', '-k', dir, '-o', 'name'], client);
    expect(got.stdout.split('\n').filter(Boolean)).toHaveLength(6);
    const env = await ours(['get', 'deploy', 'api-v2', '-n', 'team-a', '-o', 'jsonpath={.spec.template.spec.containers[0].env[*].valueFrom.configMapKeyRef.name}'], client);
    expect(env.stdout).toMatch(/^settings-v2-2bhd7g6kk7/);
    const both = await ours(['apply', '-k', dir, '-f', '-'], client, '');
    expect(both).toEqual({ code: 1, stdout: '', stderr: 'error: only one of -f or -k can be specified\n' });
    const missing = await ours(['apply', '-k', join(dir, 'conf')], client);
    expect(missing.stderr).toBe(`error: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${join(dir, 'conf')}'\n`);
  });
});
