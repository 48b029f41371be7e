import { describe, expect, it } from 'vitest';
import type { Namespace, Node, Pod } from 'kubernetes-types/core/v1';
import { FakeClock, Namespaces, Nodes, Pods, rfc3339, seededIds, type KubeletApi, type StatsSummary } from '../../api';
import { ApiClient } from '../../client/api-client';
import { createMemoryStore } from '../../storage';
import { createApiServer } from '../../workers/apiserver';
import { captureKubectl } from '../testing/capture-kubectl';

/** An apiserver whose kubelet on node n1 reports `usage` per pod: [nanocores, bytes] (two containers split evenly). */
async function setup() {
  const clock = new FakeClock();
  const usage = new Map<string, [number, number]>();
  let client!: ApiClient;
  const kubelet: KubeletApi = {
    containerLogs: async () => '',
    async statsSummary(): Promise<StatsSummary> {
      const time = rfc3339(clock.now() - 1_000);
      const pods = (await client.list<Pod>(Pods)).items.filter((p) => usage.has(p.metadata!.name!)).map((p) => {
        const [cpu, mem] = usage.get(p.metadata!.name!)!;
        const half = (c: string) => ({ name: c, cpu: { time, usageNanoCores: cpu / 2, usageCoreNanoSeconds: 0, windowMs: 10_500 }, memory: { time, workingSetBytes: mem / 2, usageBytes: mem / 2 } });
        return { podRef: { name: p.metadata!.name!, namespace: p.metadata!.namespace!, uid: p.metadata!.uid! }, containers: [half('app'), half('sidecar')], cpu: { time, usageCoreNanoSeconds: 0 }, memory: { time, workingSetBytes: mem, usageBytes: mem } };
      });
      return { node: { nodeName: 'n1', cpu: { time, usageNanoCores: 500_000_000, usageCoreNanoSeconds: 0, windowMs: 10_500 }, memory: { time, workingSetBytes: 1 << 30, usageBytes: 1 << 30 } }, pods };
    },
  };
  const api = await createApiServer({ store: createMemoryStore({ clock }), clock, ids: seededIds(5), dialNode: (n) => (n === 'n1' ? kubelet : undefined) });
  client = new ApiClient(api);
  for (const name of ['n1', 'n2']) {
    const n = await client.create<Node>(Nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { zone: name === 'n1' ? 'a' : 'b' } } });
    await client.update(Nodes, { ...n, status: { allocatable: { cpu: '2', memory: '4Gi' }, capacity: { cpu: '4', memory: '8Gi' } } }, 'status');
  }
  const addPod = async (name: string, ns = 'default') => {
    const p = await client.create<Pod>(Pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app: name } }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x' }, { name: 'sidecar', image: 'x' }] } });
    await client.update(Pods, { ...p, status: { phase: 'Running' } }, 'status');
  };
  const run = async (line: string) => {
    return captureKubectl(line, { client, clock });
  };
  return { clock, client, api, usage, addPod, run };
}

describe('metrics.k8s.io', () => {
  it('serves PodMetrics and NodeMetrics as metrics-server formats them, with 404s in its words', async () => {
    const t = await setup();
    await t.addPod('web');
    t.usage.set('web', [250_000_000, 2 * 1310720]);
    const pm = await t.client.call<Record<string, unknown>>({ method: 'GET', path: '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/web' });
    expect(pm).toMatchObject({
      kind: 'PodMetrics', apiVersion: 'metrics.k8s.io/v1beta1',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      timestamp: rfc3339(t.clock.now() - 1_000), window: '10.5s',
      containers: [{ name: 'app', usage: { cpu: '125m', memory: '1280Ki' } }, { name: 'sidecar', usage: { cpu: '125m', memory: '1280Ki' } }],
    });
    const nodes = await t.client.call<{ kind: string; items: Array<{ metadata: { name: string; labels: object }; usage: object }> }>({ method: 'GET', path: '/apis/metrics.k8s.io/v1beta1/nodes', query: { labelSelector: 'zone=a' } });
    expect(nodes.kind).toBe('NodeMetricsList');
    expect(nodes.items.map((n) => [n.metadata.name, n.metadata.labels, n.usage])).toEqual([['n1', { zone: 'a' }, { cpu: '500m', memory: '1Gi' }]]);
    const missing = await t.api.request({ method: 'GET', path: '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope' });
    expect(missing.status).toBe(404);
    expect((missing.body as { message: string }).message).toBe('podmetrics.metrics.k8s.io "default/nope" not found');
    const node2 = await t.api.request({ method: 'GET', path: '/apis/metrics.k8s.io/v1beta1/nodes/n2' });
    expect((node2.body as { message: string }).message).toBe('nodemetrics.metrics.k8s.io "n2" not found');
  });

  it('is in discovery (kubectl api-resources)', async () => {
    const t = await setup();
    const r = await t.run('api-resources --api-group=metrics.k8s.io');
    expect(r.stdout).toBe('NAME    SHORTNAMES   APIVERSION               NAMESPACED   KIND\nnodes                metrics.k8s.io/v1beta1   false        NodeMetrics\npods                 metrics.k8s.io/v1beta1   true         PodMetrics\n');
  });
});

describe('kubectl top', () => {
  it('prints pods with kubectl’s columns, containers, namespaces, sums and sorting', async () => {
    const t = await setup();
    await t.addPod('web');
    await t.addPod('db');
    const other: Namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } };
    await t.client.create(Namespaces, other);
    await t.addPod('cache', 'other');
    t.usage.set('web', [250_000_000, 20 << 20]).set('db', [1_000_001, 300 << 20]).set('cache', [4_000_000, 8 << 20]);
    expect((await t.run('top pod')).stdout).toBe('NAME   CPU(cores)   MEMORY(bytes)   \ndb     2m           300Mi           \nweb    250m         20Mi            \n');
    expect((await t.run('top pods --sort-by=cpu --no-headers')).stdout).toBe('web   250m   20Mi    \ndb    2m     300Mi   \n');
    expect((await t.run('top pod -A')).stdout).toBe(
      'NAMESPACE   NAME    CPU(cores)   MEMORY(bytes)   \ndefault     db      2m           300Mi           \ndefault     web     250m         20Mi            \nother       cache   4m           8Mi             \n',
    );
    expect((await t.run('top pod web --containers')).stdout).toBe('POD   NAME      CPU(cores)   MEMORY(bytes)   \nweb   app       125m         10Mi            \nweb   sidecar   125m         10Mi            \n');
    expect((await t.run('top pod --sum')).stdout).toBe('NAME   CPU(cores)   MEMORY(bytes)   \ndb     2m           300Mi           \nweb    250m         20Mi            \n       ________     ________        \n       252m         320Mi           \n');
  });

  it('prints nodes with CPU(%) and MEMORY(%) of allocatable, and <unknown> for nodes without metrics', async () => {
    const t = await setup();
    expect((await t.run('top node')).stdout).toBe(
      'NAME   CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   \nn1     500m         25%         1024Mi          25%         \nn2     <unknown>    <unknown>   <unknown>       <unknown>   \n',
    );
    expect((await t.run('top node n1 --show-capacity --no-headers')).stdout).toBe('n1    500m   12%   1024Mi   12%   \n');
  });

  it('reports errors as kubectl does', async () => {
    const t = await setup();
    await t.addPod('web');
    expect(await t.run('top pod')).toMatchObject({ code: 1, stderr: 'error: metrics not available yet\n' });
    await t.clock.advance(3 * 60_000);
    expect((await t.run('top pod')).stderr).toBe('error: Metrics not available for pod default/web, age: 3m0s\n');
    expect((await t.run('top pod nope')).stderr).toBe('Error from server (NotFound): podmetrics.metrics.k8s.io "default/nope" not found\n');
    expect((await t.run('top pod -n empty')).stderr).toBe('No resources found in empty namespace.\n');
    expect((await t.run('top pod --sort-by=name')).stderr).toBe('error: --sort-by accepts only cpu or memory\n');
    expect((await t.run('top pod web -l app=web')).stderr).toBe('error: only one of NAME or selector can be provided\n');
  });
});
