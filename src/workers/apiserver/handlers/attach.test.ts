import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type AttachOptions, type ExecStreamChunk, type KubeletApi } from '../../../api';
import { createMemoryStore } from '../../../storage';
import { createApiServer } from '../index';

// pods/attach through a kubelet that serves attachOpen: stdin, resize and close reach the session.
async function setup(reject?: string) {
  const calls: unknown[] = [];
  const pending: Array<(b: ExecStreamChunk[] | null) => void> = [];
  let closed = false;
  const queue: ExecStreamChunk[][] = [];
  const deliver = (b: ExecStreamChunk[]) => (pending.length ? pending.shift()!(b) : queue.push(b));
  const kubelet: KubeletApi = {
    containerLogs: async () => '',
    async attachOpen(ns: string, pod: string, container: string, opts: AttachOptions) {
      if (reject) throw new Error(reject);
      calls.push(['open', ns, pod, container, opts]);
      return 'sess-1';
    },
    execRead: async () => (queue.length ? queue.shift()! : closed ? null : new Promise((r) => pending.push(r))),
    execWrite: async (id, data) => {
      calls.push(['write', id, data]);
      deliver([{ channel: 1, data: `echo:${data}` }]);
    },
    execResize: async (id, size) => void calls.push(['resize', id, size]),
    execCloseStdin: async (id) => {
      calls.push(['close', id]);
      deliver([{ channel: 3, status: { metadata: {}, status: 'Success' } }]);
      closed = true;
    },
    execCancel: async (id) => void calls.push(['cancel', id]),
  };
  const api = await createApiServer({ store: createMemoryStore(), clock: new FakeClock(), ids: seededIds(3), dialNode: () => kubelet });
  const call = (req: Partial<ApiRequest> & { path: string }) => api.request({ method: 'GET', ...req });
  await call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sh' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox', stdin: true, tty: true }] } } });
  const cur = (await call({ path: '/api/v1/namespaces/default/pods/sh' })).body as Record<string, unknown>;
  await call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/sh/status', body: { ...cur, status: { phase: 'Running', containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: '2024-01-01T00:00:00Z' } } }] } } });
  return { api, calls };
}

describe('pods/attach with a kubelet that attaches', () => {
  it('opens the kubelet session with the stream options and relays input and output', async () => {
    const { api, calls } = await setup();
    const opened = await api.stream({ method: 'POST', path: '/api/v1/namespaces/default/pods/sh/attach', query: { stdin: 'true', stdout: 'true', tty: 'true', container: 'c' } });
    expect(opened.status).toBe(200);
    const id = opened.streamId!;
    await api.write!(id, { channel: 4, width: 100, height: 30 });
    await api.write!(id, { channel: 0, data: 'ls\r' });
    expect(await api.read(id)).toEqual([{ channel: 1, data: 'echo:ls\r' }]);
    await api.write!(id, { channel: 255 });
    const rest: unknown[] = [];
    for (let b = await api.read(id); b; b = await api.read(id)) rest.push(...b);
    expect(rest).toEqual([{ channel: 3, status: { metadata: {}, status: 'Success' } }]);
    expect(calls).toEqual([
      ['open', 'default', 'sh', 'c', { stdin: true, stdout: true, tty: true }],
      ['resize', 'sess-1', { width: 100, height: 30 }],
      ['write', 'sess-1', 'ls\r'],
      ['close', 'sess-1'],
    ]);
  });

  it('cancelling the stream detaches (cancels the kubelet session); a kubelet rejection is its 500 with the message as text, as the upgrade-aware proxy echoes it', async () => {
    const { api, calls } = await setup();
    const opened = await api.stream({ method: 'POST', path: '/api/v1/namespaces/default/pods/sh/attach', query: { stdout: 'true' } });
    await api.cancel(opened.streamId!);
    expect(calls.at(-1)).toEqual(['cancel', 'sess-1']);
    const bad = await setup('container c not found in pod sh_default');
    expect(await bad.api.stream({ method: 'POST', path: '/api/v1/namespaces/default/pods/sh/attach', query: { stdout: 'true' } })).toMatchObject({
      status: 500,
      body: 'container c not found in pod sh_default\n',
    });
    const gone = await setup('pod does not exist');
    expect(await gone.api.stream({ method: 'POST', path: '/api/v1/namespaces/default/pods/sh/attach', query: { stdout: 'true' } })).toMatchObject({ status: 404, body: 'pod does not exist' });
  });

  it('leaves container state to the kubelet, as AttachLocation does: a terminated status in the API does not refuse', async () => {
    const { api, calls } = await setup();
    const cur = (await api.request({ method: 'GET', path: '/api/v1/namespaces/default/pods/sh' })).body as Record<string, any>;
    cur.status.containerStatuses[0].state = { terminated: { exitCode: 0, reason: 'Completed' } };
    expect((await api.request({ method: 'PUT', path: '/api/v1/namespaces/default/pods/sh/status', body: cur })).status).toBe(200);
    const opened = await api.stream({ method: 'POST', path: '/api/v1/namespaces/default/pods/sh/attach', query: { stdout: 'true' } });
    expect(opened.status).toBe(200);
    expect(calls[0]).toEqual(['open', 'default', 'sh', 'c', { stdout: true }]);
    await api.cancel(opened.streamId!);
  });
});
