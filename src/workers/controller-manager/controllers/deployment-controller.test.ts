import { describe, expect, it } from 'vitest';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import { computeHash, equalIgnoreHash, fenceposts } from '../deployment-util';
import { podTemplateForHash } from '../go-hash';
import { deployment, readyPods, startFakeManager } from '../testing/workload-fixtures';
import { deploymentController } from './deployment-controller';
import { replicaSetController } from './replicaset-controller';

async function setup() {
  const f = await startFakeManager([replicaSetController(), deploymentController()]);
  const dep = (name = 'web') => f.api.get('apps/deployments', 'default', name) as unknown as Deployment;
  const rss = () => (f.api.list('apps/replicasets') as unknown as ReplicaSet[]).sort((a, b) => Number(a.metadata?.annotations?.['deployment.kubernetes.io/revision']) - Number(b.metadata?.annotations?.['deployment.kubernetes.io/revision']));
  const scaling = () => f.events().filter((e) => e.reason === 'ScalingReplicaSet').map((e) => e.message);
  const update = (d: object) => f.api.put('apps/deployments', { ...dep(), spec: { ...dep().spec, ...d } } as never);
  const readyCount = () => f.pods().filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !p.metadata?.deletionTimestamp).length;
  return { ...f, dep, rss, scaling, update, readyCount };
}

describe('deployment-controller', () => {
  it('creates a hashed ReplicaSet, scales it up, and reports Available/Progressing status', async () => {
    const t = await setup();
    t.api.put('apps/deployments', deployment('web', 3));
    await t.settle();
    const [rs] = t.rss();
    const hash = rs.metadata?.labels?.['pod-template-hash'];
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs.metadata?.name).toBe(`web-${hash}`);
    expect(rs.spec?.replicas).toBe(3);
    expect(rs.spec?.selector?.matchLabels).toEqual({ app: 'web', 'pod-template-hash': hash });
    expect(rs.metadata?.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' });
    expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true, blockOwnerDeletion: true });
    expect(t.dep().metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(t.scaling()).toEqual([`Scaled up replica set web-${hash} to 3`]);
    expect(t.pods().every((p) => p.metadata?.labels?.['pod-template-hash'] === hash)).toBe(true);
    readyPods(t.api, t.clock.now());
    await t.settle();
    const st = t.dep().status!;
    expect({ ...st, conditions: undefined }).toEqual({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: undefined });
    expect(st.conditions?.map((c) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
      ['Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "web-${hash}" has successfully progressed.`],
    ]);
    t.cm.dispose();
  });

  it('rolls out with maxUnavailable 0 without dropping below the desired ready count', async () => {
    const t = await setup();
    t.api.put('apps/deployments', deployment('web', 3, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
    await t.settle();
    readyPods(t.api, t.clock.now());
    await t.settle();
    const oldHash = t.rss()[0].metadata?.labels?.['pod-template-hash'];
    t.update({ template: deployment('web', 3, { version: '2' }).spec.template });
    let minReady = Infinity;
    for (let i = 0; i < 20; i++) {
      await t.settle();
      minReady = Math.min(minReady, t.readyCount());
      readyPods(t.api, t.clock.now());
    }
    expect(minReady).toBeGreaterThanOrEqual(3);
    const [old, cur] = t.rss();
    expect(old.metadata?.labels?.['pod-template-hash']).toBe(oldHash);
    expect([old.spec?.replicas, cur.spec?.replicas]).toEqual([0, 3]);
    expect(cur.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(t.dep().metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    expect(t.scaling()).toContain(`Scaled down replica set ${old.metadata?.name} to 2 from 3`);
    expect(t.scaling()).toContain(`Scaled up replica set ${cur.metadata?.name} to 1`);
    expect(t.pods().every((p) => p.metadata?.labels?.['pod-template-hash'] === cur.metadata?.labels?.['pod-template-hash'])).toBe(true);
    expect(t.dep().status).toMatchObject({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 });
    t.cm.dispose();
  });

  it('hashes templates stably (key order irrelevant), salted by collisionCount, in the SafeEncodeString alphabet', () => {
    const a = { metadata: { labels: { app: 'web', tier: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    const b = { spec: { containers: [{ image: 'i', name: 'c' }] }, metadata: { labels: { tier: 'x', app: 'web' } } };
    expect(computeHash(a)).toBe(computeHash(b));
    expect(computeHash(a)).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computeHash(a, 1)).not.toBe(computeHash(a));
    expect(computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'j' }] } })).not.toBe(computeHash(a));
    expect(equalIgnoreHash({ metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } } }, { metadata: { labels: { app: 'web' } } })).toBe(true);
  });

  it('salts with collisionCount as kube does: 8 bytes (uint32 little-endian, then zeros), SafeEncodeString of the decimal', () => {
    const fnv = (bytes: number[]) => bytes.reduce((h, b) => Math.imul(h ^ b, 0x01000193) >>> 0, 0x811c9dc5);
    const encode = (n: number) => [...String(n)].map((c) => 'bcdfghjklmnpqrstvwxz2456789'[c.charCodeAt(0) % 27]).join('');
    const body = [...new TextEncoder().encode(podTemplateForHash(undefined))];
    expect(computeHash(undefined)).toBe(encode(fnv(body)));
    expect(computeHash(undefined, 258)).toBe(encode(fnv([...body, 2, 1, 0, 0, 0, 0, 0, 0])));
    expect(computeHash(undefined, 258)).not.toBe(encode(fnv([...body, 2, 1, 0, 0])));
  });

  it('resolves percentages as Kubernetes does: surge rounds up, unavailable down, never both zero', () => {
    const d = (replicas: number, maxSurge: number | string, maxUnavailable: number | string) => ({ spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable } } } }) as Deployment;
    expect(fenceposts(d(10, '25%', '25%'))).toEqual({ surge: 3, unavailable: 2 });
    expect(fenceposts(d(3, '25%', '25%'))).toEqual({ surge: 1, unavailable: 0 });
    expect(fenceposts(d(3, 0, '10%'))).toEqual({ surge: 0, unavailable: 1 });
    expect(fenceposts({ spec: { replicas: 4 } } as Deployment)).toEqual({ surge: 1, unavailable: 1 });
  });

  it('Recreate scales the old ReplicaSet to zero and waits for its pods before creating the new one', async () => {
    const t = await setup();
    t.api.put('apps/deployments', deployment('web', 2, { strategy: { type: 'Recreate' } }));
    await t.settle();
    readyPods(t.api, t.clock.now());
    await t.settle();
    t.update({ template: deployment('web', 2, { version: '2' }).spec.template });
    await t.settle();
    const all = t.rss();
    expect(all.map((r) => r.spec?.replicas)).toEqual([0, 2]);
    const msgs = t.scaling();
    expect(msgs.indexOf(`Scaled down replica set ${all[0].metadata?.name} to 0 from 2`)).toBeLessThan(msgs.indexOf(`Scaled up replica set ${all[1].metadata?.name} to 2`));
    t.cm.dispose();
  });

  it('pause holds template changes (DeploymentPaused); resume rolls them out (DeploymentResumed)', async () => {
    const t = await setup();
    t.api.put('apps/deployments', deployment('web', 2));
    await t.settle();
    t.update({ paused: true, template: deployment('web', 2, { version: '2' }).spec.template });
    await t.settle();
    expect(t.rss()).toHaveLength(1);
    const prog = () => t.dep().status?.conditions?.find((c) => c.type === 'Progressing');
    expect(prog()).toMatchObject({ status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' });
    t.update({ paused: false });
    await t.settle();
    expect(t.rss()).toHaveLength(2);
    expect(t.events().some((e) => e.reason === 'ScalingReplicaSet' && /^Scaled up replica set web-\w+ to 1$/.test(e.message))).toBe(true);
    t.cm.dispose();
  });

  it('rolls back by template: the old ReplicaSet becomes new again under the next revision', async () => {
    const t = await setup();
    t.api.put('apps/deployments', deployment('web', 2));
    const converge = async () => {
      for (let i = 0; i < 6; i++) {
        readyPods(t.api, t.clock.now());
        await t.settle();
      }
    };
    await converge();
    const first = t.rss()[0];
    t.update({ template: deployment('web', 2, { version: '2' }).spec.template });
    await converge();
    t.update({ template: first.spec?.template && deployment('web', 2).spec.template });
    await converge();
    const all = t.rss();
    expect(all).toHaveLength(2);
    const cur = all.find((r) => r.metadata?.uid === first.metadata?.uid)!;
    expect(cur.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(cur.spec?.replicas).toBe(2);
    expect(all.find((r) => r !== cur)?.spec?.replicas).toBe(0);
    expect(t.dep().metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    t.cm.dispose();
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    const t = await setup();
    t.api.put('apps/deployments', deployment('web', 1, { revisionHistoryLimit: 1 }));
    for (const v of ['2', '3', '4']) {
      await t.settle();
      for (let i = 0; i < 6; i++) {
        readyPods(t.api, t.clock.now());
        await t.settle();
      }
      t.update({ template: deployment('web', 1, { version: v }).spec.template });
    }
    for (let i = 0; i < 8; i++) {
      readyPods(t.api, t.clock.now());
      await t.settle();
    }
    expect(t.rss().map((r) => r.metadata?.annotations?.['deployment.kubernetes.io/revision'])).toEqual(['3', '4']);
    t.cm.dispose();
  });

  it('reports ProgressDeadlineExceeded when the rollout makes no progress for progressDeadlineSeconds', async () => {
    const t = await setup();
    t.api.put('apps/deployments', deployment('web', 2, { progressDeadlineSeconds: 10 }));
    await t.settle();
    const prog = () => t.dep().status?.conditions?.find((c) => c.type === 'Progressing');
    expect(prog()).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${t.rss()[0].metadata?.name}" is progressing.` });
    expect(t.dep().status?.conditions?.find((c) => c.type === 'Available')).toMatchObject({ status: 'False', reason: 'MinimumReplicasUnavailable' });
    await t.clock.advance(12_000);
    await t.settle();
    expect(prog()).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${t.rss()[0].metadata?.name}" has timed out progressing.` });
    t.cm.dispose();
  });

  it('scales proportionally to max-replicas during a rollout', async () => {
    const t = await setup();
    t.api.put('apps/deployments', deployment('web', 10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await t.settle();
    readyPods(t.api, t.clock.now());
    await t.settle();
    const oldHash = t.rss()[0].metadata?.labels?.['pod-template-hash'];
    t.update({ template: deployment('web', 10, { version: '2' }).spec.template });
    for (let i = 0; i < 4; i++) await t.settle(); // new pods never become ready
    expect(t.rss().map((r) => r.spec?.replicas)).toEqual([8, 5]); // surge 3 above 10, 2 unavailable allowed
    t.update({ replicas: 15 });
    await t.settle();
    const [old, cur] = t.rss();
    expect(old.metadata?.labels?.['pod-template-hash']).toBe(oldHash);
    expect(t.scaling()).toContain(`Scaled up replica set ${old.metadata?.name} to 11 from 8`);
    expect(t.scaling()).toContain(`Scaled up replica set ${cur.metadata?.name} to 7 from 5`);
    t.cm.dispose();
  });
});
