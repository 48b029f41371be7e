import { describe, expect, it } from 'vitest';
import { apiFixture } from '../testing/api-fixture';
import { FakeClock, seededIds } from '../../../api';
import { createMemoryStore } from '../../../storage';
import { createApiServer } from '../index';
import { CRONTAB_CRD, crontab } from './testing/crontab-crd';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const CT = '/apis/stable.example.com/v1/namespaces/default/crontabs';

type Body = Record<string, any>;

describe('CustomResourceDefinition lifecycle', () => {
  const f = apiFixture();
  const createCrd = (crd: unknown = CRONTAB_CRD) => f.call({ method: 'POST', path: CRDS, body: crd });

  it('deleting the CRD waits on its finalizer until the custom resources are gone, then removes the resource', async () => {
    await createCrd();
    await f.call({ method: 'POST', path: CT, body: crontab('a') });
    await f.call({ method: 'POST', path: CT, body: { ...crontab('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } } });
    const del = await f.call({ method: 'DELETE', path: `${CRDS}/crontabs.stable.example.com` });
    expect(del.status).toBe(200);
    const crd = del.body as Body;
    expect(crd.metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    expect(crd.status.conditions.find((c: Body) => c.type === 'Terminating')).toMatchObject({ status: 'True', reason: 'InstanceDeletionPending' });
    const refused = await f.call({ method: 'POST', path: CT, body: crontab('c') });
    expect(refused.status).toBe(405);
    expect((refused.body as Body).message).toBe('create not allowed while custom resource definition is terminating');
    await until(async () => (await f.call({ path: `${CT}/a` })).status === 404);
    expect(((await f.call({ path: `${CT}/held` })).body as Body).metadata.deletionTimestamp).toBeDefined();
    expect((await f.call({ path: `${CRDS}/crontabs.stable.example.com` })).status).toBe(200);
    await f.call({ method: 'PATCH', path: `${CT}/held`, contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } });
    await until(async () => (await f.call({ path: `${CRDS}/crontabs.stable.example.com` })).status === 404);
    await until(async () => (await f.call({ path: CT })).status === 404);
    expect(((await f.call({ path: '/apis' })).body as Body).groups.some((g: Body) => g.name === 'stable.example.com')).toBe(false);
  });

  it('applies schema changes to new writes and defaults of a changed schema on reads', async () => {
    await createCrd();
    await f.call({ method: 'POST', path: CT, body: crontab('a') });
    const patched = await f.call({
      method: 'PATCH',
      path: `${CRDS}/crontabs.stable.example.com`,
      contentType: 'application/json-patch+json',
      body: [{ op: 'add', path: '/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/size', value: { type: 'integer', default: 3 } }],
    });
    expect(patched.status).toBe(200);
    expect((patched.body as Body).metadata.generation).toBe(2);
    expect(((await f.call({ path: `${CT}/a` })).body as Body).spec.size).toBe(3);
    const bad = await f.call({ method: 'POST', path: CT, body: crontab('b', { size: 'big' }) });
    expect((bad.body as Body).message).toBe('CronTab.stable.example.com "b" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"');
  });

  it('deletecollection of CRDs cleans up each CRD as a single delete does', async () => {
    await createCrd();
    await f.call({ method: 'POST', path: CT, body: crontab('a') });
    const res = await f.call({ method: 'DELETE', path: CRDS });
    expect(res.status).toBe(200);
    expect((res.body as Body).items[0].metadata.finalizers).toEqual(['customresourcecleanup.apiextensions.k8s.io']);
    await until(async () => (await f.call({ path: `${CRDS}/crontabs.stable.example.com` })).status === 404);
    expect((await f.api.request({ method: 'GET', path: CT })).status).toBe(404);
  });

  it('rebuilds the custom resources from the store at boot', async () => {
    const store = createMemoryStore();
    const first = await createApiServer({ store, clock: new FakeClock(), ids: seededIds(1) });
    await first.request({ method: 'POST', path: CRDS, body: CRONTAB_CRD });
    await first.request({ method: 'POST', path: CT, body: crontab('a') });
    first.dispose();
    const second = await createApiServer({ store, clock: new FakeClock(), ids: seededIds(2) });
    const got = await second.request({ method: 'GET', path: `${CT}/a` });
    expect(got.status).toBe(200);
    expect((got.body as Body).spec.color).toBe('blue');
    second.dispose();
  });
});

describe('custom resources with the rest of the API', () => {
  const f = apiFixture();

  it('warns on every request to a deprecated version', async () => {
    const crd = structuredClone(CRONTAB_CRD) as Record<string, any>;
    crd.spec.versions.push({ ...crd.spec.versions[0], name: 'v1beta1', storage: false, deprecated: true });
    crd.spec.versions.push({ ...crd.spec.versions[0], name: 'v1alpha1', storage: false, deprecated: true, deprecationWarning: 'use v1, please' });
    expect((await f.call({ method: 'POST', path: CRDS, body: crd })).status).toBe(201);
    const beta = await f.call({ method: 'POST', path: '/apis/stable.example.com/v1beta1/namespaces/default/crontabs', body: { ...crontab('a', { nope: 1 }), apiVersion: 'stable.example.com/v1beta1' } });
    expect(beta.status).toBe(201);
    expect(beta.headers?.warning).toBe('299 - "stable.example.com/v1beta1 CronTab is deprecated; use stable.example.com/v1 CronTab", 299 - "unknown field \\"spec.nope\\""');
    expect((await f.call({ path: '/apis/stable.example.com/v1alpha1/namespaces/default/crontabs' })).headers?.warning).toBe('299 - "use v1, please"');
    expect((await f.call({ path: CT })).headers?.warning).toBeUndefined();
  });

  it('watches custom resources and removes them with their namespace', async () => {
    await f.call({ method: 'POST', path: CRDS, body: CRONTAB_CRD });
    await f.call({ method: 'POST', path: '/api/v1/namespaces', body: { metadata: { name: 'team' } } });
    const open = await f.api.stream({ method: 'GET', path: '/apis/stable.example.com/v1/namespaces/team/crontabs', query: { watch: 'true' } });
    expect(open.status).toBe(200);
    await f.call({ method: 'POST', path: '/apis/stable.example.com/v1/namespaces/team/crontabs', body: crontab('w') });
    const chunk = await f.api.read(open.streamId!);
    const text = JSON.stringify(chunk);
    expect(text).toContain('ADDED');
    expect(text).toContain('"name":"w"');
    f.api.cancel(open.streamId!);
    await f.call({ method: 'DELETE', path: '/api/v1/namespaces/team' });
    await until(async () => (await f.call({ path: '/apis/stable.example.com/v1/namespaces/team/crontabs/w' })).status === 404);
  });

  it('serves /openapi/v2 as JSON with the custom kinds', async () => {
    await f.call({ method: 'POST', path: CRDS, body: CRONTAB_CRD });
    const v2 = await f.call({ path: '/openapi/v2', accept: 'application/json' });
    expect(v2.status).toBe(200);
    const doc = v2.body as Body;
    expect(doc.swagger).toBe('2.0');
    expect(doc.definitions['com.example.stable.v1.CronTab'].properties.metadata.allOf).toEqual([{ $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    expect(doc.paths['/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}'].patch['x-kubernetes-group-version-kind']).toEqual({ group: 'stable.example.com', version: 'v1', kind: 'CronTab' });
    expect((await f.call({ path: '/openapi/v2', accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' })).status).toBe(404);
  });
});

async function until(cond: () => Promise<boolean>, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition not met');
}
