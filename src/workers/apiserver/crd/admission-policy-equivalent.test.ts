import { describe, expect, it } from 'vitest';
import { apiFixture } from '../testing/api-fixture';
import { keyPrefix } from '../object-codec';
import { builtinTable } from '../registry/registry';
import { CRONTAB_CRD, crontab } from './testing/crontab-crd';

// matchPolicy Equivalent (matching.matchesResourceRules, 1.32): a rule naming one version of a resource also
// matches writes through an equivalent group/version, and the policy sees the object converted to the
// version the rule names; Exact does not.
const t = apiFixture();
const VAP = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const VAPB = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
type Body = Record<string, any>;
const post = (path: string, body: unknown) => t.call({ method: 'POST', path, body });

/** CronTab served at v1 (storage) and v2, both with the scale subresource. */
function twoVersions(): Body {
  const crd = structuredClone(CRONTAB_CRD) as Body;
  const v2 = structuredClone(crd.spec.versions[0]);
  v2.name = 'v2';
  v2.storage = false;
  crd.spec.versions.push(v2);
  return crd;
}

/** A Warn policy whose message shows what it saw: object's apiVersion/kind and the request's kind/resource versions. */
const SEEN = "object.apiVersion + ' ' + object.kind + ' kind=' + request.kind.group + '/' + request.kind.version + '/' + request.kind.kind + ' requestKind=' + request.requestKind.version + ' resource=' + request.resource.version + ' requestResource=' + request.requestResource.version";
async function policy(rules: Body[], extra: Body = {}, messageExpression = SEEN): Promise<void> {
  expect((await post(VAP, { metadata: { name: 'p' }, spec: { matchConstraints: { resourceRules: rules, ...extra }, validations: [{ expression: 'false', messageExpression }] } })).status).toBe(201);
  expect((await post(VAPB, { metadata: { name: 'b' }, spec: { policyName: 'p', validationActions: ['Warn'] } })).status).toBe(201);
}
const warning = (r: { headers?: Record<string, string> }) => (r.headers?.warning ?? '').replace(/^299 - "Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': (.*)"$/, '$1');
const rule = (group: string, version: string, resources: string[], operations = ['CREATE', 'UPDATE']) => ({ apiGroups: [group], apiVersions: [version], operations, resources });

describe('ValidatingAdmissionPolicy matchPolicy', () => {
  it('the built-in resources served at more than one group/version (sharing storage) are Events and HorizontalPodAutoscalers', () => {
    const byStorage = new Map<string, string[]>();
    for (const s of builtinTable.all()) byStorage.set(keyPrefix(s), [...(byStorage.get(keyPrefix(s)) ?? []), `${s.ref.group}/${s.ref.version}/${s.ref.resource}`]);
    expect([...byStorage.values()].filter((v) => v.length > 1)).toEqual([['/v1/events', 'events.k8s.io/v1/events'], ['autoscaling/v2/horizontalpodautoscalers', 'autoscaling/v1/horizontalpodautoscalers']]);
  });

  it('Equivalent (the default): a write through v2 of a custom resource matches a v1 rule, converted to v1; requestKind/requestResource stay v2', async () => {
    expect((await post(CRDS, twoVersions())).status).toBe(201);
    await policy([rule('stable.example.com', 'v1', ['crontabs'])]);
    const p = (await t.call({ path: `${VAP}/p` })).body as Body;
    expect(p.spec.matchConstraints.matchPolicy).toBe('Equivalent');
    const viaV2 = await post('/apis/stable.example.com/v2/namespaces/default/crontabs', { ...crontab('a'), apiVersion: 'stable.example.com/v2' });
    expect(viaV2.status).toBe(201);
    expect(warning(viaV2)).toBe('stable.example.com/v1 CronTab kind=stable.example.com/v1/CronTab requestKind=v2 resource=v1 requestResource=v2');
    const viaV1 = await post('/apis/stable.example.com/v1/namespaces/default/crontabs', crontab('b'));
    expect(warning(viaV1)).toBe('stable.example.com/v1 CronTab kind=stable.example.com/v1/CronTab requestKind=v1 resource=v1 requestResource=v1');
    // a version added later is equivalent too
    const crd = (await t.call({ path: `${CRDS}/crontabs.stable.example.com` })).body as Body;
    crd.spec.versions.push({ ...structuredClone(crd.spec.versions[1]), name: 'v3' });
    expect((await t.call({ method: 'PUT', path: `${CRDS}/crontabs.stable.example.com`, body: crd })).status).toBe(200);
    p.spec.matchConstraints.resourceRules[0].apiVersions = ['v3'];
    expect((await t.call({ method: 'PUT', path: `${VAP}/p`, body: p })).status).toBe(200);
    const again = await post('/apis/stable.example.com/v2/namespaces/default/crontabs', { ...crontab('c'), apiVersion: 'stable.example.com/v2' });
    expect(warning(again)).toBe('stable.example.com/v3 CronTab kind=stable.example.com/v3/CronTab requestKind=v2 resource=v3 requestResource=v2');
  });

  it('Exact matches only the group/version the rule names', async () => {
    expect((await post(CRDS, twoVersions())).status).toBe(201);
    await policy([rule('stable.example.com', 'v1', ['crontabs'])], { matchPolicy: 'Exact' });
    const viaV2 = await post('/apis/stable.example.com/v2/namespaces/default/crontabs', { ...crontab('a'), apiVersion: 'stable.example.com/v2' });
    expect([viaV2.status, viaV2.headers?.warning]).toEqual([201, undefined]);
    expect(warning(await post('/apis/stable.example.com/v1/namespaces/default/crontabs', crontab('b')))).toContain('requestKind=v1');
  });

  it('excludeResourceRules also exclude equivalent resources; the scale subresource matches its equivalent as an autoscaling/v1 Scale', async () => {
    expect((await post(CRDS, twoVersions())).status).toBe(201);
    await policy([rule('stable.example.com', '*', ['*', '*/scale'])], { excludeResourceRules: [rule('stable.example.com', 'v1', ['crontabs'])] }, "object.kind + ' ' + string(object.spec.replicas) + ' ' + request.resource.version + '/' + request.requestResource.version");
    const created = await post('/apis/stable.example.com/v2/namespaces/default/crontabs', { ...crontab('a', { replicas: 2 }), apiVersion: 'stable.example.com/v2' });
    expect([created.status, created.headers?.warning]).toEqual([201, undefined]);
    const scalePath = '/apis/stable.example.com/v2/namespaces/default/crontabs/a/scale';
    const scale = (await t.call({ path: scalePath })).body as Body;
    const scaled = await t.call({ method: 'PUT', path: scalePath, body: { ...scale, spec: { replicas: 3 } } });
    expect(scaled.status).toBe(200);
    expect(warning(scaled)).toBe('Scale 3 v2/v2');
    const p = (await t.call({ path: `${VAP}/p` })).body as Body;
    p.spec.matchConstraints = { resourceRules: [rule('stable.example.com', 'v1', ['crontabs/scale'])] };
    expect((await t.call({ method: 'PUT', path: `${VAP}/p`, body: p })).status).toBe(200);
    const again = await t.call({ method: 'PUT', path: scalePath, body: { ...scale, metadata: { ...scale.metadata, resourceVersion: undefined }, spec: { replicas: 4 } } });
    expect(warning(again)).toBe('Scale 4 v1/v2');
  });

  it('core/v1 Events match an events.k8s.io/v1 rule, converted (message → note); autoscaling/v1 HPAs an autoscaling/v2 rule', async () => {
    await policy([rule('events.k8s.io', 'v1', ['events']), rule('autoscaling', 'v2', ['horizontalpodautoscalers'])], {}, "request.kind.group + '/' + request.kind.version + ' ' + (has(object.note) ? object.note : string(object.spec.metrics[0].resource.target.averageUtilization)) + ' from ' + request.requestKind.group + '/' + request.requestKind.version");
    const ev = await post('/api/v1/namespaces/default/events', { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'x', namespace: 'default' }, reason: 'Hello', message: 'hi there', type: 'Normal', source: { component: 'me' } });
    expect(ev.status).toBe(201);
    expect(warning(ev)).toBe('events.k8s.io/v1 hi there from /v1');
    const hpa = await post('/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', {
      metadata: { name: 'h' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' }, maxReplicas: 3, targetCPUUtilizationPercentage: 70 },
    });
    expect(hpa.status).toBe(201);
    expect(warning(hpa)).toBe('autoscaling/v2 70 from autoscaling/v1');
  });
});
