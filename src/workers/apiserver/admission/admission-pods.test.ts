import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds } from '../../../api';
import { createMemoryStore } from '../../../storage';
import { createApiServer } from '../index';
import { apiFixture, pod } from '../testing/api-fixture';

const t = apiFixture();
const post = (path: string, body: unknown, query?: Record<string, string>) => t.call({ method: 'POST', path, body, query });
const NS = '/api/v1/namespaces/default';
const forbidden = (message: string, name: string, kind = 'pods', group?: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message,
  reason: 'Forbidden',
  details: { name, ...(group && { group }), kind },
  code: 403,
});

describe('NamespaceLifecycle', () => {
  it('answers 404 namespaces "x" not found for a missing namespace', async () => {
    const res = await t.createPod('p', 'nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ reason: 'NotFound', message: 'namespaces "nope" not found', details: { name: 'nope', kind: 'namespaces' } });
  });

  it('forbids new content in a Terminating namespace', async () => {
    const api = await createApiServer({ store: createMemoryStore(), clock: new FakeClock(), ids: seededIds(1), finalizeNamespaces: false });
    await api.request({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'gone' } } });
    expect((await api.request({ method: 'DELETE', path: '/api/v1/namespaces/gone' })).status).toBe(200);
    const res = await api.request({ method: 'POST', path: '/api/v1/namespaces/gone/configmaps', body: { metadata: { name: 'c' } } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      ...forbidden('configmaps "c" is forbidden: unable to create new content in namespace gone because it is being terminated', 'c', 'configmaps'),
      details: { name: 'c', kind: 'configmaps', causes: [{ reason: 'NamespaceTerminating', message: 'namespace gone is being terminated', field: 'metadata.namespace' }] },
    });
    api.dispose();
  });
});

describe('LimitRanger', () => {
  const limits = (spec: unknown) => post(`${NS}/limitranges`, { metadata: { name: 'lr' }, spec });

  it('fills container defaults and notes them in kubernetes.io/limit-ranger', async () => {
    await limits({ limits: [{ type: 'Container', default: { cpu: '500m', memory: '128Mi' }, defaultRequest: { cpu: '250m' } }] });
    const res = await t.createPod('p');
    expect(res.status).toBe(201);
    const p = res.body as any;
    expect(p.spec.containers[0].resources).toEqual({ limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '128Mi' } });
    expect(p.metadata.annotations['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app');
    expect(p.status.qosClass).toBe('Burstable');
  });

  it('refuses a limit above max with the plugin message', async () => {
    await limits({ limits: [{ type: 'Container', max: { cpu: '1' } }] });
    const res = await t.createPod('big', 'default', { spec: { containers: [{ name: 'app', image: 'nginx', resources: { limits: { cpu: '2' } } }] } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(forbidden('pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2', 'big'));
  });

  it('aggregates min and maxLimitRequestRatio violations', async () => {
    await limits({ limits: [{ type: 'Container', min: { memory: '64Mi' }, max: { cpu: '1' }, maxLimitRequestRatio: { cpu: '2' } }] });
    const c = { name: 'app', image: 'nginx', resources: { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '400m', memory: '32Mi' } } };
    const res = await t.createPod('r', 'default', { spec: { containers: [c] } });
    expect((res.body as any).message).toBe(
      'pods "r" is forbidden: [minimum memory usage per Container is 64Mi, but request is 32Mi, cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000]',
    );
  });

  it('bounds PersistentVolumeClaim storage requests', async () => {
    await limits({ limits: [{ type: 'PersistentVolumeClaim', max: { storage: '1Gi' } }] });
    const pvc = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } } } };
    const res = await post(`${NS}/persistentvolumeclaims`, pvc);
    expect(res.body).toEqual(forbidden('persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 1Gi, but request is 2Gi', 'data', 'persistentvolumeclaims'));
  });
});

describe('ServiceAccount', () => {
  it('defaults the account and mounts the kube-api-access projected volume', async () => {
    const p = (await t.createPod('p')).body as any;
    expect(p.spec.serviceAccountName).toBe('default');
    expect(p.spec.serviceAccount).toBe('default');
    const vol = p.spec.volumes[0];
    expect(vol).toEqual({
      name: vol.name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    });
    expect(p.spec.containers[0].volumeMounts).toEqual([{ name: vol.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }]);
  });

  it('refuses a missing named service account', async () => {
    const res = await t.createPod('p', 'default', { spec: { serviceAccountName: 'robot', containers: [{ name: 'app', image: 'nginx' }] } });
    expect(res.body).toEqual(forbidden('pods "p" is forbidden: error looking up service account default/robot: serviceaccount "robot" not found', 'p'));
  });

  it('skips the token when the account or the pod opts out', async () => {
    await post(`${NS}/serviceaccounts`, { metadata: { name: 'robot' }, automountServiceAccountToken: false });
    const a = (await t.createPod('a', 'default', { spec: { serviceAccountName: 'robot', containers: [{ name: 'app', image: 'nginx' }] } })).body as any;
    expect(a.spec.serviceAccountName).toBe('robot');
    expect(a.spec.volumes).toBeUndefined();
    const b = (await t.createPod('b', 'default', { spec: { automountServiceAccountToken: false, containers: [{ name: 'app', image: 'nginx' }] } })).body as any;
    expect(b.spec.volumes).toBeUndefined();
  });
});

describe('Priority', () => {
  it('resolves a PriorityClass name, including the system classes', async () => {
    const p = (await t.createPod('p', 'default', { spec: { priorityClassName: 'system-node-critical', containers: [{ name: 'app', image: 'nginx' }] } })).body as any;
    expect(p.spec).toMatchObject({ priority: 2000001000, preemptionPolicy: 'PreemptLowerPriority' });
  });

  it('refuses an unknown class and a conflicting spec.priority', async () => {
    const missing = await t.createPod('p', 'default', { spec: { priorityClassName: 'gold', containers: [{ name: 'app', image: 'nginx' }] } });
    expect(missing.body).toEqual(forbidden('pods "p" is forbidden: no PriorityClass with name gold was found', 'p'));
    const pinned = await t.createPod('q', 'default', { spec: { priority: 5, containers: [{ name: 'app', image: 'nginx' }] } });
    expect((pinned.body as any).message).toBe(
      'pods "q" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 0 from the given PriorityClass name',
    );
  });

  it('applies the globalDefault class and allows only one', async () => {
    const pcs = '/apis/scheduling.k8s.io/v1/priorityclasses';
    expect((await post(pcs, { metadata: { name: 'base' }, value: 100, globalDefault: true, preemptionPolicy: 'Never' })).status).toBe(201);
    const p = (await t.createPod('p')).body as any;
    expect(p.spec).toMatchObject({ priorityClassName: 'base', priority: 100, preemptionPolicy: 'Never' });
    const other = await post(pcs, { metadata: { name: 'other' }, value: 5, globalDefault: true });
    expect(other.body).toEqual(
      forbidden('priorityclasses.scheduling.k8s.io "other" is forbidden: PriorityClass base is already marked as default. Only one default can exist', 'other', 'priorityclasses', 'scheduling.k8s.io'),
    );
  });
});

describe('DefaultTolerationSeconds', () => {
  it('adds only the default tolerations the pod lacks', async () => {
    const own = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 };
    const p = (await t.createPod('p', 'default', { spec: { tolerations: [own], containers: [{ name: 'app', image: 'nginx' }] } })).body as any;
    expect(p.spec.tolerations).toEqual([own, { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]);
  });
});

describe('dryRun=All', () => {
  it('runs admission and stores nothing', async () => {
    const refused = await post(`${NS}/pods`, pod('p', { spec: { serviceAccountName: 'robot', containers: [{ name: 'app', image: 'nginx' }] } }), { dryRun: 'All' });
    expect(refused.status).toBe(403);
    const ok = await post(`${NS}/pods`, pod('p'), { dryRun: 'All' });
    expect(ok.status).toBe(201);
    expect((ok.body as any).spec.volumes[0].name).toMatch(/^kube-api-access-/);
    expect((await t.call({ path: `${NS}/pods/p` })).status).toBe(404);
  });
});
