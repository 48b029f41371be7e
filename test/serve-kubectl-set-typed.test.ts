// `kubectl set image|env|resources`, `label`, `annotate` and `scale` with -o json|yaml on ReplicaSets,
// StatefulSets, DaemonSets and Pods against the real kubectl 1.32 on the same `npm run serve`: the set commands
// print the typed struct kubectl decodes the answer into (Go struct order, unset non-omitempty fields), the others
// the unstructured object. Real kubectl works in namespace real, ours in ours; the workloads never run a pod
// (replicas 0, an unmatched nodeSelector), so their status settles before the first command. Server dry runs
// first, then the real changes, so both namespaces stay alike.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_KUBECTL, ServeFixture, twinNamespaces, until } from './serve-helpers';
import { twinRuns } from '../src/kubectl/testing/twin-runs';

const template = (app: string) => `
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec:
      nodeSelector: {disk: none}
      containers: [{name: c, image: busybox, env: [{name: A, value: "1"}], resources: {limits: {cpu: 100m}}}]`;

const objects = (ns: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs, namespace: ${ns}, labels: {app: rs}}
spec:
  replicas: 0${template('rs')}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: sts, namespace: ${ns}}
spec:
  replicas: 0
  serviceName: sts${template('sts')}
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds, namespace: ${ns}}
spec:${template('ds')}
---
apiVersion: v1
kind: Pod
metadata: {name: pod, namespace: ${ns}, labels: {app: pod}}
spec:
  nodeSelector: {disk: none}
  containers: [{name: c, image: busybox, resources: {limits: {cpu: 100m}}}]
`;

const serve = new ServeFixture('tabernetes-set-typed-', { apply: twinNamespaces(objects) });

const KINDS = ['rs/rs', 'sts/sts', 'ds/ds', 'pod/pod'];

describe.skipIf(!REAL_KUBECTL)('kubectl set|label|annotate|scale -o json|yaml match kubectl 1.32 on rs, sts, ds and pods', () => {
  beforeAll(async () => {
    await serve.start();
    for (const ns of ['real', 'ours']) {
      const jp = async (what: string, path: string) => (await serve.ours(['get', what, '-n', ns, '-o', `jsonpath=${path}`])).stdout;
      await until(async () => (await jp('pod/pod', '{.status.conditions[0].reason}')) === 'Unschedulable', `${ns} pod unschedulable`, 30_000);
      for (const w of ['rs/rs', 'sts/sts', 'ds/ds']) await until(async () => (await jp(w, '{.status.observedGeneration}')) === '1', `${ns} ${w} observed`, 30_000);
    }
  }, 120_000);
  afterAll(() => serve.stop());

  const cases: string[][] = [];
  for (const w of KINDS) {
    cases.push(
      ['set', 'image', w, 'c=nginx:1', '--dry-run=server', '-o', 'json'],
      ['set', 'image', w, 'c=nginx:1', '--dry-run=client', '-o', 'yaml'],
      ['set', 'env', w, 'B=2', '--dry-run=server', '-o', 'json'],
      ['set', 'env', w, 'B=2', '--dry-run=client', '-o', 'json'],
      ['set', 'resources', w, '--limits=cpu=200m', '--dry-run=server', '-o', 'json'],
      ['label', w, 'x=y', '--dry-run=server', '-o', 'json'],
      ['annotate', w, 'x=y', '--dry-run=client', '-o', 'json'],
    );
    if (w !== 'pod/pod' && w !== 'ds/ds') cases.push(['scale', w, '--replicas=0', '--dry-run=server', '-o', 'json']);
  }
  for (const w of KINDS) cases.push(['set', 'image', w, 'c=nginx:2', '-o', 'json']);
  for (const w of KINDS) cases.push(['label', w, 'l=v', '-o', 'yaml']);
  // scale prints the object as read before scaling (replicas still 0)
  cases.push(['scale', 'rs/rs', '--replicas=1', '-o', 'json'], ['scale', 'sts/sts', '--replicas=1', '-o', 'yaml']);

  for (const args of cases) {
    it(args.join(' '), async () => {
      const { real, ours } = await twinRuns(serve, args);
      expect(ours).toEqual(real);
    }, 30_000);
  }
});
