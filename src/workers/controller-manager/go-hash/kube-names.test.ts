import { describe, expect, it } from 'vitest';
import type { ControllerRevision, ReplicaSet } from 'kubernetes-types/apps/v1';
import { ControllerRevisions, DaemonSets, Deployments, FakeClock, ReplicaSets, seededIds, StatefulSets } from '../../../api';
import { ApiClient } from '../../../client/api-client';
import { createMemoryStore } from '../../../storage';
import { createApiServer } from '../../apiserver';
import { startControllerManager } from '../controller-manager';
import { daemonSetController, deploymentController, statefulSetController } from '../controllers';
import goldens from './testdata/kube-1.32-goldens.json';

// The input side end to end: what our apiserver stores for `kubectl create deployment nginx --image nginx` (and the
// same template in a StatefulSet and a DaemonSet) must be what kube-apiserver stores, so the controllers name
// their objects as kube-controller-manager 1.32 does.
const nginx = (goldens as { name: string; raw: string; revHash: string; hash: string }[]).find((c) => c.name === 'nginx')!;
const template = { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', resources: {} }] } };
const selector = { matchLabels: { app: 'nginx' } };

describe('object names from a real apiserver round trip', () => {
  it('names the ReplicaSet nginx-5869d7778c and the revisions as kube does, with data.Raw byte-identical', async () => {
    const clock = new FakeClock();
    const api = await createApiServer({ store: createMemoryStore({ clock }), clock, ids: seededIds(7) });
    const admin = new ApiClient(api);
    const cm = startControllerManager({ client: new ApiClient(api), clock, ids: seededIds(9), controllers: [deploymentController(), statefulSetController(), daemonSetController()] });
    await cm.ready;
    await admin.create(Deployments, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nginx', namespace: 'default', labels: { app: 'nginx' } }, spec: { replicas: 1, selector, template } }, 'default');
    await admin.create(StatefulSets, { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' }, spec: { serviceName: 'web', replicas: 0, selector, template } }, 'default');
    await admin.create(DaemonSets, { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector, template } }, 'default');
    for (let i = 0; i < 10; i++) await clock.advance(10);

    const stored = (await admin.get(Deployments, 'nginx', 'default')) as { spec: { template: object } };
    expect(stored.spec.template).toEqual({ ...JSON.parse(nginx.raw).spec.template, $patch: undefined });
    const rss = (await admin.list<ReplicaSet>(ReplicaSets, 'default')).items;
    expect(rss.map((r) => r.metadata?.name)).toEqual(['nginx-5869d7778c']);
    expect(rss[0].metadata?.labels?.['pod-template-hash']).toBe('5869d7778c');

    const revs = (await admin.list<ControllerRevision>(ControllerRevisions, 'default')).items;
    const sts = revs.find((r) => r.metadata?.ownerReferences?.[0]?.kind === 'StatefulSet')!;
    const ds = revs.find((r) => r.metadata?.ownerReferences?.[0]?.kind === 'DaemonSet')!;
    // StatefulSet: HashControllerRevision(data.Raw, collisionCount 0); DaemonSet: ComputeHash(template, nil).
    expect(sts.metadata?.name).toBe(`web-${nginx.revHash}`);
    expect(sts.metadata?.labels).toEqual({ app: 'nginx', 'controller.kubernetes.io/hash': nginx.revHash });
    expect(ds.metadata?.name).toBe(`agent-${nginx.hash}`);
    expect(JSON.stringify(sts.data)).toBe(nginx.raw);
    expect(JSON.stringify(ds.data)).toBe(nginx.raw);
    cm.dispose();
  });
});
