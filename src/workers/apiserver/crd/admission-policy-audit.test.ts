import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../../api/protocol';
import { apiFixture } from '../testing/api-fixture';

const t = apiFixture();
const VAP = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const VAPB = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
const NS = '/api/v1/namespaces/default';
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';
type Body = Record<string, any>;
const post = (path: string, body: unknown, extra: Partial<ApiRequest> = {}) => t.call({ method: 'POST', path, body, ...extra });
const message = (r: { body: unknown }) => (r.body as Body).message as string;
const rule = (resources: string[], operations: string[], apiGroups = [''], apiVersions = ['v1']) => ({ apiGroups, apiVersions, operations, resources });
const policy = (name: string, rules: Body[], spec: Body) => ({ metadata: { name }, spec: { matchConstraints: { resourceRules: rules }, ...spec } });
const binding = (policyName: string, actions: string[]) => ({ metadata: { name: `${policyName}-b` }, spec: { policyName, validationActions: actions } });
const deployment = (name: string, replicas: number) => ({
  metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});
const lastAudit = () => t.api.audit().at(-1)!;
/** WithAuthorization's annotations for the in-tab admin (system:masters: allowed, no reason). */
const AUTHZ = { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' };

async function install(p: Body, actions: string[]): Promise<void> {
  const r = await post(VAP, p);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  expect((await post(VAPB, binding(p.metadata.name, actions))).status).toBe(201);
}

describe('ValidatingAdmissionPolicy on DELETE and subresources', () => {
  it('evaluates DELETE with object null, oldObject the stored object and DeleteOptions', async () => {
    await install(
      policy('keep', [rule(['configmaps'], ['DELETE'])], {
        validations: [
          { expression: "object == null && oldObject.metadata.name != 'precious'", messageExpression: "'cannot delete ' + oldObject.metadata.name" },
          { expression: "request.operation == 'DELETE' && request.options.kind == 'DeleteOptions' && request.name == oldObject.metadata.name" },
        ],
      }),
      ['Deny'],
    );
    for (const n of ['precious', 'junk', 'junk2']) expect((await post(`${NS}/configmaps`, { metadata: { name: n, labels: { l: 'x' } } })).status).toBe(201);
    const r = await t.call({ method: 'DELETE', path: `${NS}/configmaps/precious` });
    expect([r.status, message(r)]).toEqual([422, "configmaps \"precious\" is forbidden: ValidatingAdmissionPolicy 'keep' with binding 'keep-b' denied request: cannot delete precious"]);
    expect((await t.call({ path: `${NS}/configmaps/precious` })).status).toBe(200);
    expect((await t.call({ method: 'DELETE', path: `${NS}/configmaps/junk` })).status).toBe(200);
    // deletecollection admits each object: the first refusal ends it
    const all = await t.call({ method: 'DELETE', path: `${NS}/configmaps`, query: { labelSelector: 'l=x' } });
    expect(all.status).toBe(422);
    expect(message(all)).toContain('cannot delete precious');
    // CREATE is not matched by operations [DELETE]
    expect((await post(`${NS}/configmaps`, { metadata: { name: 'precious2' } })).status).toBe(201);
  });

  it('warns on DELETE through the response header, and still deletes', async () => {
    await install(policy('warn-del', [rule(['configmaps'], ['DELETE'])], { validations: [{ expression: 'false', message: 'deleting' }] }), ['Warn']);
    expect((await post(`${NS}/configmaps`, { metadata: { name: 'w' } })).status).toBe(201);
    const r = await t.call({ method: 'DELETE', path: `${NS}/configmaps/w` });
    expect(r.status).toBe(200);
    expect(r.headers?.warning).toContain("Validation failed for ValidatingAdmissionPolicy 'warn-del' with binding 'warn-del-b': deleting");
    expect((await t.call({ path: `${NS}/configmaps/w` })).status).toBe(404);
  });

  it('matches deployments/scale and */scale, with object a Scale and request.subResource', async () => {
    expect((await post(DEPLOYS, deployment('web', 1))).status).toBe(201);
    await install(
      policy('scale-cap', [rule(['deployments/scale'], ['UPDATE'], ['apps'])], {
        validations: [{ expression: "object.kind == 'Scale' && request.subResource == 'scale' && request.kind.kind == 'Scale' && request.resource.resource == 'deployments' && object.spec.replicas <= 3", message: 'too many' }],
      }),
      ['Deny'],
    );
    const scale = (n: number) => t.call({ method: 'PATCH', path: `${DEPLOYS}/web/scale`, contentType: 'application/merge-patch+json', body: { spec: { replicas: n } } });
    expect((await scale(3)).status).toBe(200);
    const r = await scale(5);
    expect([r.status, message(r)]).toEqual([422, "deployments.apps \"web\" is forbidden: ValidatingAdmissionPolicy 'scale-cap' with binding 'scale-cap-b' denied request: too many"]);
    // the main resource is not matched by "deployments/scale"
    const d = (await t.call({ path: `${DEPLOYS}/web` })).body as Body;
    expect((await t.call({ method: 'PUT', path: `${DEPLOYS}/web`, body: { ...d, spec: { ...d.spec, replicas: 9 } } })).status).toBe(200);
  });

  it('matches pods/status via */status but "*" only main resources', async () => {
    await install(policy('no-status', [rule(['*/status'], ['UPDATE'])], { validations: [{ expression: "request.subResource != 'status'", message: 'status frozen' }] }), ['Deny']);
    await install(policy('main-only', [rule(['*'], ['UPDATE'])], { validations: [{ expression: "request.subResource != 'status'", message: 'never' }] }), ['Deny']);
    expect((await t.createPod('p')).status).toBe(201);
    const r = await t.call({ method: 'PATCH', path: `${NS}/pods/p/status`, contentType: 'application/merge-patch+json', body: { status: { phase: 'Running' } } });
    expect(message(r)).toBe("pods \"p\" is forbidden: ValidatingAdmissionPolicy 'no-status' with binding 'no-status-b' denied request: status frozen");
  });
});

describe('ValidatingAdmissionPolicy audit', () => {
  it('records auditAnnotations as <policy>/<key> and the Audit action as validation_failure', async () => {
    await install(
      policy('audited', [rule(['configmaps'], ['CREATE'])], {
        validations: [{ expression: 'true' }, { expression: "!has(object.data) || !('secret' in object.data)", message: 'no secrets' }],
        auditAnnotations: [
          { key: 'size', valueExpression: "has(object.data) ? string(size(object.data)) : ''" },
          { key: 'skip', valueExpression: 'null' },
        ],
      }),
      ['Audit', 'Warn'],
    );
    const ok = await post(`${NS}/configmaps`, { metadata: { name: 'a' }, data: { x: '1' } });
    expect(ok.status).toBe(201);
    expect(lastAudit().annotations).toEqual({ ...AUTHZ, 'audited/size': '1' });
    const bad = await post(`${NS}/configmaps`, { metadata: { name: 'b' }, data: { secret: '1', y: '2' } });
    expect(bad.status).toBe(201);
    expect(bad.headers?.warning).toContain("Validation failed for ValidatingAdmissionPolicy 'audited' with binding 'audited-b': no secrets");
    expect(lastAudit().annotations).toEqual({
      ...AUTHZ,
      'audited/size': '2',
      'validation.policy.admission.k8s.io/validation_failure': '[{"message":"no secrets","policy":"audited","binding":"audited-b","expressionIndex":1,"validationActions":["Audit","Warn"]}]',
    });
    expect((await post(`${NS}/configmaps`, { metadata: { name: 'c' } })).status).toBe(201);
    expect(lastAudit().annotations).toEqual(AUTHZ);
  });

  it('denies on a valueExpression of the wrong type under failurePolicy Fail', async () => {
    await install(policy('typed', [rule(['configmaps'], ['CREATE'])], { auditAnnotations: [{ key: 'n', valueExpression: 'object.data.n' }] }), ['Audit']);
    const r = await post(`${NS}/configmaps`, { metadata: { name: 'x' }, data: { n: '5' } });
    expect(r.status).toBe(201);
    expect(lastAudit().annotations).toEqual({ ...AUTHZ, 'typed/n': '5' });
    const bad = await post(`${NS}/configmaps`, { metadata: { name: 'y' } });
    expect(bad.status).toBe(422);
    expect(message(bad)).toMatch(/^configmaps "y" is forbidden: ValidatingAdmissionPolicy 'typed' with binding 'typed-b' denied request: expression 'object.data.n' resulted in error: /);
  });

  it('validates auditAnnotations at create: qualified key, unique, valueExpression set and typed', async () => {
    const r = await post(
      VAP,
      policy('v', [rule(['configmaps'], ['CREATE'])], {
        auditAnnotations: [
          { key: 'bad key', valueExpression: "'x'" },
          { key: 'k', valueExpression: ' ' },
          { key: 'k', valueExpression: '1 + 1' },
        ],
      }),
    );
    expect(r.status).toBe(422);
    const causes = (r.body as Body).details.causes.map((c: Body) => `${c.field}: ${c.message}`);
    expect(causes).toEqual([
      expect.stringMatching(/^spec\.auditAnnotations\[0\]\.key: Invalid value: "v\/bad key": name part must consist of alphanumeric characters/),
      'spec.auditAnnotations[1].valueExpression: Required value: valueExpression is not specified',
      'spec.auditAnnotations[2].valueExpression: Invalid value: "1 + 1": must evaluate to one of [string null_type]',
      'spec.auditAnnotations[2].key: Duplicate value: "k"',
    ]);
  });
});
