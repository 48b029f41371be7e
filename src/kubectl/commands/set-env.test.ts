import { describe, expect, it } from 'vitest';
import { kubectlApiFixture } from '../testing/kubectl-api-fixture';
import { parseEnvArgs, splitEnvArgs, updateEnv } from './set-env';
import { parseResourceList } from './set-resources';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers: [{name: init, image: busybox}]
      containers:
      - {name: main, image: nginx, env: [{name: A, value: "1"}, {name: P, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]}
      - {name: side, image: nginx}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {k1: v1, my.key: v2}
`;

async function setup() {
  const f = await kubectlApiFixture();
  expect((await f.run('apply -f -', DEPLOY)).code).toBe(0);
  const env = async () => {
    const get = async (i: number) => (await f.run(`get deploy web -o jsonpath={.spec.template.spec.containers[${i}].env}`)).stdout;
    return `main:${await get(0)}\nside:${await get(1)}\n`;
  };
  return { ...f, env };
}

describe('kubectl set env', () => {
  it('sets, replaces and removes variables in every container and prints "env updated"', async () => {
    const f = await setup();
    expect(await f.run('set env deploy/web B=2 -c m*')).toEqual({ code: 0, stdout: 'deployment.apps/web env updated\n', stderr: '' });
    expect(await f.run('set env deploy/web B=2 -c main')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await f.env()).toBe('main:[{"name":"A","value":"1"},{"name":"P","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},{"name":"B","value":"2"}]\nside:\n');
    expect((await f.run('set env deployment web A- C=3')).code).toBe(0);
    expect(await f.env()).toContain('main:[{"name":"P","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}},{"name":"B","value":"2"},{"name":"C","value":"3"}]\nside:[{"name":"C","value":"3"}]');
    expect(await f.run('set env deploy/web C=4 --overwrite=false')).toEqual({ code: 1, stdout: '', stderr: "error: deployments/web 'C' already has a value (3), and --overwrite is false\n" });
  });

  it('lists the resulting environment, imports --from configmaps with --prefix, warns on renamed keys', async () => {
    const f = await setup();
    const r = await f.run('set env deploy/web --from=configmap/cfg --prefix=X_ -c main --list');
    expect(r).toEqual({
      code: 0,
      stdout: '# Deployment web, container main\nA=1\n# P from field path metadata.name\n# X_K1 from configmap cfg, key k1\n# X_MY_KEY from configmap cfg, key my.key\n',
      stderr: 'Warning: key k1 transferred to K1\nWarning: key my.key transferred to MY_KEY\n',
    });
    expect(await f.env()).not.toContain('X_K1');
    expect((await f.run('set env deploy/web -e Z=1 -c nope')).stderr).toBe('Warning: Deployment/web does not have any containers matching "nope"\n');
  });

  it('prints the changed object for --dry-run=client -o and rejects bad input with kubectl\'s texts', async () => {
    const f = await setup();
    const y = await f.run('set env deploy/web Q=1 -c side --dry-run=client -o jsonpath={.spec.template.spec.containers[1].env}');
    expect(y.stdout).toBe('[{"name":"Q","value":"1"}]');
    expect(await f.env()).toContain('side:\n');
    expect((await f.run('set env deploy/web 1X=2')).stderr).toMatch(/^error: "1X" is not a valid key name: a valid environment variable name must consist of/);
    expect((await f.run('set env deploy/web A=1 foo')).stderr).toBe('error: all resources must be specified before environment changes: deploy/web A=1 foo\n');
    expect((await f.run('set env cm/cfg A=1')).stderr).toBe('error: configmaps/cfg the object is not a pod or does not have a pod template: *v1.ConfigMap\n');
    expect((await f.run('set env deploy/web --list -o yaml')).stderr).toBe('error: --list and --output may not be specified together\n');
  });

  it('parses like envutil', () => {
    expect(splitEnvArgs(['deploy/web', 'A=1', 'B-'])).toEqual({ resources: ['deploy/web'], envArgs: ['A=1', 'B-'] });
    expect(splitEnvArgs(['A=1', 'deploy/web'])).toBeUndefined();
    expect(parseEnvArgs(['-', 'C=3'], 'A=1 # comment\nB=2\nnoise\n')).toEqual({ env: [{ name: 'A', value: '1 ' }, { name: 'B', value: '2' }, { name: 'C', value: '3' }], remove: [] });
    expect(updateEnv([{ name: 'A', value: '1' }, { name: 'B', value: '1' }], [{ name: 'B', value: '2' }, { name: 'C', value: '3' }], ['A'])).toEqual([
      { name: 'B', value: '2' },
      { name: 'C', value: '3' },
    ]);
  });
});

describe('kubectl set resources', () => {
  it('merges limits and requests into the selected containers', async () => {
    const f = await setup();
    expect(await f.run('set resources deploy/web -c main --limits=cpu=200m,memory=512Mi --requests=cpu=100m')).toEqual({
      code: 0,
      stdout: 'deployment.apps/web resource requirements updated\n',
      stderr: '',
    });
    expect(await f.run('set resources deploy/web -c main --limits=cpu=200m')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await f.run('get deploy web -o jsonpath={.spec.template.spec.containers[0].resources}')).stdout).toBe(
      // A template gets no requests from its limits (kube defaults those only on Pods, SetDefaults_Pod).
      '{"limits":{"cpu":"200m","memory":"512Mi"},"requests":{"cpu":"100m"}}',
    );
    expect((await f.run('set resources deploy/web --limits=cpu=1 -o name')).stdout).toBe('deployment.apps/web\n');
    expect((await f.run('get deploy web -o jsonpath={.spec.template.spec.initContainers[0].resources.limits.cpu}')).stdout).toBe('1');
  });

  it('fails with kubectl\'s texts', async () => {
    const f = await setup();
    expect((await f.run('set resources deploy/web')).stderr).toBe('error: you must specify an update to requests or limits (in the form of --requests/--limits)\n');
    expect((await f.run('set resources deploy/web -c nope --limits=cpu=1')).stderr).toBe('error: unable to find container named nope\n');
    expect(() => parseResourceList('foo')).toThrow('error: Invalid argument syntax foo, expected <resource>=<value>');
    expect(() => parseResourceList('cpu=abc')).toThrow("error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  });
});
