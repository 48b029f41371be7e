import { describe, expect, it } from 'vitest';
import { apiFixture } from '../testing/api-fixture';
import { CRONTAB_CRD, crontab } from './testing/crontab-crd';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const CT = '/apis/stable.example.com/v1/namespaces/default/crontabs';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

type Body = Record<string, any>;

describe('CustomResourceDefinitions', () => {
  const f = apiFixture();
  const createCrd = (crd: unknown = CRONTAB_CRD) => f.call({ method: 'POST', path: CRDS, body: crd });

  it('defaults names, accepts them and establishes the CRD on create', async () => {
    const res = await createCrd();
    expect(res.status).toBe(201);
    const crd = res.body as Body;
    expect(crd.spec.names.listKind).toBe('CronTabList');
    expect(crd.spec.conversion).toEqual({ strategy: 'None' });
    expect(crd.status.acceptedNames).toEqual({ plural: 'crontabs', singular: 'crontab', kind: 'CronTab', listKind: 'CronTabList', shortNames: ['ct'], categories: ['all'] });
    expect(crd.status.conditions.map((c: Body) => [c.type, c.status, c.reason])).toEqual([
      ['NamesAccepted', 'True', 'NoConflicts'],
      ['Established', 'True', 'InitialNamesAccepted'],
    ]);
    expect(crd.status.storedVersions).toEqual(['v1']);
    expect(crd.metadata.generation).toBe(1);
  });

  it('rejects a CRD whose name is not <plural>.<group>, and bad names, scope and versions, all together', async () => {
    const bad = structuredClone(CRONTAB_CRD) as Body;
    bad.metadata.name = 'crontab.example.com';
    const res = await createCrd(bad);
    expect(res.status).toBe(422);
    expect((res.body as Body).message).toBe(
      'CustomResourceDefinition.apiextensions.k8s.io "crontab.example.com" is invalid: metadata.name: Invalid value: "crontab.example.com": must be spec.names.plural+"."+spec.group',
    );
    const worse = structuredClone(CRONTAB_CRD) as Body;
    worse.spec.scope = 'Global';
    worse.spec.group = 'example';
    worse.metadata.name = 'crontabs.example';
    worse.spec.versions.push({ ...worse.spec.versions[0], name: 'v2' });
    worse.spec.names.shortNames = ['CT'];
    const res2 = await createCrd(worse);
    expect(res2.status).toBe(422);
    const msg = (res2.body as Body).message as string;
    expect(msg).toContain('spec.group: Invalid value: "example": should be a domain with at least one dot');
    expect(msg).toContain('spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"');
    expect(msg).toContain('must have exactly one version marked as storage version');
    expect(msg).toContain('spec.names.shortNames[0]: Invalid value: "CT": a DNS-1035 label must consist of lower case alphanumeric characters');
  });

  it('reports unknown CRD fields (Strict: 400; Warn: a warning and the field dropped)', async () => {
    const typo = structuredClone(CRONTAB_CRD) as Body;
    typo.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.image.maxLenght = 3;
    typo.spec.versions[0].servd = true;
    const strict = await f.call({ method: 'POST', path: CRDS, query: { fieldValidation: 'Strict' }, body: typo });
    expect(strict.status).toBe(400);
    expect((strict.body as Body).message).toBe(
      'CustomResourceDefinition in version "v1" cannot be handled as a CustomResourceDefinition: strict decoding error: unknown field "spec.versions[0].servd", unknown field "spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.image.maxLenght"',
    );
    const warned = await createCrd(typo);
    expect(warned.status).toBe(201);
    expect(warned.headers?.warning).toContain('unknown field \\"spec.versions[0].servd\\"');
    expect((warned.body as Body).spec.versions[0].servd).toBeUndefined();
  });

  it('does not accept names another CRD of the group holds, and does not serve it', async () => {
    await createCrd();
    const other = structuredClone(CRONTAB_CRD) as Body;
    other.metadata.name = 'crontimers.stable.example.com';
    other.spec.names = { plural: 'crontimers', singular: 'crontimer', kind: 'CronTimer', shortNames: ['ct'] };
    const res = await createCrd(other);
    expect(res.status).toBe(201);
    const st = (res.body as Body).status;
    expect(st.acceptedNames).toEqual({ plural: '', kind: '' });
    expect(st.conditions.map((c: Body) => [c.type, c.status, c.reason, c.message])).toEqual([
      ['NamesAccepted', 'False', 'ShortNamesConflict', '"ct" is already in use'],
      ['Established', 'False', 'NotAccepted', 'not all names are accepted'],
    ]);
    expect((await f.call({ path: '/apis/stable.example.com/v1/crontimers' })).status).toBe(404);
  });

  it('requires structural schemas', async () => {
    const bad = structuredClone(CRONTAB_CRD) as Body;
    bad.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.cronSpec = { description: 'no type' };
    bad.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.tags = { type: 'array' };
    const res = await createCrd(bad);
    expect(res.status).toBe(422);
    expect((res.body as Body).details.causes).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value: must not be empty for specified object fields', field: 'spec.validation.openAPIV3Schema.properties[spec].properties[cronSpec].type' },
      { reason: 'FieldValueRequired', message: 'Required value: must be specified', field: 'spec.validation.openAPIV3Schema.properties[spec].properties[tags].items' },
    ]);
  });

  it('serves the custom resource in discovery, aggregated discovery and openapi v3', async () => {
    await createCrd();
    const apis = (await f.call({ path: '/apis' })).body as Body;
    expect(apis.groups.at(-1)).toEqual({ name: 'stable.example.com', versions: [{ groupVersion: 'stable.example.com/v1', version: 'v1' }], preferredVersion: { groupVersion: 'stable.example.com/v1', version: 'v1' } });
    const list = (await f.call({ path: '/apis/stable.example.com/v1' })).body as Body;
    expect(list.resources).toEqual([
      { name: 'crontabs', singularName: 'crontab', namespaced: true, kind: 'CronTab', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ct'], categories: ['all'] },
      { name: 'crontabs/scale', singularName: '', namespaced: true, kind: 'Scale', verbs: ['get', 'patch', 'update'] },
      { name: 'crontabs/status', singularName: '', namespaced: true, kind: 'CronTab', verbs: ['get', 'patch', 'update'] },
    ]);
    const agg = (await f.call({ path: '/apis', accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' })).body as Body;
    expect(agg.items.at(-1).metadata.name).toBe('stable.example.com');
    expect(agg.items.at(-1).versions[0].resources[0].resource).toBe('crontabs');
    const root = (await f.call({ path: '/openapi/v3' })).body as Body;
    expect(root.paths['apis/stable.example.com/v1'].serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/stable.example.com\/v1\?hash=[0-9a-f]{128}$/);
    const doc = (await f.call({ path: '/openapi/v3/apis/stable.example.com/v1' })).body as Body;
    const schema = doc.components.schemas['com.example.stable.v1.CronTab'];
    expect(schema['x-kubernetes-group-version-kind']).toEqual([{ group: 'stable.example.com', kind: 'CronTab', version: 'v1' }]);
    expect(schema.properties.spec.properties.cronSpec.description).toBe('The cron schedule.');
  });

  it('creates, defaults, prunes, validates, lists, patches and deletes custom resources', async () => {
    await createCrd();
    const created = await f.call({ method: 'POST', path: CT, body: crontab('a', { unknownField: 1, extra: { anything: { goes: true } } }) });
    expect(created.status).toBe(201);
    expect(created.headers?.warning).toBe('299 - "unknown field \\"spec.unknownField\\""');
    const a = created.body as Body;
    expect(a.apiVersion).toBe('stable.example.com/v1');
    expect(a.spec).toEqual({ cronSpec: '* * * * */5', image: 'my-awesome-cron-image', replicas: 1, color: 'blue', extra: { anything: { goes: true } } });
    expect(a.status).toBeUndefined();
    expect(a.metadata.generation).toBe(1);

    const strict = await f.call({ method: 'POST', path: CT, query: { fieldValidation: 'Strict' }, body: crontab('s', { nope: 1 }) });
    expect(strict.status).toBe(400);
    expect((strict.body as Body).message).toBe('CronTab in version "v1" cannot be handled as a CronTab: strict decoding error: unknown field "spec.nope"');

    const bad = await f.call({ method: 'POST', path: CT, body: crontab('b', { replicas: 'three', color: 'pink', image: 'x'.repeat(26), tags: ['a', 'bb', 'cc'], cronSpec: 'never' }) });
    expect(bad.status).toBe(422);
    expect((bad.body as Body).message).toBe(
      'CronTab.stable.example.com "b" is invalid: [spec.cronSpec: Invalid value: "never": spec.cronSpec in body should match \'^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$\', spec.image: Too long: may not be longer than 25, spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string", spec.color: Unsupported value: "pink": supported values: "red", "green", "blue", spec.tags[0]: Invalid value: "a": spec.tags[0] in body should be at least 2 chars long, spec.tags: Too many: 3: must have at most 2 items]',
    );
    const missing = await f.call({ method: 'POST', path: CT, body: { apiVersion: 'stable.example.com/v1', kind: 'CronTab', metadata: { name: 'm' }, spec: { replicas: 0 } } });
    expect((missing.body as Body).message).toBe('CronTab.stable.example.com "m" is invalid: [spec.cronSpec: Required value, spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1]');

    const merged = await f.call({ method: 'PATCH', path: `${CT}/a`, contentType: 'application/merge-patch+json', body: { spec: { replicas: 3 } } });
    expect(merged.status).toBe(200);
    expect((merged.body as Body).spec.replicas).toBe(3);
    expect((merged.body as Body).metadata.generation).toBe(2);
    const json = await f.call({ method: 'PATCH', path: `${CT}/a`, contentType: 'application/json-patch+json', body: [{ op: 'replace', path: '/spec/color', value: 'red' }] });
    expect((json.body as Body).spec.color).toBe('red');
    const smp = await f.call({ method: 'PATCH', path: `${CT}/a`, contentType: 'application/strategic-merge-patch+json', body: { spec: { replicas: 2 } } });
    expect(smp.status).toBe(415);
    expect((smp.body as Body).message).toBe('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml');

    await f.call({ method: 'POST', path: CT, body: crontab('b') });
    const listed = (await f.call({ path: CT })).body as Body;
    expect(listed.kind).toBe('CronTabList');
    expect(listed.apiVersion).toBe('stable.example.com/v1');
    expect(listed.items.map((i: Body) => i.metadata.name)).toEqual(['a', 'b']);
    const red = (await f.call({ path: CT, query: { fieldSelector: 'spec.color=red' } })).body as Body;
    expect(red.items.map((i: Body) => i.metadata.name)).toEqual(['a']);
    const badField = await f.call({ path: CT, query: { fieldSelector: 'spec.size=1' } });
    expect((badField.body as Body).message).toBe('field label not supported: spec.size');

    const del = await f.call({ method: 'DELETE', path: `${CT}/b` });
    expect(del.status).toBe(200);
    expect((await f.call({ path: `${CT}/b` })).status).toBe(404);
    expect(((await f.call({ path: `${CT}/b` })).body as Body).message).toBe('crontabs.stable.example.com "b" not found');
  });

  it('keeps status on main writes and spec on /status writes; serves scale', async () => {
    await createCrd();
    await f.call({ method: 'POST', path: CT, body: { ...crontab('a', { replicas: 2 }), status: { replicas: 9 } } });
    const st = await f.call({ method: 'PATCH', path: `${CT}/a/status`, contentType: 'application/merge-patch+json', body: { spec: { replicas: 5 }, status: { replicas: 2, labelSelector: 'app=cron' } } });
    expect(st.status).toBe(200);
    expect((st.body as Body).spec.replicas).toBe(2);
    expect((st.body as Body).status).toEqual({ replicas: 2, labelSelector: 'app=cron' });
    const main = await f.call({ method: 'PATCH', path: `${CT}/a`, contentType: 'application/merge-patch+json', body: { status: { replicas: 7 } } });
    expect((main.body as Body).status.replicas).toBe(2);
    const scale = await f.call({ path: `${CT}/a/scale` });
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=cron' } });
    const scaled = await f.call({ method: 'PATCH', path: `${CT}/a/scale`, contentType: 'application/merge-patch+json', body: { spec: { replicas: 4 } } });
    expect((scaled.body as Body).spec.replicas).toBe(4);
    expect(((await f.call({ path: `${CT}/a` })).body as Body).spec.replicas).toBe(4);
  });

  it('prints additionalPrinterColumns in the Table', async () => {
    await createCrd();
    await f.call({ method: 'POST', path: CT, body: crontab('a', { replicas: 2 }) });
    await f.clock.advance(90_000);
    const table = (await f.call({ path: CT, accept: TABLE })).body as Body;
    expect(table.columnDefinitions.map((c: Body) => [c.name, c.type, c.priority])).toEqual([
      ['Name', 'string', 0],
      ['Spec', 'string', 0],
      ['Replicas', 'integer', 0],
      ['Image', 'string', 1],
      ['Age', 'date', 0],
    ]);
    expect(table.rows[0].cells).toEqual(['a', '* * * * */5', 2, 'my-awesome-cron-image', '90s']);
  });
});
