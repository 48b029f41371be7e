import { describe, expect, it, beforeEach } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type ApiResponse, type KubeletApi, type LogOptions } from '../../api';
import { createMemoryStore } from '../../storage';
import { createApiServer, type ApiServer } from './index';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
let clock: FakeClock;
let api: ApiServer;
const logCalls: Array<[string, string, string, LogOptions]> = [];
let growing = '';
const kubelet: KubeletApi = {
  async containerLogs(ns, pod, container, opts) {
    logCalls.push([ns, pod, container, opts]);
    if (container === 'waiting') throw new Error(`container "waiting" in pod "${pod}" is waiting to start: ContainerCreating`);
    if (container === 'growing') return opts.tailLines === 1 ? growing.split('\n').slice(-2).join('\n') : growing;
    return 'hello\nworld\n';
  },
};

beforeEach(async () => {
  clock = new FakeClock();
  logCalls.length = 0;
  api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(5), dialNode: (n) => (n === 'n1' ? kubelet : undefined) });
});

const call = (req: Partial<ApiRequest> & { path: string }): Promise<ApiResponse> => api.request({ method: 'GET', ...req });
async function createPod(name: string, containers = [{ name: 'c', image: 'i' }]) {
  const res = await call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { metadata: { name }, spec: { containers } } });
  expect(res.status).toBe(201);
  return res.body as any;
}
async function setStatus(name: string, status: unknown) {
  const cur = (await call({ path: `/api/v1/namespaces/default/pods/${name}` })).body as any;
  cur.status = status;
  const res = await call({ method: 'PUT', path: `/api/v1/namespaces/default/pods/${name}/status`, body: cur });
  expect(res.status).toBe(200);
}
const bind = (name: string, node = 'n1') =>
  call({ method: 'POST', path: `/api/v1/namespaces/default/pods/${name}/binding`, body: { metadata: { name }, target: { kind: 'Node', name: node } } });

describe('Table output', () => {
  it('prints pods like kube printPod, wide cells included', async () => {
    await createPod('pending');
    await createPod('running');
    await bind('running');
    await setStatus('running', {
      phase: 'Running',
      podIPs: [{ ip: '10.244.1.5' }],
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'c', ready: true, restartCount: 2, state: { running: { startedAt: '2026-01-01T00:00:00Z' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2026-01-01T00:00:00Z' } }, image: 'i', imageID: '' },
      ],
    });
    await createPod('creating');
    await setStatus('creating', { phase: 'Pending', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, image: 'i', imageID: '' }] });
    await clock.advance(5 * 60_000 + 3_000);
    const res = await call({ path: '/api/v1/namespaces/default/pods', accept: TABLE });
    const t = res.body as any;
    expect(t.kind).toBe('Table');
    expect(t.apiVersion).toBe('meta.k8s.io/v1');
    expect(t.columnDefinitions.map((c: any) => `${c.name}:${c.priority}`)).toEqual([
      'Name:0', 'Ready:0', 'Status:0', 'Restarts:0', 'Age:0', 'IP:1', 'Node:1', 'Nominated Node:1', 'Readiness Gates:1',
    ]);
    const rows = Object.fromEntries(t.rows.map((r: any) => [r.cells[0], r.cells]));
    expect(rows.pending).toEqual(['pending', '0/1', 'Pending', '0', '5m3s', '<none>', '<none>', '<none>', '<none>']);
    expect(rows.running).toEqual(['running', '1/1', 'Running', '2 (5m3s ago)', '5m3s', '10.244.1.5', 'n1', '<none>', '<none>']);
    expect(rows.creating[2]).toBe('ContainerCreating');
    expect(t.rows[0].object).toMatchObject({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'creating' } });
    const full = (await call({ path: '/api/v1/namespaces/default/pods/running', accept: TABLE, query: { includeObject: 'Object' } })).body as any;
    expect(full.rows).toHaveLength(1);
    expect(full.rows[0].object.kind).toBe('Pod');
  });

  it('marks a pod being deleted as Terminating and a completed one as Completed', async () => {
    await createPod('t');
    await bind('t');
    await call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/t' });
    await createPod('done');
    await setStatus('done', { phase: 'Succeeded', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } }, image: 'i', imageID: '' }] });
    const t = (await call({ path: '/api/v1/namespaces/default/pods', accept: TABLE })).body as any;
    const status = Object.fromEntries(t.rows.map((r: any) => [r.cells[0], r.cells[2]]));
    expect(status).toEqual({ t: 'Terminating', done: 'Completed' });
  });

  it('prints nodes with roles, SchedulingDisabled and wide columns', async () => {
    await call({
      method: 'POST',
      path: '/api/v1/nodes',
      body: {
        metadata: { name: 'cp', labels: { 'node-role.kubernetes.io/control-plane': '' } },
        spec: { unschedulable: true },
        status: {
          conditions: [{ type: 'Ready', status: 'True' }],
          addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
          nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Tabernetes', kernelVersion: 'wasm', containerRuntimeVersion: 'wasi://0.1' },
        },
      },
    });
    await call({ method: 'POST', path: '/api/v1/nodes', body: { metadata: { name: 'w1' } } });
    await clock.advance(3 * 3600_000);
    const t = (await call({ path: '/api/v1/nodes', accept: TABLE })).body as any;
    expect(t.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
    expect(t.rows[0].cells).toEqual(['cp', 'Ready,SchedulingDisabled', 'control-plane', '3h', 'v1.32.0', '172.18.0.2', '<none>', 'Tabernetes', 'wasm', 'wasi://0.1']);
    expect(t.rows[1].cells).toEqual(['w1', 'Unknown', '<none>', '3h', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });

  it('prints namespaces and events', async () => {
    const ns = (await call({ path: '/api/v1/namespaces', accept: TABLE })).body as any;
    expect(ns.rows[0].cells).toEqual(['default', 'Active', '0s']);
    await call({
      method: 'POST',
      path: '/api/v1/namespaces/default/events',
      body: {
        metadata: { name: 'web.1' },
        involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
        reason: 'Scheduled',
        message: 'Successfully assigned default/web to n1 ',
        type: 'Normal',
        source: { component: 'default-scheduler' },
        firstTimestamp: '2026-01-01T00:00:00Z',
        lastTimestamp: '2026-01-01T00:00:00Z',
        count: 1,
      },
    });
    await clock.advance(42_000);
    const ev = (await call({ path: '/api/v1/namespaces/default/events', accept: TABLE })).body as any;
    expect(ev.columnDefinitions.map((c: any) => c.name)).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name']);
    expect(ev.rows[0].cells).toEqual(['42s', 'Normal', 'Scheduled', 'pod/web', '', 'default-scheduler', 'Successfully assigned default/web to n1', '42s', 1, 'web.1']);
  });
});

describe('patch', () => {
  it('applies merge, JSON and strategic merge patches', async () => {
    await createPod('p', [{ name: 'a', image: 'i' }, { name: 'b', image: 'j' }]);
    const merge = await call({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/p', contentType: 'application/merge-patch+json', body: { metadata: { labels: { x: '1' } } } });
    expect(merge.status).toBe(200);
    expect((merge.body as any).metadata.labels).toEqual({ x: '1' });
    const json = await call({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/p', contentType: 'application/json-patch+json', body: [{ op: 'add', path: '/metadata/labels/y', value: '2' }, { op: 'remove', path: '/metadata/labels/x' }] });
    expect((json.body as any).metadata.labels).toEqual({ y: '2' });
    const smp = await call({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/p', contentType: 'application/strategic-merge-patch+json', body: { spec: { containers: [{ name: 'b', image: 'j2' }] } } });
    expect(smp.status).toBe(200);
    expect((smp.body as any).spec.containers.map((c: any) => `${c.name}=${c.image}`)).toEqual(['a=i', 'b=j2']);
    const failed = await call({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/p', contentType: 'application/json-patch+json', body: [{ op: 'test', path: '/metadata/name', value: 'q' }] });
    expect(failed.status).toBe(422);
    expect((failed.body as any).message).toBe('the server rejected our request due to an error in our request');
    const stale = await call({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/p', contentType: 'application/merge-patch+json', body: { metadata: { resourceVersion: '1', labels: { z: '1' } } } });
    expect(stale.status).toBe(409);
    const missing = await call({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/nope', contentType: 'application/merge-patch+json', body: {} });
    expect(missing.status).toBe(404);
    const apply = await call({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/p', contentType: 'application/apply-patch+yaml', body: 'x: 1' });
    expect(apply.status).toBe(422); // server-side apply without fieldManager (managed-fields/ tests cover apply)
    expect((apply.body as any).message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
  });

  it('patches status through /status', async () => {
    await createPod('p');
    const res = await call({ method: 'PATCH', path: '/api/v1/namespaces/default/pods/p/status', contentType: 'application/merge-patch+json', body: { status: { phase: 'Running' }, spec: { nodeName: 'x' } } });
    expect(res.status).toBe(200);
    expect((res.body as any).status.phase).toBe('Running');
    expect((res.body as any).spec.nodeName).toBeUndefined();
  });
});

describe('pods/log', () => {
  it('proxies to the kubelet with options and container choice rules', async () => {
    await createPod('one');
    await bind('one');
    const res = await call({ path: '/api/v1/namespaces/default/pods/one/log', query: { tailLines: '5', timestamps: 'true' } });
    expect(res).toMatchObject({ status: 200, body: 'hello\nworld\n' });
    expect(logCalls).toEqual([['default', 'one', 'c', { tailLines: 5, timestamps: true }]]);

    await createPod('two', [{ name: 'a', image: 'i' }, { name: 'b', image: 'i' }]);
    await bind('two');
    const multi = await call({ path: '/api/v1/namespaces/default/pods/two/log' });
    expect(multi.status).toBe(400);
    expect((multi.body as any).message).toBe('a container name must be specified for pod two, choose one of: [a b]');
    const bad = await call({ path: '/api/v1/namespaces/default/pods/two/log', query: { container: 'zz' } });
    expect((bad.body as any).message).toBe('container zz is not valid for pod two');

    await createPod('w', [{ name: 'waiting', image: 'i' }]);
    await bind('w');
    const waiting = await call({ path: '/api/v1/namespaces/default/pods/w/log' });
    expect(waiting.status).toBe(400);
    expect((waiting.body as any).message).toBe('container "waiting" in pod "w" is waiting to start: ContainerCreating');
  });

  it('streams a non-follow log as one chunk', async () => {
    await createPod('one');
    await bind('one');
    const open = await api.stream({ method: 'GET', path: '/api/v1/namespaces/default/pods/one/log' });
    expect(await api.read(open.streamId!)).toEqual(['hello\nworld\n']);
    expect(await api.read(open.streamId!)).toBeNull();
  });
});

describe('pods/log?follow=true', () => {
  it('streams appended text until the container has finished', async () => {
    growing = 'a\nb\n';
    await createPod('f', [{ name: 'growing', image: 'i' }]);
    await bind('f');
    const open = await api.stream({ method: 'GET', path: '/api/v1/namespaces/default/pods/f/log', query: { follow: 'true', tailLines: '1' } });
    expect(open.status).toBe(200);
    expect(await api.read(open.streamId!)).toEqual(['b\n']);
    growing += 'c\n';
    await clock.advance(1000);
    growing += 'd\n';
    await clock.advance(1000);
    expect(await api.read(open.streamId!)).toEqual(['c\n', 'd\n']);
    await setStatus('f', { phase: 'Succeeded' });
    growing += 'e\n';
    await clock.advance(1000);
    expect(await api.read(open.streamId!)).toEqual(['e\n']);
    expect(await api.read(open.streamId!)).toBeNull();
  });

  it('answers errors like a plain GET', async () => {
    await createPod('two', [{ name: 'a', image: 'i' }, { name: 'b', image: 'i' }]);
    const open = await api.stream({ method: 'GET', path: '/api/v1/namespaces/default/pods/two/log', query: { follow: 'true' } });
    expect(open.status).toBe(400);
    expect(open.streamId).toBeUndefined();
  });
});
