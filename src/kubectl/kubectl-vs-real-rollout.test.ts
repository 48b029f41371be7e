// kubectl rollout status|history|undo|restart for StatefulSets and DaemonSets (ControllerRevisions) against
// the real kubectl 1.32 on the same `npm run serve` cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_KUBECTL, ServeFixture, until } from '../../test/serve-helpers';

const WORKLOADS = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec:
  selector: {matchLabels: {app: ds}}
  template:
    metadata: {labels: {app: ds}}
    spec:
      tolerations: [{operator: Exists}]
      containers: [{name: c, image: registry.k8s.io/pause:3.10}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: sts}
spec:
  replicas: 2
  serviceName: sts
  selector: {matchLabels: {app: sts}}
  template:
    metadata: {labels: {app: sts}}
    spec:
      containers: [{name: c, image: registry.k8s.io/pause:3.10}]
`;

const serve = new ServeFixture('tabernetes-rollout-', { apply: WORKLOADS });

describe.skipIf(!REAL_KUBECTL)('kubectl rollout for StatefulSets and DaemonSets matches kubectl 1.32', () => {
  const both = async (args: string[]) => {
    const [real, ours] = await Promise.all([serve.real(args), serve.ours(args)]);
    return { real, ours };
  };
  const settled = (what: string) =>
    until(async () => (await serve.ours(['rollout', 'status', what, '--watch=false'])).stdout.match(/successfully rolled out|rolling update complete|roll out complete/), `${what} rolled out`, 60_000);

  beforeAll(async () => {
    await serve.start();
    await settled('ds/ds');
    await until(async () => (await serve.ours(['get', 'sts', 'sts', '-o', 'jsonpath={.status.readyReplicas}'])).stdout === '2', 'sts ready', 60_000);
    for (const w of ['ds/ds', 'sts/sts']) {
      await serve.ours(['annotate', w, 'kubernetes.io/change-cause=second']);
      expect((await serve.ours(['set', 'image', w, 'c=registry.k8s.io/pause:3.9'])).code).toBe(0);
    }
    await settled('ds/ds');
    await until(async () => (await serve.ours(['get', 'controllerrevisions', '-o', 'name'])).stdout.split('\n').filter(Boolean).length >= 4, 'revisions', 30_000);
  }, 180_000);

  afterAll(() => serve.stop());

  for (const args of [
    ['rollout', 'history', 'ds/ds'],
    ['rollout', 'history', 'statefulset/sts'],
    ['rollout', 'status', 'ds/ds', '--watch=false'],
    ['rollout', 'undo', 'ds/ds', '--to-revision=7'],
    ['rollout', 'undo', 'sts/sts', '--to-revision=2'],
    ['rollout', 'status', 'cm/kube-root-ca.crt'],
    ['rollout', 'history', 'cm/kube-root-ca.crt'],
    ['rollout', 'undo', 'cm/kube-root-ca.crt'],
    ['rollout', 'restart', 'cm/kube-root-ca.crt'],
  ]) {
    it(args.join(' '), async () => {
      const { real, ours } = await both(args);
      expect(ours).toEqual(real);
    }, 60_000);
  }

  it('undo rolls a DaemonSet (ours) and a StatefulSet (real) back to revision 1 with the same words', async () => {
    const ours = await serve.ours(['rollout', 'undo', 'ds/ds']);
    const real = await serve.real(['rollout', 'undo', 'sts/sts']);
    expect(ours).toEqual({ code: 0, stdout: 'daemonset.apps/ds rolled back\n', stderr: '' });
    expect(real).toEqual({ code: 0, stdout: 'statefulset.apps/sts rolled back\n', stderr: '' });
    const image = await serve.ours(['get', 'ds', 'ds', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
    expect(image.stdout).toBe('registry.k8s.io/pause:3.10');
    await until(async () => (await serve.ours(['get', 'controllerrevisions', '-o', 'name'])).stdout.includes('ds-'), 'revisions', 30_000);
    const again = await both(['rollout', 'undo', 'ds/ds', '--to-revision=3']);
    expect(again.ours).toEqual(again.real);
    const restart = await serve.ours(['rollout', 'restart', 'sts/sts']);
    expect(restart).toEqual({ code: 0, stdout: 'statefulset.apps/sts restarted\n', stderr: '' });
  }, 60_000);
});
