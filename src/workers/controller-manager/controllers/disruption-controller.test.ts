import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import { rfc3339 } from '../../../api';
import { makeReady, startFakeManager } from '../testing/workload-fixtures';
import { disruptionController } from './disruption-controller';

type Fake = Awaited<ReturnType<typeof startFakeManager>>;
const pdbOf = (f: Fake, name = 'web') => f.api.get('policy/poddisruptionbudgets', 'default', name) as unknown as PodDisruptionBudget;
const budget = (name: string, spec: object) => ({ metadata: { name, namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, ...spec } });

/** A Deployment web (replicas 4) → ReplicaSet → 3 pods, 2 of them Ready; plus an orphan pod "stray" when asked. */
function workload(f: Fake) {
  const d = f.api.put('apps/deployments', { metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 4 } });
  const rs = f.api.put('apps/replicasets', { metadata: { name: 'web-1', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true }] }, spec: { replicas: 4 } });
  for (let i = 0; i < 3; i++) {
    const p = f.api.put('pods', { metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: rs.metadata.uid, controller: true }] }, spec: {} });
    if (i < 2) makeReady(f.api, p as unknown as Pod, 'n1', f.clock.now());
  }
}

describe('disruption-controller', () => {
  it('computes status for an integer minAvailable from the matching pods', async () => {
    const f = await startFakeManager([disruptionController()]);
    workload(f);
    f.api.put('policy/poddisruptionbudgets', budget('web', { minAvailable: 1 }));
    await f.settle();
    expect(pdbOf(f).status).toEqual({
      observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 3,
      conditions: [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 1, lastTransitionTime: expect.any(String) }],
    });
    f.api.put('policy/poddisruptionbudgets', { ...pdbOf(f), spec: { ...pdbOf(f).spec, minAvailable: 2 } } as never);
    await f.settle();
    expect(pdbOf(f).status).toMatchObject({ observedGeneration: 2, disruptionsAllowed: 0, conditions: [{ status: 'False', reason: 'InsufficientPods' }] });
    f.cm.dispose();
  });

  it('uses the controllers’ scale for maxUnavailable and percentages (Deployment via its ReplicaSet)', async () => {
    const f = await startFakeManager([disruptionController()]);
    workload(f);
    f.api.put('policy/poddisruptionbudgets', budget('web', { maxUnavailable: 1 }));
    f.api.put('policy/poddisruptionbudgets', budget('half', { minAvailable: '50%' }));
    await f.settle();
    expect(pdbOf(f).status).toMatchObject({ expectedPods: 4, desiredHealthy: 3, currentHealthy: 2, disruptionsAllowed: 0 });
    expect(pdbOf(f, 'half').status).toMatchObject({ expectedPods: 4, desiredHealthy: 2, currentHealthy: 2, disruptionsAllowed: 0 });
    // an evicted pod listed in disruptedPods does not count until DeletionTimeout passes
    const ready = f.pods().filter((p) => p.status?.phase === 'Running');
    makeReady(f.api, f.pods().find((p) => p.metadata?.name === 'web-2')!, 'n1', f.clock.now());
    await f.settle();
    expect(pdbOf(f, 'half').status).toMatchObject({ currentHealthy: 3, disruptionsAllowed: 1 });
    f.api.put('policy/poddisruptionbudgets', { ...pdbOf(f, 'half'), status: { ...pdbOf(f, 'half').status, disruptedPods: { [ready[0].metadata!.name!]: rfc3339(f.clock.now()) } } } as never);
    await f.settle();
    expect(pdbOf(f, 'half').status).toMatchObject({ currentHealthy: 2, disruptionsAllowed: 0 });
    await f.clock.advance(2 * 60_000 + 10);
    await f.settle();
    expect(pdbOf(f, 'half').status).toMatchObject({ currentHealthy: 3, disruptionsAllowed: 1 });
    expect(pdbOf(f, 'half').status?.disruptedPods).toBeUndefined();
    f.cm.dispose();
  });

  it('fails safe with SyncFailed when a pod has no controller, and reports NoPods', async () => {
    const f = await startFakeManager([disruptionController()]);
    f.api.put('pods', { metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } }, spec: {} });
    f.api.put('policy/poddisruptionbudgets', budget('web', { maxUnavailable: '25%' }));
    f.api.put('policy/poddisruptionbudgets', { metadata: { name: 'none', namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'nothing' } } } });
    await f.settle();
    expect(pdbOf(f).status).toMatchObject({ disruptionsAllowed: 0, conditions: [{ type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message: 'found no controllers for pod "stray"' }] });
    const evs = f.events();
    expect(evs.find((e) => e.reason === 'NoControllers')).toMatchObject({ type: 'Warning', message: 'found no controllers for pod "stray"' });
    expect(evs.find((e) => e.reason === 'CalculateExpectedPodCountFailed')).toMatchObject({ type: 'Warning', message: 'Failed to calculate the number of expected pods: found no controllers for pod "stray"' });
    expect(evs.find((e) => e.reason === 'NoPods')).toMatchObject({ type: 'Normal', message: 'No matching pods found', involvedObject: { name: 'none' } });
    expect(pdbOf(f, 'none').status).toMatchObject({ expectedPods: 0, currentHealthy: 0, desiredHealthy: 1, disruptionsAllowed: 0 });
    f.cm.dispose();
  });
});
