import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigMap } from 'kubernetes-types/core/v1';
import type { Ingress } from 'kubernetes-types/networking/v1';
import { ConfigMaps, Ingresses } from '../../api/resources';
import { seededIds } from '../../api/ids';
import { ApiClient } from '../../client/api-client';
import { apiFixture } from '../apiserver/testing/api-fixture';
import { confStamp, startIngressNginx, type IngressNginx } from './ingress-nginx';
import { CONF_CONFIGMAP, INGRESS_NAMESPACE } from './ingress-manifests';

const t = apiFixture();
const SA = 'system:serviceaccount:ingress-nginx:ingress-nginx';
const running: IngressNginx[] = [];
afterEach(() => running.splice(0).forEach((a) => a.dispose()));

const until = async (what: string, f: () => Promise<boolean>) => {
  for (let i = 0; i < 200; i++) {
    if (await f()) return;
    await t.clock.advance(50);
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('ingress-nginx identity', () => {
  it('installs its ServiceAccount and RBAC as the admin, then syncs as system:serviceaccount:ingress-nginx:ingress-nginx', async () => {
    const admin = new ApiClient(t.api);
    const addon = startIngressNginx({ client: admin, clock: t.clock, ids: seededIds(5), probes: false, log: () => undefined });
    running.push(addon);
    await addon.ready;
    const sa = await t.call({ path: `/api/v1/namespaces/${INGRESS_NAMESPACE}/serviceaccounts/ingress-nginx` });
    expect(sa.status).toBe(200);
    const cr = (await t.call({ path: '/apis/rbac.authorization.k8s.io/v1/clusterroles/ingress-nginx' })).body as { rules: { resources: string[]; verbs: string[] }[] };
    expect(cr.rules).toContainEqual({ apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] });
    expect((await t.call({ path: `/apis/rbac.authorization.k8s.io/v1/namespaces/${INGRESS_NAMESPACE}/rolebindings/ingress-nginx` })).status).toBe(200);

    await admin.create(Ingresses, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'demo', namespace: 'default' }, spec: { ingressClassName: 'tabernetes', rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } } as Ingress, 'default');
    await until('the conf to name a.example.com', async () => ((await admin.get<ConfigMap>(ConfigMaps, CONF_CONFIGMAP, INGRESS_NAMESPACE)).data?.['nginx.conf'] ?? '').includes('a.example.com'));

    const audit = t.api.audit();
    const by = (verb: string, resource: string) => audit.filter((e) => e.verb === verb && e.resource === resource && e.code < 300).map((e) => e.user);
    // The controller's reads, conf write and events are its ServiceAccount's; the installer created the objects.
    expect(new Set(by('list', 'ingresses'))).toEqual(new Set([SA]));
    expect(new Set(by('update', 'configmaps'))).toEqual(new Set([SA]));
    expect(by('create', 'events')).toContain(SA);
    expect(by('create', 'deployments')).toEqual(['kubernetes-admin']);
    expect(audit.some((e) => e.user === SA && e.code === 403)).toBe(false);

    // Its own identity is bounded: it cannot touch what its roles leave out.
    const sar = (resourceAttributes: object) =>
      t.call({ method: 'POST', path: '/apis/authorization.k8s.io/v1/subjectaccessreviews', body: { spec: { user: SA, groups: ['system:serviceaccounts', 'system:serviceaccounts:ingress-nginx', 'system:authenticated'], resourceAttributes } } });
    const allowed = async (a: object) => ((await sar(a)).body as { status: { allowed: boolean } }).status.allowed;
    expect(await allowed({ verb: 'update', resource: 'configmaps', namespace: INGRESS_NAMESPACE, name: CONF_CONFIGMAP })).toBe(true);
    expect(await allowed({ verb: 'update', resource: 'configmaps', namespace: INGRESS_NAMESPACE, name: 'other' })).toBe(false);
    expect(await allowed({ verb: 'delete', group: 'apps', resource: 'deployments', namespace: INGRESS_NAMESPACE, name: 'ingress-nginx-controller' })).toBe(false);
    expect(await allowed({ verb: 'get', resource: 'secrets', namespace: 'default', name: 'x' })).toBe(false);
    expect(await allowed({ verb: 'list', resource: 'secrets' })).toBe(true);
  });
});

describe('confStamp', () => {
  it('stamps only a running controller container, and anew after each restart', () => {
    const pod = (state: object, restartCount = 0) => ({ status: { containerStatuses: [{ name: 'controller', image: 'x', imageID: 'x', ready: false, restartCount, state }] } });
    expect(confStamp({}, 'abc')).toBeUndefined();
    expect(confStamp(pod({ waiting: { reason: 'ContainerCreating' } }), 'abc')).toBeUndefined();
    expect(confStamp(pod({ running: { startedAt: '2025-01-01T00:00:00Z' } }), 'abc')).toBe('abc/0/2025-01-01T00:00:00Z');
    expect(confStamp(pod({ running: { startedAt: '2025-01-01T00:00:00Z' } }, 1), 'abc')).toBe('abc/1/2025-01-01T00:00:00Z');
  });
});
