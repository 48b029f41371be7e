import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type KubeletApi } from '../../../api';
import { listenTcp, NetworkFabric } from '../../../network';
import { createMemoryStore } from '../../../storage';
import { createApiServer } from '../index';

const POD_IP = '10.244.1.7';

async function setup(opts: { phase?: string; logs?: () => string } = {}) {
  const network = NetworkFabric.create();
  const clock = new FakeClock();
  const kubelet: KubeletApi = { containerLogs: async () => opts.logs?.() ?? '' };
  const api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(3), network, dialNode: () => kubelet });
  const call = (req: Partial<ApiRequest> & { path: string }) => api.request({ method: 'GET', ...req });
  await call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'x' }] } } });
  const setStatus = async (running: boolean, phase = opts.phase ?? 'Running') => {
    const cur = (await call({ path: '/api/v1/namespaces/default/pods/web' })).body as Record<string, unknown>;
    const state = running ? { running: { startedAt: '2024-01-01T00:00:00Z' } } : { terminated: { exitCode: 0, reason: 'Completed' } };
    const res = await call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/web/status', body: { ...cur, status: { phase, podIP: POD_IP, containerStatuses: [{ name: 'app', image: 'x', imageID: '', ready: running, restartCount: 0, state }] } } });
    expect(res.status).toBe(200);
  };
  await setStatus(true);
  return { api, network, clock, setStatus };
}

const text = (chunks: unknown[]) => chunks.map((c) => (c instanceof Uint8Array ? new TextDecoder().decode(c) : JSON.stringify(c))).join('');

describe('pods/portforward', () => {
  it('relays bytes both ways to podIP:port over the fabric and ends when the pod side closes', async () => {
    const { api, network } = await setup();
    const listener = listenTcp(network, POD_IP, 8080);
    const opened = await api.stream({ method: 'GET', path: '/api/v1/namespaces/default/pods/web/portforward', query: { ports: '8080' } });
    expect(opened.status).toBe(200);
    const conn = await listener.accept();
    await api.write!(opened.streamId!, { channel: 'bytes', data: new TextEncoder().encode('ping') });
    await api.write!(opened.streamId!, { channel: 255 });
    expect(new TextDecoder().decode(await conn.readAll())).toBe('ping');
    await conn.write(new TextEncoder().encode('pong'));
    conn.close();
    const got: unknown[] = [];
    for (let b = await api.read(opened.streamId!); b; b = await api.read(opened.streamId!)) got.push(...b);
    expect(text(got)).toBe('pong');
    listener.close();
  });

  it('sends the dial error as the one error chunk when nothing listens', async () => {
    const { api } = await setup();
    const opened = await api.stream({ method: 'GET', path: '/api/v1/namespaces/default/pods/web/portforward', query: { ports: '9' } });
    const batch = await api.read(opened.streamId!);
    expect(batch).toEqual([{ error: expect.stringMatching(/^error forwarding port 9 to pod [-0-9a-f]+, uid : dial tcp 10\.244\.1\.7:9: connect: connection refused$/) }]);
    expect(await api.read(opened.streamId!)).toBeNull();
  });

  it('answers 400 without a port or for a pod that is not running, 404 for no pod', async () => {
    const { api, setStatus } = await setup();
    const pf = (query: Record<string, string>, name = 'web') => api.stream({ method: 'GET', path: `/api/v1/namespaces/default/pods/${name}/portforward`, query });
    expect(await pf({})).toMatchObject({ status: 400, body: { message: 'at least 1 port must be specified' } });
    expect((await pf({ ports: '70000' })).status).toBe(400);
    expect((await pf({ ports: '80' }, 'nope')).status).toBe(404);
    await setStatus(false, 'Succeeded');
    expect(await pf({ ports: '80' })).toMatchObject({ status: 400, body: { message: 'unable to forward port because pod is not running. Current status=Succeeded' } });
  });
});

describe('pods/attach', () => {
  it('streams what the log gains after attaching, then Success once the container stops', async () => {
    let log = 'before\n';
    const { api, clock, setStatus } = await setup({ logs: () => log });
    const opened = await api.stream({ method: 'POST', path: '/api/v1/namespaces/default/pods/web/attach', query: { stdout: 'true', container: 'app' } });
    expect(opened.status).toBe(200);
    log += 'after\n';
    clock.advance(1_000);
    expect(await api.read(opened.streamId!)).toEqual([{ channel: 1, data: 'after\n' }]);
    log += 'last\n';
    await setStatus(false, 'Succeeded');
    const rest: unknown[] = [];
    for (let b = await api.read(opened.streamId!); b; b = await api.read(opened.streamId!)) rest.push(...b);
    expect(rest).toEqual([{ channel: 1, data: 'last\n' }, { channel: 3, status: { metadata: {}, status: 'Success' } }]);
  });

  it('refuses no streams and an unknown container with 400 (streamLocation), a stopped container with the kubelet\'s 500 text (GetAttach)', async () => {
    const { api, setStatus } = await setup();
    const attach = (query: Record<string, string>) => api.stream({ method: 'POST', path: '/api/v1/namespaces/default/pods/web/attach', query });
    expect(await attach({})).toMatchObject({ status: 400, body: { message: 'you must specify at least 1 of stdin, stdout, stderr' } });
    expect(await attach({ stdout: 'true', container: 'x' })).toMatchObject({ status: 400, body: { message: 'container x is not valid for pod web' } });
    await setStatus(false, 'Succeeded');
    expect(await attach({ stdout: 'true' })).toMatchObject({ status: 500, body: 'container app not found in pod web_default\n', headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
  });
});
