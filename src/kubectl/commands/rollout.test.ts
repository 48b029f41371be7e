import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import type { ApiRequest, ApiResponse } from '../../api/protocol';
import { ApiClient } from '../../client/api-client';
import { FAKE_DISCOVERY, FakeApiHandler } from '../../client/testing/fake-api-handler';
import { captureKubectl } from '../testing/capture-kubectl';

/** FakeApiHandler plus the /api and /apis roots the discovery mapper reads, and JSON patch "replace". */
class Server extends FakeApiHandler {
  override async request(req: ApiRequest): Promise<ApiResponse> {
    if (req.method === 'PATCH' && req.contentType === 'application/json-patch+json') {
      const obj = (await super.request({ method: 'GET', path: req.path })).body as Record<string, Record<string, unknown>>;
      for (const op of req.body as { op: string; path: string; value: unknown }[]) {
        const [a, b] = op.path.slice(1).split('/');
        obj[a][b] = op.value;
      }
      return super.request({ method: 'PUT', path: req.path, body: obj });
    }
    if (req.method === 'GET' && req.path === '/api') return { status: 200, body: { versions: ['v1'] } };
    if (req.method === 'GET' && req.path === '/apis') {
      const groups = Object.keys(FAKE_DISCOVERY).filter((gv) => gv.includes('/')).map((gv) => ({ name: gv.split('/')[0], versions: [{ groupVersion: gv, version: gv.split('/')[1] }] }));
      return { status: 200, body: { groups } };
    }
    return super.request(req);
  }
}

const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image }] } });

async function setup() {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const server = new Server();
  const client = new ApiClient(server);
  const apps = (r: string) => `/apis/apps/v1/namespaces/default/${r}`;
  const dep = await client.call<{ metadata: { uid: string } }>({
    method: 'POST',
    path: apps('deployments'),
    body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('nginx:2') } },
  });
  for (const [rev, image] of [[1, 'nginx:1'], [2, 'nginx:2']] as const) {
    const t = template(image);
    await client.call({
      method: 'POST',
      path: apps('replicasets'),
      body: {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: `web-${rev}`, labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': String(rev) }, ownerReferences: [{ uid: dep.metadata.uid }] },
        spec: { template: { ...t, metadata: { labels: { app: 'web', 'pod-template-hash': `h${rev}` } } } },
      },
    });
  }
  const run = async (line: string) => {
    return captureKubectl(line, { client, clock });
  };
  const get = () => client.call<{ metadata: { annotations?: Record<string, string> }; spec: { paused?: boolean; template: { metadata: { annotations?: Record<string, string> }; spec: { containers: { image: string }[] } } } }>({ method: 'GET', path: apps('deployments/web') });
  const setStatus = (status: object, generation?: number) =>
    client.call({ method: 'PATCH', path: apps('deployments/web'), contentType: 'application/merge-patch+json', body: { status, ...(generation ? { metadata: { generation } } : {}) } });
  return { run, get, setStatus, clock };
}

describe('kubectl rollout', () => {
  it('history, undo to the previous and a given revision', async () => {
    const { run, get } = await setup();
    expect(await run('rollout history deployment/web')).toEqual({ code: 0, stderr: '', stdout: 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n' });
    expect(await run('rollout undo deployment web')).toEqual({ code: 0, stderr: '', stdout: 'deployment.apps/web rolled back\n' });
    expect((await get()).spec.template.spec.containers[0].image).toBe('nginx:1');
    expect((await run('rollout undo deployment/web --to-revision=1')).stdout).toBe('deployment.apps/web skipped rollback (current template already matches revision 1)\n');
    expect((await run('rollout undo deployment/web --to-revision=7')).stderr).toBe('error: unable to find specified revision 7 in history\n');
  });

  it('pause, resume and restart with kubectl messages', async () => {
    const { run, get, clock } = await setup();
    expect((await run('rollout pause deployment/web')).stdout).toBe('deployment.apps/web paused\n');
    expect((await get()).spec.paused).toBe(true);
    expect(await run('rollout pause deployment/web')).toEqual({ code: 1, stdout: '', stderr: 'error: deployments.apps "web" is already paused\n' });
    expect((await run('rollout restart deployment/web')).stderr).toBe("error: can't restart paused deployment (run rollout resume first)\n");
    expect((await run('rollout resume deployment/web')).stdout).toBe('deployment.apps/web resumed\n');
    expect((await run('rollout resume deployment/web')).stderr).toBe('error: deployments.apps "web" is not paused\n');
    await clock.advance(5_000);
    expect((await run('rollout restart deployment/web')).stdout).toBe('deployment.apps/web restarted\n');
    expect((await get()).spec.template.metadata.annotations).toEqual({ 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:05Z' });
  });

  it('status prints each new state until the rollout is complete', async () => {
    const { run, setStatus, clock } = await setup();
    await setStatus({ observedGeneration: 1, replicas: 2, updatedReplicas: 1, availableReplicas: 1 }, 1);
    let out = '';
    const status = run('rollout status deployment/web').then((r) => (out = r.stdout));
    await new Promise((r) => setTimeout(r, 20));
    await setStatus({ observedGeneration: 1, replicas: 3, updatedReplicas: 2, availableReplicas: 1 });
    await clock.advance(1_000);
    await new Promise((r) => setTimeout(r, 20));
    await setStatus({ observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    await clock.advance(1_000);
    await status;
    expect(out).toBe(
      'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...\n' +
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n' +
        'deployment "web" successfully rolled out\n',
    );
  });
});
