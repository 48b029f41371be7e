import { describe, expect, it } from 'vitest';
import { apiFixture, pod } from '../testing/api-fixture';

const t = apiFixture();
const post = (path: string, body: unknown, query?: Record<string, string>) => t.call({ method: 'POST', path, body, query });
const NS = '/api/v1/namespaces/default';
const message = (res: { body: unknown }) => (res.body as { message?: string }).message;

/** A ResourceQuota whose status the resourcequota-controller has already synced. */
async function quota(hard: Record<string, string>, used: Record<string, string>, name = 'q') {
  const created = (await post(`${NS}/resourcequotas`, { metadata: { name }, spec: { hard } })).body as any;
  const res = await t.call({ method: 'PUT', path: `${NS}/resourcequotas/${name}/status`, body: { ...created, status: { hard, used } } });
  expect(res.status).toBe(200);
}
const quotaUsed = async (name = 'q') => ((await t.call({ path: `${NS}/resourcequotas/${name}` })).body as any).status.used;

describe('ResourceQuota', () => {
  it('refuses a pod beyond the quota with the exact message', async () => {
    await quota({ pods: '2' }, { pods: '2' });
    const res = await t.createPod('p');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ reason: 'Forbidden', details: { name: 'p', kind: 'pods' } });
    expect(message(res)).toBe('pods "p" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2');
  });

  it('charges status.used on admission, but not for dryRun=All', async () => {
    await quota({ pods: '2', 'requests.cpu': '1' }, { pods: '0', 'requests.cpu': '0' });
    const c = [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '300m' } } }];
    expect((await post(`${NS}/pods`, pod('dry', { spec: { containers: c } }), { dryRun: 'All' })).status).toBe(201);
    expect(await quotaUsed()).toEqual({ pods: '0', 'requests.cpu': '0' });
    expect((await t.createPod('a', 'default', { spec: { containers: c } })).status).toBe(201);
    expect(await quotaUsed()).toEqual({ pods: '1', 'requests.cpu': '300m' });
    const big = await t.createPod('b', 'default', { spec: { containers: [{ ...c[0], resources: { requests: { cpu: '800m' } } }] } });
    expect(message(big)).toBe('pods "b" is forbidden: exceeded quota: q, requested: requests.cpu=800m, used: requests.cpu=300m, limited: requests.cpu=1');
  });

  it('requires compute resources that the quota tracks', async () => {
    await quota({ 'limits.cpu': '2', memory: '1Gi' }, { 'limits.cpu': '0', memory: '0' });
    expect(message(await t.createPod('p'))).toBe('pods "p" is forbidden: failed quota: q: must specify limits.cpu for: app; memory for: app');
  });

  it('refuses while the quota lacks usage and ignores a quota never synced', async () => {
    await post(`${NS}/resourcequotas`, { metadata: { name: 'fresh' }, spec: { hard: { pods: '0' } } });
    expect((await t.createPod('a')).status).toBe(201);
    await quota({ pods: '5', services: '1' }, { services: '0' });
    expect(message(await t.createPod('b'))).toBe('pods "b" is forbidden: status unknown for quota: q, resources: pods');
  });

  it('counts other objects by count/<resource>', async () => {
    await quota({ 'count/configmaps': '1', configmaps: '3' }, { 'count/configmaps': '1', configmaps: '1' });
    const res = await post(`${NS}/configmaps`, { metadata: { name: 'c' } });
    expect(message(res)).toBe('configmaps "c" is forbidden: exceeded quota: q, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1');
  });
});

describe('PodSecurity', () => {
  const ns = (name: string, labels: Record<string, string>) => post('/api/v1/namespaces', { metadata: { name, labels } });

  it('enforces restricted with the real message', async () => {
    await ns('secure', { 'pod-security.kubernetes.io/enforce': 'restricted' });
    const res = await t.createPod('p', 'secure');
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ reason: 'Forbidden', details: { name: 'p', kind: 'pods' } });
    expect(message(res)).toBe(
      'pods "p" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), ' +
        'unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), ' +
        'seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
    const good = {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'app', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
    };
    expect((await t.createPod('ok', 'secure', { spec: good })).status).toBe(201);
    const host = await t.createPod('h', 'secure', { spec: { ...good, volumes: [{ name: 'h', hostPath: { path: '/' } }] } });
    expect(message(host)).toBe('pods "h" is forbidden: violates PodSecurity "restricted:latest": restricted volume types (volume "h" uses restricted volume type "hostPath")');
  });

  it('enforces baseline host namespaces and privileged containers', async () => {
    await ns('base', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.32' });
    const spec = { hostNetwork: true, containers: [{ name: 'app', image: 'nginx', securityContext: { privileged: true } }] };
    expect(message(await t.createPod('p', 'base', { spec }))).toBe(
      'pods "p" is forbidden: violates PodSecurity "baseline:v1.32": host namespaces (hostNetwork=true), privileged (container "app" must not set securityContext.privileged=true)',
    );
    expect((await t.createPod('plain', 'base')).status).toBe(201);
  });

  it('warns instead of refusing in warn mode and for workloads', async () => {
    await ns('loose', { 'pod-security.kubernetes.io/warn': 'baseline', 'pod-security.kubernetes.io/enforce': 'baseline' });
    const spec = { containers: [{ name: 'app', image: 'nginx', securityContext: { privileged: true } }] };
    const dep = {
      metadata: { name: 'd' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec } },
    };
    const res = await post('/apis/apps/v1/namespaces/loose/deployments', dep);
    expect(res.status).toBe(201);
    expect(res.headers?.warning).toBe('299 - "would violate PodSecurity \\"baseline:latest\\": privileged (container \\"app\\" must not set securityContext.privileged=true)"');
    await ns('watch', { 'pod-security.kubernetes.io/warn': 'restricted' });
    const p = await t.createPod('p', 'watch');
    expect(p.status).toBe(201);
    expect(p.headers?.warning).toMatch(/^299 - "would violate PodSecurity \\"restricted:latest\\": allowPrivilegeEscalation != false/);
  });
});

describe('DefaultStorageClass', () => {
  const sc = { metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path' };
  const claim = (name: string, spec: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } });

  it('gives a claim without a class the default class, and keeps an explicit ""', async () => {
    await post('/apis/storage.k8s.io/v1/storageclasses', sc);
    expect(((await post(`${NS}/persistentvolumeclaims`, claim('a'))).body as any).spec.storageClassName).toBe('standard');
    expect(((await post(`${NS}/persistentvolumeclaims`, claim('b', { storageClassName: '' }))).body as any).spec.storageClassName).toBe('');
  });

  it('lets an unset class be set later (retroactive default), but no other spec change', async () => {
    const created = (await post(`${NS}/persistentvolumeclaims`, claim('c'))).body as any;
    expect(created.spec.storageClassName).toBeUndefined();
    const set = await t.call({ method: 'PUT', path: `${NS}/persistentvolumeclaims/c`, body: { ...created, spec: { ...created.spec, storageClassName: 'standard' } } });
    expect(set.status).toBe(200);
    const again = (set.body as any);
    const change = await t.call({ method: 'PUT', path: `${NS}/persistentvolumeclaims/c`, body: { ...again, spec: { ...again.spec, storageClassName: 'other' } } });
    expect(change.status).toBe(422);
  });
});

describe('StatefulSet validation', () => {
  it('accepts volumeMounts that name a volumeClaimTemplate', async () => {
    const sts = {
      metadata: { name: 'db' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'busybox', volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    };
    expect((await post('/apis/apps/v1/namespaces/default/statefulsets', sts)).status).toBe(201);
    const bad = structuredClone(sts);
    bad.metadata.name = 'db2';
    bad.spec.template.spec.containers[0].volumeMounts[0].name = 'nope';
    expect(message(await post('/apis/apps/v1/namespaces/default/statefulsets', bad))).toContain('spec.template.spec.containers[0].volumeMounts[0].name: Not found: "nope"');
  });
});

describe('PodSecurity on namespace updates', () => {
  it('warns about existing pods that violate a new enforce level', async () => {
    await t.createPod('a');
    await t.createPod('b');
    const ns = (await t.call({ path: '/api/v1/namespaces/default' })).body as any;
    const res = await t.call({ method: 'PUT', path: '/api/v1/namespaces/default', body: { ...ns, metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, 'pod-security.kubernetes.io/enforce': 'restricted' } } } });
    expect(res.status).toBe(200);
    expect(res.headers?.warning).toBe(
      '299 - "existing pods in namespace \\"default\\" violate the new PodSecurity enforce level \\"restricted:latest\\"", ' +
        '299 - "a (and 1 other pods): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile"',
    );
  });
});
