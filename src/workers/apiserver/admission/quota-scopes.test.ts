import { describe, expect, it } from 'vitest';
import { apiFixture } from '../testing/api-fixture';

const t = apiFixture();
const NS = '/api/v1/namespaces/default';
const message = (res: { body: unknown }) => (res.body as { message?: string }).message;

/** A scoped ResourceQuota whose status the resourcequota-controller has already synced. */
async function quota(name: string, spec: Record<string, unknown>, used: Record<string, string>) {
  const hard = spec.hard as Record<string, string>;
  const created = (await t.call({ method: 'POST', path: `${NS}/resourcequotas`, body: { metadata: { name }, spec } })).body as any;
  expect(created.metadata?.name).toBe(name);
  expect((await t.call({ method: 'PUT', path: `${NS}/resourcequotas/${name}/status`, body: { ...created, status: { hard, used } } })).status).toBe(200);
}
const used = async (name: string) => ((await t.call({ path: `${NS}/resourcequotas/${name}` })).body as any).status.used;
const plain = { containers: [{ name: 'app', image: 'nginx' }] };
const burstable = { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '100m' } } }] };

describe('ResourceQuota scopes', () => {
  it('BestEffort / NotBestEffort quotas only see pods of that QoS', async () => {
    await quota('be', { hard: { pods: '1' }, scopes: ['BestEffort'] }, { pods: '1' });
    await quota('nbe', { hard: { pods: '5' }, scopes: ['NotBestEffort'] }, { pods: '0' });
    expect(message(await t.createPod('free'))).toBe('pods "free" is forbidden: exceeded quota: be, requested: pods=1, used: pods=1, limited: pods=1');
    expect((await t.createPod('paid', 'default', { spec: burstable })).status).toBe(201);
    expect(await used('be')).toEqual({ pods: '1' });
    expect(await used('nbe')).toEqual({ pods: '1' });
  });

  it('Terminating / NotTerminating follow activeDeadlineSeconds', async () => {
    await quota('term', { hard: { pods: '0' }, scopes: ['Terminating'] }, { pods: '0' });
    expect((await t.createPod('long')).status).toBe(201);
    const res = await t.createPod('short', 'default', { spec: { ...plain, activeDeadlineSeconds: 60 } });
    expect(message(res)).toBe('pods "short" is forbidden: exceeded quota: term, requested: pods=1, used: pods=0, limited: pods=0');
  });

  it('scopeSelector PriorityClass In / NotIn / Exists and non-pod objects never matching a scoped quota', async () => {
    await t.call({ method: 'POST', path: '/apis/scheduling.k8s.io/v1/priorityclasses', body: { metadata: { name: 'high' }, value: 1000 } });
    await quota('high', { hard: { pods: '0', 'count/configmaps': '0' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } }, { pods: '0', 'count/configmaps': '0' });
    await quota('any', { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'Exists' }] } }, { pods: '0' });
    expect((await t.createPod('plain')).status).toBe(201);
    expect((await t.call({ method: 'POST', path: `${NS}/configmaps`, body: { metadata: { name: 'cm' } } })).status).toBe(201);
    const res = await t.createPod('vip', 'default', { spec: { ...plain, priorityClassName: 'high' } });
    expect(message(res)).toBe('pods "vip" is forbidden: exceeded quota: high, requested: pods=1, used: pods=0, limited: pods=0');
    expect(await used('any')).toEqual({ pods: '0' });
  });
});
