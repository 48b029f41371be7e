// kubectl set serviceaccount|subject against the real kubectl 1.32 on the same `npm run serve` cluster:
// each runs on its own copy of the objects, then the outputs and the resulting objects are compared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { itMatchesRealPerNamespace, REAL_KUBECTL, ServeFixture, twinNamespaces } from '../../test/serve-helpers';
import { webDeployment } from './testing/web-deployment';

const objects = (ns: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
${webDeployment(ns, 0, '{containers: [{name: c, image: busybox}]}')}---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: ${ns}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
`;

const serve = new ServeFixture('tabernetes-set-', { apply: twinNamespaces(objects) });

describe.skipIf(!REAL_KUBECTL)('kubectl set serviceaccount|subject match kubectl 1.32', () => {
  beforeAll(() => serve.start(), 120_000);
  afterAll(() => serve.stop());

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
  itMatchesRealPerNamespace(serve, cases);

  it('leaves the same objects behind', async () => {
    for (const what of [['deploy', 'web', '-o', 'jsonpath={.spec.template.spec}'], ['rolebinding', 'rb', '-o', 'jsonpath={.subjects}']]) {
      const real = await serve.ours(['get', ...what, '-n', 'real']);
      const ours = await serve.ours(['get', ...what, '-n', 'ours']);
      expect(ours.stdout.replaceAll('ours', 'real')).toBe(real.stdout);
    }
  });
});
