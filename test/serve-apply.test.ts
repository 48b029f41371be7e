// Server-side apply, managedFields and client-side apply's strategic merge patch: the real kubectl 1.32
// binary and our kubectl against the same `npm run serve` objects, compared output for output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithReal, REAL_KUBECTL, type Run, ServeFixture } from './serve-helpers';

if (!REAL_KUBECTL) console.warn('serve-apply: skipped: no kubectl binary at /usr/lib/google-cloud-sdk/bin/kubectl.1.32 or /usr/bin/kubectl');

const deployment = (name: string, replicas: number, image = 'docker.io/tabernetes/ticker') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: main
        image: ${image}
        args: ["/ticker", "5"]
        ports: [{containerPort: 80}]
      - name: side
        image: docker.io/tabernetes/ticker
        args: ["/ticker", "7"]
`;

const serve = new ServeFixture('tabernetes-serve-apply-', { images: true });
const real = (args: string[], stdin?: string) => serve.real(args, { stdin });
const ours = (args: string[], stdin?: string) => serve.ours(args, stdin);
const same = (r: Run) => ({ code: r.code, stdout: r.stdout, stderr: r.stderr });
const getJson = async (name: string) => JSON.parse((await real(['get', 'deploy', name, '-o', 'json', '--show-managed-fields'])).stdout);

describe.skipIf(!REAL_KUBECTL)('apply: real kubectl and ours against npm run serve', () => {
  beforeAll(() => serve.start(), 120_000);

  afterAll(() => serve.stop());

  it('apply --server-side: output, the conflict error and --force-conflicts are the real ones', async () => {
    const manifest = deployment('ssa', 1);
    const first = await real(['apply', '--server-side', '-f', '-'], manifest);
    expect(same(first)).toEqual({ code: 0, stdout: 'deployment.apps/ssa serverside-applied\n', stderr: '' });
    expect(same(await ours(['apply', '--server-side', '-f', '-'], manifest))).toEqual(same(first));
    const applied = (await getJson('ssa')).metadata.managedFields.find((e: { manager: string }) => e.manager === 'kubectl');
    expect(applied).toMatchObject({ operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1' });
    expect(Object.keys(applied.fieldsV1['f:spec']['f:template']['f:spec']['f:containers'])).toEqual(['k:{"name":"main"}', 'k:{"name":"side"}']);

    expect((await real(['patch', 'deploy', 'ssa', '--type', 'merge', '-p', '{"spec":{"replicas":3}}'])).code).toBe(0);
    for (const extra of [[], ['--field-manager', 'team']]) {
      const r = await real(['apply', '--server-side', ...extra, '-f', '-'], manifest);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^error: Apply failed with 1 conflict: conflict with "kubectl-patch" using apps\/v1: \.spec\.replicas\nPlease review/);
      expect(same(await ours(['apply', '--server-side', ...extra, '-f', '-'], manifest))).toEqual(same(r));
    }
    const forced = await ours(['apply', '--server-side', '--force-conflicts', '-f', '-'], manifest);
    expect(same(forced)).toEqual({ code: 0, stdout: 'deployment.apps/ssa serverside-applied\n', stderr: '' });
    const live = await getJson('ssa');
    expect(live.spec.replicas).toBe(1);
    const patcher = live.metadata.managedFields.find((e: { manager: string }) => e.manager === 'kubectl-patch');
    expect(patcher?.fieldsV1?.['f:spec']?.['f:replicas']).toBeUndefined();

    const flags = await real(['apply', '--force-conflicts', '-f', '-'], manifest);
    expect(same(await ours(['apply', '--force-conflicts', '-f', '-'], manifest))).toEqual(same(flags));
    const dry = await real(['apply', '--server-side', '--dry-run=client', '-f', '-'], manifest);
    expect(same(await ours(['apply', '--server-side', '--dry-run=client', '-f', '-'], manifest))).toEqual(same(dry));
  }, 60_000);

  it('get -o yaml omits managedFields unless --show-managed-fields, as real kubectl', async () => {
    const yaml = await compareWithReal(serve.kubeconfig, serve.url, ['get', 'deploy', 'ssa', '-o', 'yaml']);
    expect(yaml.real.stdout).not.toContain('managedFields');
    expect(yaml.ours.stdout).not.toContain('managedFields');
    const shown = await compareWithReal(serve.kubeconfig, serve.url, ['get', 'deploy', 'ssa', '-o', 'jsonpath={.metadata.managedFields[*].manager}']);
    expect(shown.identical).toBe(true);
    expect(shown.real.stdout).toContain('kubectl');
  }, 30_000);

  it('client-side apply: strategic merge patch keeps other writers\' container fields, last-applied matches byte for byte', async () => {
    // The same history on two objects: "r" driven by real kubectl, "o" by ours (the middle patch by real kubectl on both).
    const env = '{"spec":{"template":{"spec":{"containers":[{"name":"side","env":[{"name":"X","value":"1"}]}]}}}}';
    for (const [name, run] of [['r', real], ['o', ours]] as const) {
      expect((await run(['apply', '-f', '-'], deployment(name, 1))).stdout).toBe(`deployment.apps/${name} created\n`);
      expect((await real(['patch', 'deploy', name, '-p', env])).code).toBe(0);
      expect((await run(['apply', '-f', '-'], deployment(name, 2, 'docker.io/tabernetes/ticker:latest'))).stdout).toBe(`deployment.apps/${name} configured\n`);
      expect((await run(['apply', '-f', '-'], deployment(name, 2, 'docker.io/tabernetes/ticker:latest'))).stdout).toBe(`deployment.apps/${name} unchanged\n`);
    }
    const [r, o] = [await getJson('r'), await getJson('o')];
    const containers = (d: { spec: { template: { spec: { containers: unknown[] } } } }) => d.spec.template.spec.containers;
    expect(containers(o)).toEqual(containers(r));
    expect((containers(o)[1] as { env?: unknown }).env).toEqual([{ name: 'X', value: '1' }]);
    const last = (d: { metadata: { annotations: Record<string, string> } }) => d.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
    expect(last(o)).toBe(last(r).replaceAll('"r"', '"o"'));
    // The entries' order follows their times (seconds), which differ between the two histories.
    const fields = (d: { metadata: { managedFields: { manager: string; fieldsV1: unknown }[] } }) =>
      d.metadata.managedFields.filter((e) => e.manager !== 'kube-controller-manager').map((e) => [e.manager, JSON.stringify(e.fieldsV1).replaceAll('"f:r"', '"f:o"')]).sort();
    expect(fields(o)).toEqual(fields(r));
  }, 60_000);

  it('diff -f: the same unified diff and exit codes as real kubectl', async () => {
    const norm = (r: Run) => ({
      code: r.code,
      stderr: r.stderr,
      stdout: r.stdout
        .replace(/\/tmp\/(LIVE|MERGED)-\d+/g, '/tmp/$1-N')
        .replace(/(uid|creationTimestamp): .*/g, '$1: X').replace(/\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ [+-]\d{4}/g, '\tTIME'),
    });
    const cases = [deployment('ssa', 1), deployment('ssa', 4, 'docker.io/tabernetes/ticker:1'), deployment('fresh', 1) + '---\n' + deployment('ssa', 2)];
    for (const manifest of cases) {
      for (const extra of [[], ['--server-side', '--force-conflicts']]) {
        const r = norm(await real(['diff', ...extra, '-f', '-'], manifest));
        expect(r.stderr).toBe('');
        expect({ manifest, extra, ...norm(await ours(['diff', ...extra, '-f', '-'], manifest)) }).toEqual({ manifest, extra, ...r });
      }
    }
    expect(norm(await ours(['diff', '-f', '-'], cases[1])).stdout).toContain('-  replicas: 1\n+  replicas: 4\n');
  }, 60_000);

  it('apply --server-side over a client-side applied object hands its fields over as real kubectl does', async () => {
    const fields = (d: { metadata: { managedFields: { manager: string; operation: string; fieldsV1: unknown }[] } }, name: string) =>
      d.metadata.managedFields
        .filter((e) => e.manager !== 'kube-controller-manager')
        .map((e) => [e.manager, e.operation, JSON.stringify(e.fieldsV1).replaceAll(`"f:${name}"`, '"f:N"')])
        .sort();
    for (const [name, run] of [['mr', real], ['mo', ours]] as const) {
      expect((await real(['apply', '-f', '-'], deployment(name, 1))).code).toBe(0);
      expect(same(await run(['apply', '--server-side', '-f', '-'], deployment(name, 2)))).toEqual({ code: 0, stdout: `deployment.apps/${name} serverside-applied\n`, stderr: '' });
    }
    const [r, o] = [await getJson('mr'), await getJson('mo')];
    expect(fields(r, 'mr').map((e) => e[0])).toEqual(['kubectl', 'kubectl-last-applied']);
    expect(fields(o, 'mo')).toEqual(fields(r, 'mr'));
    expect(o.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(r.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'].replaceAll('"mr"', '"mo"'));
  }, 60_000);

  it('apply --prune -l deletes what the manifests dropped, as real kubectl', async () => {
    const cm = (p: string, n: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${p}-${n}\n  labels: {grp: ${p}}\ndata: {k: v}\n`;
    const results: Record<string, Run[]> = {};
    for (const [p, run] of [['r', real], ['o', ours]] as const) {
      const both = `${cm(p, 'a')}---\n${cm(p, 'b')}`;
      results[p] = [
        await run(['apply', '-f', '-'], both),
        await run(['apply', '--prune', '-f', '-'], cm(p, 'a')),
        await run(['apply', '--prune', '-l', `grp=${p}`, '--dry-run=server', '-f', '-'], cm(p, 'a')),
        await run(['apply', '--prune', '-l', `grp=${p}`, '-f', '-'], cm(p, 'a')),
        await run(['get', 'cm', '-l', `grp=${p}`, '-o', 'name']),
      ];
    }
    const norm = (r: Run) => ({ code: r.code, stdout: r.stdout.replaceAll('o-', 'r-').replaceAll('grp=o', 'grp=r'), stderr: r.stderr.replace(/^W\d+ [^\n]*\n/gm, '') });
    expect(results.o.map(norm)).toEqual(results.r.map(norm));
    expect(results.o[3].stdout).toBe('configmap/o-a unchanged\nconfigmap/o-b pruned\n');
  }, 60_000);
});
