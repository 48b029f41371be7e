// set env / set resources / cordon / uncordon / taint / drain / autoscale / auth: our kubectl against the real
// kubectl 1.32 binary on the same `npm run serve` cluster. Mutations run the real kubectl on real-N and ours on
// the identical ours-N (nodes: the real one on tabernetes-worker, ours on tabernetes-worker2); outputs must
// match once the names are swapped. No NoExecute taints: the taint manager would evict the pods drain needs.
// Skipped without the binary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithReal, REAL_KUBECTL, type Run, ServeFixture, until } from '../../test/serve-helpers';

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 0
      nodeSelector: {kubernetes.io/hostname: tabernetes-worker}
      containers:
      - {name: ticker, image: docker.io/tabernetes/ticker, args: ["1"], env: [{name: A, value: "1"}, {name: P, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]}
      - {name: side, image: docker.io/tabernetes/ticker, args: ["1"]}
---
`;

const OBJECTS = `${deployment('real-1')}${deployment('ours-1')}${deployment('web')}apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {k1: v1, my.key: v2}
---
apiVersion: v1
kind: Pod
metadata: {name: bare}
spec:
  nodeName: tabernetes-worker
  terminationGracePeriodSeconds: 0
  containers: [{name: t, image: docker.io/tabernetes/ticker, args: ["1"]}]
`;

const serve = new ServeFixture('tabernetes-nodes-set-', { apply: OBJECTS });

describe.skipIf(!REAL_KUBECTL)('kubectl set, node and auth commands match kubectl 1.32', () => {
  beforeAll(async () => {
    await serve.start();
    await until(async () => (await serve.ours(['get', 'pods', '--field-selector=status.phase=Running', '-o', 'name'])).stdout.split('\n').length === 5, 'pods running', 60_000);
  }, 120_000);

  afterAll(() => serve.stop());

  // Read-only or failing commands: the same arguments for both.
  const cases: string[][] = [
    ['set'],
    ['set', 'env', 'deploy/web', '--list'],
    ['set', 'env', 'deploy/web', '--from=configmap/cfg', '--prefix=S_', '-c', 'side', '--list'],
    ['set', 'env', 'deploy/web', '-e', 'X=1', '-c', 'nope'],
    ['set', 'env', 'deploy/web', '1X=2'],
    ['set', 'env', 'deploy/web', 'A-', 'A=1'],
    ['set', 'env', 'deploy/web', 'A=1', 'foo'],
    ['set', 'env', 'deploy/web', 'A=6', '--overwrite=false'],
    ['set', 'env', 'deploy/web', '--from=deploy/web'],
    ['set', 'env', 'deploy/nope', 'A=1'],
    ['set', 'env', 'cm/cfg', 'X=1'],
    ['set', 'env', 'deploy/web', 'B=2', '--dry-run=client', '-o', 'yaml'],
    ['set', 'resources', 'deploy/web'],
    ['set', 'image', 'cm/cfg', 'a=b'],
    ['set', 'resources', 'deploy/web', '--limits=foo'],
    ['set', 'resources', 'deploy/web', '--limits=cpu=abc'],
    ['set', 'resources', 'deploy/web', '-c', 'nope', '--limits=cpu=1'],
    ['set', 'resources', 'deploy/web', '--limits=cpu=7', '--dry-run=client', '-o', 'yaml'],
    ['cordon'],
    ['cordon', 'nope'],
    ['taint', 'node', 'tabernetes-worker', 'foo=bar:Bad'],
    ['taint', 'node', 'tabernetes-worker', 'foo=bar'],
    ['taint', 'node', 'tabernetes-worker'],
    ['taint', 'node', 'tabernetes-worker', 'a=b:NoSchedule', 'a-'],
    ['taint', 'node', 'tabernetes-worker', 'k=v:NoSchedule', 'k=w:NoSchedule'],
    ['taint', 'pod', 'bare', 'k=v:NoSchedule'],
    ['taint', 'node/tabernetes-worker', 'k=v:NoSchedule'],
    ['taint', 'node', 'nope', 'k=v:NoSchedule'],
    ['drain'],
    ['drain', 'nope'],
    ['autoscale', 'deploy', 'web'],
    ['autoscale', 'deploy', 'web', '--max=1', '--min=3'],
    ['autoscale', 'deploy', 'web', '--max=0'],
    ['autoscale', 'cm', 'cfg', '--max=3'],
    ['autoscale', 'deploy', 'nope', '--max=3'],
    ['autoscale', 'deploy', 'web', '--max=5', '--dry-run=client', '-o', 'yaml'],
    ['autoscale', 'deploy/web', '--min=2', '--max=5', '--cpu-percent=80', '--name=foo', '--dry-run=client', '-o', 'json'],
    ['auth'],
    ['auth', 'can-i'],
  ];
  for (const args of cases) {
    it(args.join(' '), async () => {
      const { real, ours } = await compareWithReal(serve.kubeconfig, serve.url, args);
      // Real kubectl lists a ConfigMap's keys (set env --from) in Go's random map order: compare those lines as a set.
      const lines = (out: string) => (args.some((a) => a.startsWith('--from=configmap')) ? out.split('\n').sort().join('\n') : out);
      expect({ ...ours, stdout: lines(ours.stdout) }).toEqual({ ...real, stdout: lines(real.stdout), stderr: real.stderr.replaceAll('kubectl.1.32 ', 'kubectl ') });
    }, 30_000);
  }

  const swap = (r: Run, from: string[], to: string[]) => {
    let { stdout, stderr } = r;
    from.forEach((f, i) => {
      stdout = stdout.replaceAll(f, to[i]);
      stderr = stderr.replaceAll(f, to[i]);
    });
    return { ...r, stdout, stderr };
  };

  const mutations: string[][] = [
    ['set', 'env', 'deploy/NAME', 'B=2'],
    ['set', 'env', 'deploy/NAME', 'B=2'],
    ['set', 'env', 'deploy/NAME', 'B=3', 'A-', '-c', 'side'],
    // One key: kubectl walks the data map in random order.
    ['set', 'env', 'deploy/NAME', '--from=cm/cfg', '--keys=my.key', '--prefix=P_'],
    ['set', 'env', 'deploy', 'NAME', 'C=1', '-o', 'jsonpath={.spec.template.spec.containers[*].env}'],
    ['set', 'env', 'deploy/NAME', 'B-', 'C-', '--dry-run=server'],
    ['set', 'env', 'deploy/NAME', 'B-'],
    ['set', 'resources', 'deploy/NAME', '--limits=cpu=200m,memory=512Mi', '--requests=cpu=100m'],
    ['set', 'resources', 'deploy/NAME', '--limits=cpu=200m,memory=512Mi', '--requests=cpu=100m'],
    ['set', 'resources', 'deploy/NAME', '-c', 'side', '--limits=cpu=2', '-o', 'name'],
    ['get', 'deploy', 'NAME', '-o', 'jsonpath={.spec.template.spec.containers[*].env} {.spec.template.spec.containers[*].resources}'],
  ];
  for (const args of mutations) {
    it(args.join(' '), async () => {
      const real = await serve.real(args.map((a) => a.replace('NAME', 'real-1')));
      const ours = await serve.ours(args.map((a) => a.replace('NAME', 'ours-1')));
      expect(swap(ours, ['ours-1'], ['real-1'])).toEqual(real);
    }, 30_000);
  }

  const nodeMutations: string[][] = [
    ['cordon', 'NODE'],
    ['cordon', 'NODE'],
    ['uncordon', 'node/NODE', '--dry-run=client'],
    ['uncordon', '-l', 'kubernetes.io/hostname=NODE'],
    ['uncordon', 'NODE'],
    ['taint', 'nodes', 'NODE', 'dedicated=special:NoSchedule'],
    ['taint', 'nodes', 'NODE', 'dedicated=special:NoSchedule'],
    ['taint', 'nodes', 'NODE', 'dedicated=other:NoSchedule', '--overwrite'],
    ['taint', 'node', 'NODE', 'bar:NoSchedule', 'x=1:PreferNoSchedule'],
    ['taint', 'node', 'NODE', 'dedicated:NoSchedule-'],
    ['taint', 'node', 'NODE', 'dedicated:NoSchedule-'],
    ['taint', 'node', 'NODE', 'bar-', 'x-', 'z-'],
    ['taint', 'node', 'NODE', 'bar-', 'x-'],
    ['get', 'node', 'NODE', '-o', 'jsonpath={.spec.taints}'],
  ];
  for (const args of nodeMutations) {
    it(args.join(' '), async () => {
      const real = await serve.real(args.map((a) => a.replace('NODE', 'tabernetes-worker')));
      const ours = await serve.ours(args.map((a) => a.replace('NODE', 'tabernetes-worker2')));
      expect(swap(ours, ['tabernetes-worker2'], ['tabernetes-worker'])).toEqual(real);
    }, 30_000);
  }

  // Drain's pod lists come from the same node for both (dry runs and refusals change nothing but the cordon).
  const drains: string[][] = [
    ['drain', 'tabernetes-worker', '--ignore-daemonsets'],
    ['drain', 'tabernetes-worker', '--force', '--dry-run=client'],
    ['drain', 'tabernetes-worker2', '--dry-run=client'],
  ];
  for (const args of drains) {
    it(args.join(' '), async () => {
      const real = await serve.real(args);
      await serve.real(['uncordon', 'tabernetes-worker', 'tabernetes-worker2']);
      const ours = await serve.ours(args);
      await serve.real(['uncordon', 'tabernetes-worker', 'tabernetes-worker2']);
      expect(ours).toEqual(real);
    }, 30_000);
  }
});
