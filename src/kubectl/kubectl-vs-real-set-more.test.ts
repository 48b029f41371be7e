// kubectl set serviceaccount|subject against the real kubectl 1.32 on the same `npm run serve` cluster:
// each runs on its own copy of the objects, then the outputs and the resulting objects are compared.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type Serving } from '../node/start-serve';
import { ourKubectl, REAL_KUBECTL, realKubectl } from '../../test/serve-helpers';

const objects = (ns: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: ${ns}}
spec:
  replicas: 0
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: busybox}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: ${ns}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
`;

let serving: Serving;
let dir: string;
let kubeconfig: string;

describe.skipIf(!REAL_KUBECTL)('kubectl set serviceaccount|subject match kubectl 1.32', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tabernetes-set-'));
    kubeconfig = join(dir, 'kubeconfig');
    serving = await startServe({ port: 0, kubeconfig });
    for (const ns of ['real', 'ours']) expect((await ourKubectl(serving.url, ['apply', '-f', '-'], objects(ns))).stderr).toBe('');
  }, 120_000);
  afterAll(async () => {
    await serving?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const cases = [
    ['set', 'serviceaccount', 'deployment', 'web', 'robot'],
    ['set', 'sa', 'deploy/web', 'robot'],
    ['set', 'serviceaccount', 'deploy/web', 'robot2', '--dry-run=client', '-o', 'jsonpath={.spec.template.spec.serviceAccountName}'],
    ['set', 'serviceaccount', 'rolebinding/rb', 'robot'],
    ['set', 'subject', 'rolebinding', 'rb', '--user=bob', '--group=devs', '--serviceaccount=NS:builder'],
    ['set', 'subject', 'rolebinding/rb', '--user=alice'],
    ['set', 'subject', 'rolebinding/rb'],
    ['set', 'subject', 'deploy/web', '--user=x'],
  ];
  for (const args of cases) {
    it(args.join(' '), async () => {
      const real = await realKubectl(kubeconfig, [...args.map((a) => a.replace('NS', 'real')), '-n', 'real']);
      const ours = await ourKubectl(serving.url, [...args.map((a) => a.replace('NS', 'ours')), '-n', 'ours']);
      expect(ours).toEqual(real);
    }, 30_000);
  }

  it('leaves the same objects behind', async () => {
    for (const what of [['deploy', 'web', '-o', 'jsonpath={.spec.template.spec}'], ['rolebinding', 'rb', '-o', 'jsonpath={.subjects}']]) {
      const real = await ourKubectl(serving.url, ['get', ...what, '-n', 'real']);
      const ours = await ourKubectl(serving.url, ['get', ...what, '-n', 'ours']);
      expect(ours.stdout.replaceAll('ours', 'real')).toBe(real.stdout);
    }
  });
});
