import { describe, expect, it } from 'vitest';
import { apiFixture } from '../testing/api-fixture';

const t = apiFixture();
const TOKEN = '/api/v1/namespaces/default/serviceaccounts/bot/token';
const request = (boundObjectRef: Record<string, string>) => t.call({ method: 'POST', path: TOKEN, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { boundObjectRef } } });
const claims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { 'kubernetes.io': Record<string, unknown> };

async function setup() {
  await t.call({ method: 'POST', path: '/api/v1/namespaces/default/serviceaccounts', body: { metadata: { name: 'bot' } } });
  await t.call({ method: 'POST', path: '/api/v1/nodes', body: { metadata: { name: 'n1' } } });
  const pod = await t.call({
    method: 'POST',
    path: '/api/v1/namespaces/default/pods',
    body: { metadata: { name: 'p' }, spec: { serviceAccountName: 'bot', nodeName: 'n1', containers: [{ name: 'c', image: 'busybox' }] } },
  });
  expect(pod.status).toBe(201);
  const other = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { metadata: { name: 'q' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } });
  expect(other.status).toBe(201);
  const node = (await t.call({ path: '/api/v1/nodes/n1' })).body as { metadata: { uid: string } };
  return { podUid: (pod.body as { metadata: { uid: string } }).metadata.uid, nodeUid: node.metadata.uid };
}

describe('TokenRequest boundObjectRef (kube-apiserver 1.32 TokenREST)', () => {
  it('binds the token to an existing pod (pod and node claims) and echoes the reference', async () => {
    const { podUid, nodeUid } = await setup();
    const ref = { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: podUid };
    const r = await request(ref);
    expect(r.status).toBe(201);
    const body = r.body as { spec: { boundObjectRef: unknown }; status: { token: string } };
    expect(body.spec.boundObjectRef).toEqual(ref);
    expect(claims(body.status.token)['kubernetes.io']).toMatchObject({ namespace: 'default', pod: { name: 'p', uid: podUid }, node: { name: 'n1', uid: nodeUid } });
    expect((await request({ kind: 'Pod', apiVersion: 'v1', name: 'p' })).status).toBe(201);
  });

  it('answers 404 for a missing Pod, Secret or Node', async () => {
    await setup();
    for (const [kind, message] of [['Pod', 'pods "gone" not found'], ['Secret', 'secrets "gone" not found'], ['Node', 'nodes "gone" not found']]) {
      const r = await request({ kind, apiVersion: 'v1', name: 'gone' });
      expect([r.status, (r.body as { message: string }).message, (r.body as { reason: string }).reason]).toEqual([404, message, 'NotFound']);
    }
  });

  it('answers 409 when the uid does not match the object in record', async () => {
    await setup();
    const r = await request({ kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'stale' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      reason: 'Conflict',
      message: 'Operation cannot be fulfilled on Pod "p": the UID in the bound object reference (stale) does not match the UID in record. The object might have been deleted and then recreated',
      details: { name: 'p', kind: 'Pod' },
    });
  });

  it('answers 400 for another service account\'s pod and for kinds that cannot be bound', async () => {
    await setup();
    const other = await request({ kind: 'Pod', apiVersion: 'v1', name: 'q' });
    expect([other.status, (other.body as { message: string }).message]).toEqual([400, 'cannot bind token for serviceaccount "bot" to pod running with different serviceaccount name.']);
    const cm = await request({ kind: 'ConfigMap', apiVersion: 'v1', name: 'x' });
    expect([cm.status, (cm.body as { message: string }).message]).toEqual([400, 'cannot bind token to object of type /v1, Kind=ConfigMap']);
    const apps = await request({ kind: 'Pod', apiVersion: 'apps/v1', name: 'p' });
    expect((apps.body as { message: string }).message).toBe('cannot bind token to object of type apps/v1, Kind=Pod');
  });
});
