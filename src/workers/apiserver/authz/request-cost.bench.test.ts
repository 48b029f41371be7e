import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiRequest } from '../../../api';
import { createMemoryStore } from '../../../storage';
import { createApiServer, type ApiServer } from '../index';
import { nodeUser } from './component-identities';

/**
 * Per-request cost of the Node authorizer and of ValidatingAdmissionPolicy with a populated store
 * (printed, not asserted beyond sanity): a kubelet GET of a secret with 600 pods on 10 nodes, and a
 * ConfigMap create with 20 policies and bindings that do not match it. Also counts the store range reads
 * (list) per request, which does not depend on machine load.
 */
let api: ApiServer;
let lists = 0;
let store: ReturnType<typeof createMemoryStore>;
const t = { call: (req: Partial<ApiRequest> & { path: string }) => api.request({ method: 'GET', ...req }) };
beforeEach(async () => {
  store = createMemoryStore();
  const list = store.list.bind(store);
  store.list = (...args: Parameters<typeof list>) => (lists++, list(...args));
  api = await createApiServer({ store, clock: new FakeClock(), ids: seededIds(7) });
});
const NS = '/api/v1/namespaces/default';

/** µs per call and store lists per call, after a warm-up. */
async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<string> {
  for (let i = 0; i < 20; i++) await fn(n + i);
  const start = performance.now();
  const before = lists;
  for (let i = 0; i < n; i++) await fn(i);
  return `${(((performance.now() - start) * 1000) / n).toFixed(1)} µs, ${((lists - before) / n).toFixed(2)} store lists`;
}

describe('request cost', () => {
  it('Node authorizer: kubelet GET secret with 600 pods in the store', async () => {
    for (let i = 0; i < 600; i++) {
      const body = { metadata: { name: `p${i}` }, spec: { nodeName: `n${i % 10}`, containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 's', secret: { secretName: `s${i}` } }] } };
      expect((await t.call({ method: 'POST', path: `${NS}/pods`, body })).status).toBe(201);
    }
    await t.call({ method: 'POST', path: `${NS}/secrets`, body: { metadata: { name: 's599' } } });
    const us = await timed(300, () => t.call({ path: `${NS}/secrets/s599`, user: nodeUser('n9') }).then((r) => expect(r.status).toBe(200)));
    const admin = await timed(300, () => t.call({ path: `${NS}/secrets/s599` }));
    // what the store-reading NodeGraph did per request before the watch-fed index: list and parse every pod
    const old = await timed(300, async () => (await store.list('/registry/pods/')).kvs.map((kv) => JSON.parse(kv.value)).filter((p) => p.spec?.nodeName === 'n9'));
    console.log(`node GET secret: ${us} per request (admin GET, no authorizer: ${admin}; the old per-request pod read alone: ${old})`);
  }, 60_000);

  it('ValidatingAdmissionPolicy: ConfigMap create with 20 non-matching policies and bindings', async () => {
    const none = await timed(300, (i) => t.call({ method: 'POST', path: `${NS}/configmaps`, body: { metadata: { name: `n${i}` } } }).then((r) => expect(r.status).toBe(201)));
    for (let i = 0; i < 20; i++) {
      await t.call({ method: 'POST', path: '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies', body: { metadata: { name: `p${i}` }, spec: { matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] }] }, validations: [{ expression: 'object.spec.replicas <= 5' }] } } });
      await t.call({ method: 'POST', path: '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings', body: { metadata: { name: `b${i}` }, spec: { policyName: `p${i}`, validationActions: ['Deny'] } } });
    }
    await t.call({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'bench' } } });
    const us = await timed(300, (i) => t.call({ method: 'POST', path: '/api/v1/namespaces/bench/configmaps', body: { metadata: { name: `c${i}` } } }).then((r) => expect(r.status).toBe(201)));
    for (let i = 0; i < 20; i++) await t.call({ method: 'DELETE', path: `/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/b${i}` });
    const after = await timed(300, (i) => t.call({ method: 'POST', path: '/api/v1/namespaces/bench/configmaps', body: { metadata: { name: `d${i}` } } }).then((r) => expect(r.status).toBe(201)));
    console.log(`ConfigMap create with 20 VAP bindings: ${us} per request (no bindings before: ${none}; after deleting them: ${after})`);
  }, 60_000);
});
