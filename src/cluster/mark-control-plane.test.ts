import { afterEach, describe, expect, it } from 'vitest';
import type { Node } from 'kubernetes-types/core/v1';
import { FakeClock, seededIds } from '../api';
import { Nodes } from '../api/resources';
import { ApiError } from '../api/status';
import { ApiClient } from '../client/api-client';
import { createMemoryStore } from '../storage';
import { createApiServer, type ApiServer } from '../workers/apiserver';
import { authenticatedAs, nodeUser } from '../workers/apiserver/authz';
import { CONTROL_PLANE_TAINT, startKubelet, type Kubelet } from '../workers/kubelet';
import { FakeRuntime, memoryDisk } from '../workers/kubelet/testing/fake-runtime';
import { CONTROL_PLANE_LABELS, markControlPlane } from './mark-control-plane';

const CP = 'x-control-plane';
let running: { kubelet?: Kubelet; runtime: FakeRuntime } | undefined;
afterEach(() => {
  running?.kubelet?.dispose();
  running?.runtime.close();
  running = undefined;
});

async function cluster(): Promise<{ api: ApiServer; admin: ApiClient; kubelet: (opts: { labels?: Record<string, string>; taints?: typeof CONTROL_PLANE_TAINT[] }) => Promise<Kubelet> }> {
  const clock = new FakeClock();
  const api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(5) });
  const admin = new ApiClient(api, 'kubeadm/v1.32.0 (test)');
  const kubelet = async (opts: { labels?: Record<string, string>; taints?: typeof CONTROL_PLANE_TAINT[] }) => {
    const disk = memoryDisk();
    running = { runtime: new FakeRuntime(clock, disk) };
    const client = new ApiClient(authenticatedAs(api, nodeUser(CP)), 'kubelet/v1.32.0 (test)');
    running.kubelet = await startKubelet({ nodeName: CP, client, runtime: running.runtime, disk, clock, ids: seededIds(9), ...opts, taints: opts.taints?.map((t) => ({ ...t })) });
    return running.kubelet;
  };
  return { api, admin, kubelet };
}

describe('control-plane Node: registered by the kubelet, labelled by the admin (kubeadm mark-control-plane)', () => {
  it('refuses a kubelet registering its Node with node-role.kubernetes.io/control-plane (NodeRestriction, no exemption)', async () => {
    const { admin, kubelet } = await cluster();
    const err = await kubelet({ labels: { 'node-role.kubernetes.io/control-plane': '' }, taints: [CONTROL_PLANE_TAINT] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect([(err as ApiError).code, (err as ApiError).message]).toEqual([403, `nodes "${CP}" is forbidden: node "${CP}" is not allowed to set the following labels: node-role.kubernetes.io/control-plane`]);
    expect(await admin.get<Node>(Nodes, CP).catch((e: ApiError) => e.code)).toBe(404);
  });

  it('adds the role labels to the Node the kubelet registered with its taint; ROLES shows control-plane; a second run writes nothing', async () => {
    const { api, admin, kubelet } = await cluster();
    await kubelet({ taints: [CONTROL_PLANE_TAINT] });
    const registered = await admin.get<Node>(Nodes, CP);
    expect(registered.metadata?.labels).not.toHaveProperty('node-role.kubernetes.io/control-plane');
    expect(registered.spec?.taints).toEqual([CONTROL_PLANE_TAINT]);

    await markControlPlane(admin, CP);
    const marked = await admin.get<Node>(Nodes, CP);
    expect(marked.metadata?.labels).toMatchObject({ ...CONTROL_PLANE_LABELS, 'kubernetes.io/hostname': CP });
    expect(marked.spec?.taints).toEqual([CONTROL_PLANE_TAINT]);
    const table = (await api.request({ method: 'GET', path: `/api/v1/nodes/${CP}`, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).body as { rows?: Array<{ cells?: unknown[] }> };
    expect(table.rows?.[0]?.cells?.slice(0, 3)).toEqual([CP, 'Ready', 'control-plane']);

    await markControlPlane(admin, CP);
    expect((await admin.get<Node>(Nodes, CP)).metadata?.resourceVersion).toBe(marked.metadata?.resourceVersion);
  });

  it("puts the control-plane taint first and keeps the Node's other taints; rejects 404 for a Node not registered yet", async () => {
    const { admin } = await cluster();
    const other = { key: 'example.com/dedicated', value: 'infra', effect: 'NoExecute' };
    await admin.create<Node>(Nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: { keep: 'me' } }, spec: { taints: [other] } });
    await markControlPlane(admin, 'n');
    const n = await admin.get<Node>(Nodes, 'n');
    expect(n.metadata?.labels).toEqual({ keep: 'me', ...CONTROL_PLANE_LABELS });
    expect(n.spec?.taints).toEqual([CONTROL_PLANE_TAINT, other]);
    expect(await markControlPlane(admin, 'missing').catch((e: ApiError) => e.code)).toBe(404);
  });
});
