// x-kubernetes-validations through `npm run serve` with the real kubectl 1.32: what it prints for a CRD
// whose rule does not compile, for objects failing rules on create and on update (transition rule), and
// that our kubectl prints the same. Skipped without the binary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REAL_KUBECTL, ServeFixture } from './serve-helpers';

const CRD = (rule: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations:
            - rule: "${rule}"
              message: replicas must not exceed maxReplicas
            properties:
              replicas: {type: integer}
              maxReplicas: {type: integer}
              mode:
                type: string
                x-kubernetes-validations: [{rule: "self == oldSelf", message: mode is immutable}]
`;
const gadget = (spec: string) => `apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: ${spec}\n`;

describe.skipIf(!REAL_KUBECTL)('CEL validation rules with the real kubectl', () => {
  const serve = new ServeFixture('tabernetes-crd-cel-');
  beforeAll(() => serve.start(), 120_000);
  afterAll(() => serve.stop());

  it('refuses a CRD whose rule does not compile, then enforces the rules of a good one', async () => {
    const bad = await serve.real(['apply', '-f', '-'], { stdin: CRD('self.replicas <') });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'The CustomResourceDefinition "gadgets.example.com" is invalid: spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:"self.replicas <", Message:"replicas must not exceed maxReplicas", MessageExpression:"", Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:"", OptionalOldSelf:(*bool)(nil)}: compilation failed: ERROR: <input>:1:16: Syntax error:',
    );
    expect((await serve.real(['apply', '-f', '-'], { stdin: CRD('self.replicas <= self.maxReplicas') })).code).toBe(0);
    await serve.real(['wait', '--for=condition=Established', 'crd/gadgets.example.com']);

    const over = gadget('{replicas: 5, maxReplicas: 3, mode: a}');
    const real = await serve.real(['apply', '-f', '-'], { stdin: over });
    const ours = await serve.ours(['apply', '-f', '-'], over);
    expect(real).toEqual({ stdout: '', stderr: 'The Gadget "g1" is invalid: spec: Invalid value: "object": replicas must not exceed maxReplicas\n', code: 1 });
    expect(ours).toEqual(real);

    expect((await serve.real(['apply', '-f', '-'], { stdin: gadget('{replicas: 1, maxReplicas: 3, mode: a}') })).stdout).toBe('gadget.example.com/g1 created\n');
    const changed = await serve.real(['apply', '-f', '-'], { stdin: gadget('{replicas: 1, maxReplicas: 3, mode: b}') });
    expect(changed.stderr).toBe('The Gadget "g1" is invalid: spec.mode: Invalid value: "string": mode is immutable\n');
    expect((await serve.real(['apply', '-f', '-'], { stdin: gadget('{replicas: 2, maxReplicas: 3, mode: a}') })).stdout).toBe('gadget.example.com/g1 configured\n');
  }, 60_000);

  it('ValidatingAdmissionPolicy denies as in the docs (kubectl prints the cause)', async () => {
    const vap = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: demo-policy.example.com}
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: object.spec.replicas <= 5
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: demo-binding-test.example.com}
spec:
  policyName: demo-policy.example.com
  validationActions: [Deny]
`;
    expect((await serve.real(['apply', '-f', '-'], { stdin: vap })).stdout).toBe(
      'validatingadmissionpolicy.admissionregistration.k8s.io/demo-policy.example.com created\nvalidatingadmissionpolicybinding.admissionregistration.k8s.io/demo-binding-test.example.com created\n',
    );
    const real = await serve.real(['create', 'deployment', 'nginx', '--image=nginx', '--replicas=6']);
    expect(real).toEqual({
      stdout: '',
      stderr: "error: failed to create deployment: deployments.apps \"nginx\" is forbidden: ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5\n",
      code: 1,
    });
    const applied = await serve.real(['apply', '-f', '-'], { stdin: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nginx}\nspec:\n  replicas: 6\n  selector: {matchLabels: {app: nginx}}\n  template:\n    metadata: {labels: {app: nginx}}\n    spec: {containers: [{name: nginx, image: nginx}]}\n' });
    expect(applied.stderr).toBe("The deployments \"nginx\" is invalid: : ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5\n");
    const got = await serve.real(['get', 'validatingadmissionpolicies']);
    expect(got.stdout).toMatch(/^NAME +VALIDATIONS +PARAMKIND +AGE\ndemo-policy.example.com +1 +<unset> +\d+s\n$/);
  }, 60_000);
});
