import { describe, expect, it } from 'vitest';
import { apiFixture } from '../testing/api-fixture';

const f = apiFixture();
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
type Obj = Record<string, any>;

const deployment = (spec: Obj = {}, meta: Obj = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', ...meta },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }] }] } },
    ...spec,
  },
});

const apply = (body: Obj, query: Record<string, string>) =>
  f.call({ method: 'PATCH', path: `${DEPLOYS}/web`, body: JSON.stringify(body), contentType: 'application/apply-patch+yaml', query });
const managers = (o: Obj) => (o.metadata.managedFields as Obj[]).map((e) => `${e.manager}/${e.operation}${e.subresource ? `/${e.subresource}` : ''}`);

describe('managedFields on writes', () => {
  it('records a create as an Update entry in the FieldsV1 format, defaults included and status excluded', async () => {
    const r = await f.call({ method: 'POST', path: DEPLOYS, body: deployment({}, { labels: { app: 'web' } }), query: { fieldManager: 'kubectl-client-side-apply' } });
    expect(r.status).toBe(201);
    const [e] = (r.body as Obj).metadata.managedFields;
    expect(Object.keys(e)).toEqual(['manager', 'operation', 'apiVersion', 'time', 'fieldsType', 'fieldsV1']);
    expect(e).toMatchObject({ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: '2026-01-01T00:00:00Z', fieldsType: 'FieldsV1' });
    const v = e.fieldsV1;
    expect(v['f:metadata']).toEqual({ 'f:labels': { '.': {}, 'f:app': {} } });
    expect(v['f:status']).toBeUndefined();
    expect(v['f:spec']['f:selector']).toEqual({});
    expect(v['f:spec']['f:strategy']).toEqual({ 'f:rollingUpdate': { '.': {}, 'f:maxSurge': {}, 'f:maxUnavailable': {} }, 'f:type': {} });
    expect(v['f:spec']['f:template']['f:metadata']).toEqual({ 'f:labels': { '.': {}, 'f:app': {} } });
    const c = v['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"nginx"}'];
    expect(c['.']).toEqual({});
    expect(c['f:ports']).toEqual({ '.': {}, 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } });
    expect(c['f:resources']).toEqual({});
    expect(Object.keys(c)).toContain('f:terminationMessagePolicy');
  });

  it('takes the manager from the user agent, records status writes as subresource status and scale writes as scale', async () => {
    const ua = 'kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/abc/system:serviceaccount:kube-system:deployment-controller';
    const created = (await f.call({ method: 'POST', path: DEPLOYS, body: deployment(), userAgent: ua })).body as Obj;
    expect(managers(created)).toEqual(['kube-controller-manager/Update']);
    const st = await f.call({ method: 'PUT', path: `${DEPLOYS}/web/status`, body: { ...created, status: { replicas: 1, observedGeneration: 1 } }, userAgent: ua });
    const entries = (st.body as Obj).metadata.managedFields as Obj[];
    expect(entries[1]).toMatchObject({ manager: 'kube-controller-manager', subresource: 'status', fieldsV1: { 'f:status': { 'f:observedGeneration': {}, 'f:replicas': {} } } });
    const scaled = await f.call({ method: 'PATCH', path: `${DEPLOYS}/web/scale`, body: { spec: { replicas: 4 } }, contentType: 'application/merge-patch+json', userAgent: 'kubectl/v1.32.5 (linux/amd64)' });
    expect(scaled.status).toBe(200);
    const dep = (await f.call({ path: `${DEPLOYS}/web` })).body as Obj;
    expect(managers(dep)).toEqual(['kube-controller-manager/Update', 'kube-controller-manager/Update/status', 'kubectl/Update/scale']);
    expect(dep.metadata.managedFields[0].fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    const r = await apply(deployment({ replicas: 2 }), { fieldManager: 'team' });
    expect(r.status).toBe(409);
    expect((r.body as Obj).message).toBe('Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
    const two = await apply(deployment({ replicas: 2, progressDeadlineSeconds: 300 }), { fieldManager: 'team' });
    expect((two.body as Obj).message).toBe(
      'Apply failed with 2 conflicts: conflicts with "kube-controller-manager" using apps/v1:\n- .spec.progressDeadlineSeconds\nconflicts with "kubectl" with subresource "scale" using apps/v1:\n- .spec.replicas',
    );
  });

  it('leaves an untracked object untracked and resets managedFields sent as an empty list', async () => {
    const created = (await f.call({ method: 'POST', path: DEPLOYS, body: deployment(), query: { fieldManager: 'a' } })).body as Obj;
    const cleared = (await f.call({ method: 'PATCH', path: `${DEPLOYS}/web`, body: { metadata: { managedFields: [] } }, contentType: 'application/merge-patch+json' })).body as Obj;
    expect(created.metadata.managedFields).toHaveLength(1);
    expect(cleared.metadata.managedFields).toBeUndefined();
    const upd = (await f.call({ method: 'PATCH', path: `${DEPLOYS}/web`, body: { spec: { replicas: 3 } }, contentType: 'application/merge-patch+json', query: { fieldManager: 'b' } })).body as Obj;
    expect(upd.metadata.managedFields).toBeUndefined();
  });
});

describe('server-side apply', () => {
  it('requires fieldManager and forbids force on other patch types, with kube-apiserver messages', async () => {
    const r = await apply(deployment(), {});
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      reason: 'Invalid',
      details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] },
    });
    const p = await f.call({ method: 'PATCH', path: `${DEPLOYS}/web`, body: {}, contentType: 'application/merge-patch+json', query: { force: 'true' } });
    expect(p.status).toBe(422);
    expect((p.body as Obj).message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });

  it('creates with 201 and an Apply entry holding exactly the applied fields; dryRun stores nothing', async () => {
    const dry = await apply(deployment(), { fieldManager: 'team', dryRun: 'All' });
    expect(dry.status).toBe(201);
    expect((await f.call({ path: `${DEPLOYS}/web` })).status).toBe(404);
    const r = await apply(deployment(), { fieldManager: 'team' });
    expect(r.status).toBe(201);
    const dep = r.body as Obj;
    expect(dep.spec.revisionHistoryLimit).toBe(10);
    expect(dep.metadata.managedFields).toEqual([
      {
        manager: 'team',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"nginx"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } } },
                },
              },
            },
          },
        },
      },
    ]);
  });

  it('conflicts with another manager, then force takes the field over', async () => {
    await f.call({ method: 'POST', path: DEPLOYS, body: deployment(), query: { fieldManager: 'kubectl-client-side-apply' } });
    const same = await apply(deployment(), { fieldManager: 'team' });
    expect(same.status).toBe(200);
    const r = await apply(deployment({ replicas: 3 }), { fieldManager: 'team' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      reason: 'Conflict',
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
    });
    const forced = await apply(deployment({ replicas: 3 }), { fieldManager: 'team', force: 'true' });
    expect(forced.status).toBe(200);
    const dep = forced.body as Obj;
    expect(dep.spec.replicas).toBe(3);
    expect(dep.metadata.generation).toBe(2);
    const csa = (dep.metadata.managedFields as Obj[]).find((e) => e.manager === 'kubectl-client-side-apply')!;
    expect(csa.fieldsV1['f:spec']['f:replicas']).toBeUndefined();
    expect(csa.fieldsV1['f:spec']['f:progressDeadlineSeconds']).toEqual({});
  });

  it('removes a field the manager stops applying unless another manager owns it', async () => {
    await apply(deployment({}, { labels: { a: '1', b: '2' } }), { fieldManager: 'team' });
    await apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { b: '2' } } }, { fieldManager: 'other' });
    const r = await apply(deployment({ replicas: undefined }), { fieldManager: 'team' });
    expect(r.status).toBe(200);
    const dep = r.body as Obj;
    expect(dep.metadata.labels).toEqual({ b: '2' });
    expect(dep.spec.replicas).toBe(1);
    expect(managers(dep)).toEqual(['other/Apply', 'team/Apply']);
  });

  it('lets the manager "kubectl" take fields its client-side apply set and keeps last-applied in step', async () => {
    const last = JSON.stringify(deployment()) + '\n';
    await f.call({ method: 'POST', path: DEPLOYS, body: deployment({}, { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': last } }), query: { fieldManager: 'kubectl-client-side-apply' } });
    const r = await apply(deployment({ replicas: 5 }, { namespace: 'default' }), { fieldManager: 'kubectl' });
    expect(r.status).toBe(200);
    const dep = r.body as Obj;
    expect(dep.spec.replicas).toBe(5);
    const ann = dep.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
    expect(ann).toBe(
      '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":5,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"image":"nginx","name":"nginx","ports":[{"containerPort":80}]}]}}}}\n',
    );
  });
});
