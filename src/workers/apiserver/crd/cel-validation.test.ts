import { describe, expect, it } from 'vitest';
import { apiFixture } from '../testing/api-fixture';

const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const WIDGETS = '/apis/example.com/v1/namespaces/default/widgets';
type Body = Record<string, any>;

/** A Widget CRD whose schema carries x-kubernetes-validations at several levels. */
function widgetCrd(spec: Body, rootRules?: Body[]): Body {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          subresources: { status: {} },
          schema: {
            openAPIV3Schema: {
              type: 'object',
              ...(rootRules ? { 'x-kubernetes-validations': rootRules } : {}),
              properties: { spec, status: { type: 'object', properties: { phase: { type: 'string' } }, 'x-kubernetes-validations': [{ rule: "self.phase != 'Bad'", message: 'phase must not be Bad' }] } },
            },
          },
        },
      ],
    },
  };
}

const SPEC = {
  type: 'object',
  'x-kubernetes-validations': [
    { rule: 'self.replicas <= self.maxReplicas', message: 'replicas should be smaller than or equal to maxReplicas' },
    { rule: 'self.minReplicas <= self.replicas' },
    { rule: '!has(self.name) || self.name.startsWith("w")', messageExpression: '"name " + self.name + " must start with w"' },
    { rule: 'self.size() < 7', fieldPath: '.replicas', reason: 'FieldValueForbidden', message: 'too many fields' },
  ],
  properties: {
    replicas: { type: 'integer' },
    minReplicas: { type: 'integer', default: 0 },
    maxReplicas: { type: 'integer' },
    name: { type: 'string' },
    mode: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'Value is immutable' }] },
    ports: { type: 'array', items: { type: 'integer' }, 'x-kubernetes-validations': [{ rule: 'self.all(p, p > 1024)' }] },
    labels: { type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-validations': [{ rule: "self.exists(k, k == 'app')", message: 'needs app' }] },
    extra: { type: 'string' },
  },
};

const widget = (name: string, spec: Body) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name }, spec });

describe('x-kubernetes-validations (CEL)', () => {
  const f = apiFixture();
  const install = async (crd: Body = widgetCrd(SPEC)) => expect((await f.call({ method: 'POST', path: CRDS, body: crd })).status).toBe(201);
  const create = (body: Body) => f.call({ method: 'POST', path: WIDGETS, body });

  it('accepts objects that satisfy every rule and rejects the rest with kube messages, all together', async () => {
    await install();
    const ok = await create(widget('w1', { replicas: 2, maxReplicas: 3, name: 'wonder', ports: [8080], labels: { app: 'x' } }));
    expect(ok.status).toBe(201);
    const bad = await create(widget('w2', { replicas: 5, minReplicas: 6, maxReplicas: 3, name: 'bolt', ports: [80, 9090], labels: { tier: 'x' } }));
    expect(bad.status).toBe(422);
    const body = bad.body as Body;
    expect(body.message).toBe(
      'Widget.example.com "w2" is invalid: [spec: Invalid value: "object": replicas should be smaller than or equal to maxReplicas, ' +
        'spec: Invalid value: "object": failed rule: self.minReplicas <= self.replicas, ' +
        'spec: Invalid value: "object": name bolt must start with w, ' +
        'spec.ports: Invalid value: "array": failed rule: self.all(p, p > 1024), ' +
        'spec.labels: Invalid value: "object": needs app]',
    );
    expect(body.details.causes[0]).toEqual({ reason: 'FieldValueInvalid', message: 'Invalid value: "object": replicas should be smaller than or equal to maxReplicas', field: 'spec' });
  });

  it('reports fieldPath and reason, and runtime errors as "<err> evaluating rule"', async () => {
    await install();
    const res = await create(widget('w3', { replicas: 1, maxReplicas: 3, name: 'w', mode: 'a', extra: 'x', ports: [2000], labels: { app: 'a' } }));
    expect((res.body as Body).message).toBe('Widget.example.com "w3" is invalid: spec.replicas: Forbidden: too many fields');
    const noMax = await create(widget('w4', { replicas: 1 }));
    expect((noMax.body as Body).message).toBe('Widget.example.com "w4" is invalid: spec: Invalid value: "object": no such key: maxReplicas evaluating rule: replicas should be smaller than or equal to maxReplicas');
  });

  it('runs transition rules only on update, and ratchets unchanged invalid values', async () => {
    await install();
    expect((await create(widget('t', { replicas: 1, maxReplicas: 2, mode: 'fast' }))).status).toBe(201);
    const cur = (await f.call({ path: `${WIDGETS}/t` })).body as Body;
    const changed = await f.call({ method: 'PUT', path: `${WIDGETS}/t`, body: { ...cur, spec: { ...cur.spec, mode: 'slow' } } });
    expect(changed.status).toBe(422);
    expect((changed.body as Body).message).toBe('Widget.example.com "t" is invalid: spec.mode: Invalid value: "string": Value is immutable');
    const same = await f.call({ method: 'PUT', path: `${WIDGETS}/t`, body: { ...cur, metadata: { ...cur.metadata, labels: { a: 'b' } } } });
    expect(same.status).toBe(200);
  });

  it('validates status updates and root rules (printed at <nil>)', async () => {
    await install(widgetCrd(SPEC, [{ rule: "self.metadata.name != 'forbidden'", message: 'name is reserved' }]));
    const root = await create(widget('forbidden', { replicas: 1, maxReplicas: 1 }));
    expect((root.body as Body).message).toBe('Widget.example.com "forbidden" is invalid: <nil>: Invalid value: "object": name is reserved');
    expect((await create(widget('s', { replicas: 1, maxReplicas: 1 }))).status).toBe(201);
    const cur = (await f.call({ path: `${WIDGETS}/s` })).body as Body;
    const st = await f.call({ method: 'PUT', path: `${WIDGETS}/s/status`, body: { ...cur, status: { phase: 'Bad' } } });
    expect(st.status).toBe(422);
    expect((st.body as Body).message).toBe('Widget.example.com "s" is invalid: status: Invalid value: "object": phase must not be Bad');
  });

  it('skips the rules when a value has the wrong type', async () => {
    await install();
    const res = await create(widget('typo', { replicas: 'two', maxReplicas: 1 }));
    expect((res.body as Body).message).toBe(
      'Widget.example.com "typo" is invalid: [spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string", <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]',
    );
  });

  it('rejects CRDs whose rules do not compile or are malformed', async () => {
    const bad = widgetCrd({
      type: 'object',
      properties: {
        a: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self <' }, { rule: '' }, { rule: 'self > 1', reason: 'Nope', fieldPath: '.nothere' }] },
        list: { type: 'array', items: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] } },
      },
    });
    const res = await f.call({ method: 'POST', path: CRDS, body: bad });
    expect(res.status).toBe(422);
    const causes = (res.body as Body).details.causes as Body[];
    expect(causes.map((c) => `${c.field}: ${c.message}`)).toEqual([
      'spec.validation.openAPIV3Schema.properties[spec].properties[a].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self <", Message:"", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:7: Syntax error: Unexpected token: EOF\n | self <\n | ......^',
      'spec.validation.openAPIV3Schema.properties[spec].properties[a].x-kubernetes-validations[1].rule: Required value: rule is not specified',
      'spec.validation.openAPIV3Schema.properties[spec].properties[a].x-kubernetes-validations[2].reason: Unsupported value: "Nope": supported values: "FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"',
      'spec.validation.openAPIV3Schema.properties[spec].properties[a].x-kubernetes-validations[2].fieldPath: Invalid value: ".nothere": fieldPath must be a valid path',
      'spec.validation.openAPIV3Schema.properties[spec].properties[list].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within spec.validation.openAPIV3Schema.properties[spec].properties[list].items',
    ]);
    const notBool = widgetCrd({ type: 'object', 'x-kubernetes-validations': [{ rule: 'self.size() + 1' }] });
    const res2 = await f.call({ method: 'POST', path: CRDS, body: notBool });
    expect((res2.body as Body).details.causes[0].message).toMatch(/: cel expression must evaluate to a bool$/);
  });
});
