import { describe, expect, it } from 'vitest';
import { apiFixture } from '../testing/api-fixture';

const t = apiFixture();
const VAP = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const VAPB = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
type Body = Record<string, any>;
const post = (path: string, body: unknown) => t.call({ method: 'POST', path, body });

/** The docs' demo policy: deployments may have at most 5 replicas. */
const policy = (extra: Body = {}) => ({
  metadata: { name: 'demo-policy.example.com' },
  spec: {
    failurePolicy: 'Fail',
    matchConstraints: { resourceRules: [{ apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['deployments'] }] },
    validations: [{ expression: 'object.spec.replicas <= 5' }],
    ...extra,
  },
});
const binding = (actions: string[], extra: Body = {}) => ({ metadata: { name: 'demo-binding-test.example.com' }, spec: { policyName: 'demo-policy.example.com', validationActions: actions, ...extra } });
const deployment = (name: string, replicas: number, labels: Body = { app: name }) => ({
  metadata: { name, labels },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

describe('ValidatingAdmissionPolicy', () => {
  it('denies with the docs message, 422 Invalid and one cause; serves the table columns', async () => {
    expect((await post(VAP, policy())).status).toBe(201);
    expect((await post(VAPB, binding(['Deny']))).status).toBe(201);
    expect((await post(DEPLOYS, deployment('small', 3))).status).toBe(201);
    const res = await post(DEPLOYS, deployment('big', 6));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      reason: 'Invalid',
      code: 422,
      message: 'deployments.apps "big" is forbidden: ValidatingAdmissionPolicy \'demo-policy.example.com\' with binding \'demo-binding-test.example.com\' denied request: failed expression: object.spec.replicas <= 5',
      details: { name: 'big', group: 'apps', kind: 'deployments', causes: [{ message: "ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5" }] },
    });
    const table = (await t.call({ path: VAP, accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' })).body as Body;
    expect(table.columnDefinitions.map((c: Body) => c.name)).toEqual(['Name', 'Validations', 'ParamKind', 'Age']);
    expect(table.rows[0].cells.slice(0, 3)).toEqual(['demo-policy.example.com', 1, '<unset>']);
  });

  it('warns instead with validationActions Warn, and uses message, messageExpression and reason', async () => {
    await post(VAP, policy({ validations: [{ expression: 'object.spec.replicas <= 5', messageExpression: "'replicas ' + string(object.spec.replicas) + ' > 5'", reason: 'Forbidden' }] }));
    await post(VAPB, binding(['Warn']));
    const warned = await post(DEPLOYS, deployment('warned', 7));
    expect(warned.status).toBe(201);
    expect(warned.headers?.warning).toContain("Validation failed for ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com': replicas 7 > 5");
    const b = (await t.call({ path: `${VAPB}/demo-binding-test.example.com` })).body as Body;
    expect((await t.call({ method: 'PUT', path: `${VAPB}/demo-binding-test.example.com`, body: { ...b, spec: { ...b.spec, validationActions: ['Deny'] } } })).status).toBe(200);
    const denied = await post(DEPLOYS, deployment('denied', 9));
    expect(denied.status).toBe(403);
    expect((denied.body as Body).reason).toBe('Forbidden');
  });

  it('honours the binding matchResources, params and namespaceSelector', async () => {
    await post('/api/v1/namespaces', { metadata: { name: 'prod', labels: { env: 'prod' } } });
    await post('/api/v1/namespaces/prod/configmaps', { metadata: { name: 'limits' }, data: { max: '2' } });
    await post(VAP, policy({ paramKind: { apiVersion: 'v1', kind: 'ConfigMap' }, validations: [{ expression: 'object.spec.replicas <= int(params.data.max)', message: 'too many replicas' }] }));
    await post(VAPB, binding(['Deny'], { paramRef: { name: 'limits', parameterNotFoundAction: 'Deny' }, matchResources: { namespaceSelector: { matchLabels: { env: 'prod' } } } }));
    expect((await post(DEPLOYS, deployment('dev', 4))).status).toBe(201);
    const res = await post('/apis/apps/v1/namespaces/prod/deployments', deployment('web', 3));
    expect((res.body as Body).message).toBe('deployments.apps "web" is forbidden: ValidatingAdmissionPolicy \'demo-policy.example.com\' with binding \'demo-binding-test.example.com\' denied request: too many replicas');
    expect((await post('/apis/apps/v1/namespaces/prod/deployments', deployment('web', 2))).status).toBe(201);
  });

  it('validates policies and bindings', async () => {
    const bad = await post(VAP, policy({ validations: [{ expression: 'object.spec.replicas <' }], failurePolicy: 'Maybe' }));
    expect(bad.status).toBe(422);
    expect((bad.body as Body).details.causes.map((c: Body) => c.field)).toEqual(['spec.failurePolicy', 'spec.validations[0].expression']);
    expect((bad.body as Body).message).toContain('spec.validations[0].expression: Invalid value: "object.spec.replicas <": compilation failed: ERROR: <input>:1:23: Syntax error:');
    const b = await post(VAPB, { metadata: { name: 'b' }, spec: {} });
    expect((b.body as Body).message).toBe('ValidatingAdmissionPolicyBinding.admissionregistration.k8s.io "b" is invalid: [spec.policyName: Required value, spec.validationActions: Required value: at least one validation action is required]');
  });
});
