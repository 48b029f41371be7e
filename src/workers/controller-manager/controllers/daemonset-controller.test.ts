import { describe, expect, it } from 'vitest';
import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { makeReady, startFakeManager } from '../testing/workload-fixtures';
import { targetNodeOf } from '../daemonset-util';
import { daemonSetController } from './daemonset-controller';

type Fake = Awaited<ReturnType<typeof startFakeManager>>;

function ds(o: { nodeSelector?: Record<string, string>; version?: string; rollingUpdate?: object; tolerations?: object[] } = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: o.rollingUpdate ?? { maxUnavailable: 1, maxSurge: 0 } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { nodeSelector: o.nodeSelector, tolerations: o.tolerations, containers: [{ name: 'c', image: 'docker.io/tabernetes/ticker', env: [{ name: 'V', value: o.version ?? '1' }] }] } },
    },
  };
}

const node = (name: string, labels: Record<string, string> = {}, taints: object[] = []) => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { taints } });
const dsOf = (f: Fake) => f.api.get('apps/daemonsets', 'default', 'agent') as unknown as DaemonSet;
const nodesOf = (f: Fake) => f.pods().map(targetNodeOf).sort();
/** The scheduler and kubelet stand-in: binds every pod to its target node and makes it Ready. */
async function bindAll(f: Fake) {
  await f.settle();
  for (const p of f.pods()) if (!p.spec?.nodeName) makeReady(f.api, p, targetNodeOf(p)!, f.clock.now());
  await f.settle();
}

describe('daemonset-controller', () => {
  it('runs one pod per eligible node, honouring nodeSelector and taints, with daemon tolerations and node affinity', async () => {
    const f = await startFakeManager([daemonSetController()]);
    f.api.put('nodes', node('n1', { disk: 'ssd' }));
    f.api.put('nodes', node('n2', { disk: 'ssd' }, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]));
    f.api.put('nodes', node('n3', { disk: 'ssd' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]));
    f.api.put('nodes', node('n4'));
    f.api.put('apps/daemonsets', ds({ nodeSelector: { disk: 'ssd' } }));
    await f.settle();
    expect(nodesOf(f)).toEqual(['n1', 'n3']); // n2's taint untolerated, n4 not selected; unschedulable is tolerated
    const p = f.pods()[0];
    expect(p.metadata?.generateName).toBe('agent-');
    expect(p.metadata?.labels).toEqual({ app: 'agent', 'controller-revision-hash': expect.stringMatching(/^[a-z0-9]+$/), 'pod-template-generation': '1' });
    expect(f.api.list('apps/controllerrevisions')[0]).toMatchObject({ metadata: { name: `agent-${p.metadata?.labels?.['controller-revision-hash']}`, labels: { app: 'agent', 'controller-revision-hash': p.metadata?.labels?.['controller-revision-hash'] } }, revision: 1 });
    expect(p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [targetNodeOf(p)] }] }]);
    expect(p.spec?.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
      { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
    ]);
    expect(f.events().filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message).sort()).toEqual(f.pods().map((x) => `Created pod: ${x.metadata?.name}`).sort());
    expect(dsOf(f).status).toEqual({ currentNumberScheduled: 2, numberMisscheduled: 0, desiredNumberScheduled: 2, numberReady: 0, numberUnavailable: 2, updatedNumberScheduled: 2, observedGeneration: 1 });
    await bindAll(f);
    expect(dsOf(f).status).toMatchObject({ desiredNumberScheduled: 2, numberReady: 2, numberAvailable: 2 });
    expect(dsOf(f).status?.numberUnavailable).toBeUndefined();
    // a new matching node gets a pod; a node losing the label loses its pod; a NoExecute taint evicts
    f.api.put('nodes', node('n4', { disk: 'ssd' }));
    await f.settle();
    expect(nodesOf(f)).toEqual(['n1', 'n3', 'n4']);
    f.api.put('nodes', node('n1'));
    f.api.put('nodes', node('n3', { disk: 'ssd' }, [{ key: 'evict', effect: 'NoExecute' }]));
    await f.settle();
    expect(nodesOf(f)).toEqual(['n4']);
    expect(f.events().filter((e) => e.reason === 'SuccessfulDelete')).toHaveLength(2);
    f.cm.dispose();
  });

  it('replaces failed pods and keeps one pod per node', async () => {
    const f = await startFakeManager([daemonSetController()]);
    f.api.put('nodes', node('n1'));
    f.api.put('apps/daemonsets', ds());
    await f.settle();
    const [p] = f.pods();
    f.api.put('pods', { ...(p as object), spec: { ...p.spec, nodeName: 'n1' }, status: { phase: 'Failed' } } as never);
    await f.settle();
    expect(f.events().find((e) => e.reason === 'FailedDaemonPod')).toMatchObject({ type: 'Warning', message: `Found failed daemon pod default/${p.metadata?.name} on node n1, will try to kill it` });
    expect(f.pods()).toHaveLength(1);
    expect(f.pods()[0].metadata?.name).not.toBe(p.metadata?.name);
    expect(f.api.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pods'))).toHaveLength(2);
    f.cm.dispose();
  });

  it('rolls out a new template one node at a time (maxUnavailable 1)', async () => {
    const f = await startFakeManager([daemonSetController()]);
    for (const n of ['n1', 'n2', 'n3']) f.api.put('nodes', node(n));
    f.api.put('apps/daemonsets', ds());
    await bindAll(f);
    const oldHash = f.pods()[0].metadata?.labels?.['controller-revision-hash'];
    f.api.put('apps/daemonsets', { ...dsOf(f), spec: { ...dsOf(f).spec, template: ds({ version: '2' }).spec.template } } as never);
    await f.settle();
    const counts = () => {
      const ps = f.pods() as Pod[];
      return { old: ps.filter((p) => p.metadata?.labels?.['controller-revision-hash'] === oldHash).length, fresh: ps.filter((p) => p.metadata?.labels?.['controller-revision-hash'] !== oldHash).length };
    };
    expect(counts()).toEqual({ old: 2, fresh: 1 }); // one old pod deleted, its replacement created, waiting for it
    await bindAll(f);
    expect(counts()).toEqual({ old: 1, fresh: 2 });
    await bindAll(f);
    await bindAll(f);
    expect(counts()).toEqual({ old: 0, fresh: 3 });
    expect(dsOf(f).status).toMatchObject({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, observedGeneration: 2 });
    expect(f.api.list('apps/controllerrevisions').map((r) => r.revision).sort()).toEqual([1, 2]);
    f.cm.dispose();
  });

  it('surges a new pod beside the old one before deleting it (maxSurge 1, maxUnavailable 0)', async () => {
    const f = await startFakeManager([daemonSetController()]);
    for (const n of ['n1', 'n2']) f.api.put('nodes', node(n));
    f.api.put('apps/daemonsets', ds({ rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } }));
    await bindAll(f);
    f.api.put('apps/daemonsets', { ...dsOf(f), spec: { ...dsOf(f).spec, template: ds({ version: '2' }).spec.template } } as never);
    await f.settle();
    expect(f.pods()).toHaveLength(3); // one node has old + new
    await bindAll(f);
    await bindAll(f);
    await bindAll(f);
    expect(f.pods()).toHaveLength(2);
    expect(nodesOf(f)).toEqual(['n1', 'n2']);
    expect(dsOf(f).status).toMatchObject({ updatedNumberScheduled: 2, numberAvailable: 2 });
    f.cm.dispose();
  });
});
