import { describe, expect, it } from 'vitest';
import { apiFixture } from '../testing/api-fixture';

// SubjectAccessReview resourceAttributes.fieldSelector/labelSelector (AuthorizeWithSelectors, beta and on in 1.32):
// validateResourceAttributes' messages, the field selector reaching the Node authorizer, and
// BuildEvaluationError's parse-error notes.
const t = apiFixture();
const SAR = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
type Body = Record<string, any>;
const review = (resourceAttributes: Body, path = SAR) =>
  t.call({ method: 'POST', path, body: { spec: { ...(path === SAR ? { user: 'system:node:a', groups: ['system:nodes', 'system:authenticated'] } : {}), resourceAttributes } } });
const listPods = (extra: Body) => ({ verb: 'list', resource: 'pods', ...extra });
const status = async (extra: Body) => ((await review(listPods(extra))).body as Body).status;

describe('SubjectAccessReview selectors', () => {
  it('validates fieldSelector and labelSelector with kube\'s messages (unknown operators allowed)', async () => {
    const both = await review(listPods({ fieldSelector: { rawSelector: 'a=b', requirements: [{ key: 'a', operator: 'In', values: ['b'] }] }, labelSelector: {} }));
    expect([both.status, (both.body as Body).message]).toEqual([
      422,
      'SubjectAccessReview.authorization.k8s.io "" is invalid: [spec.resourceAttributes.fieldSelector.rawSelector: Invalid value: "a=b": may not specified at the same time as requirements, spec.resourceAttributes.labelSelector.requirements: Required value: when spec.resourceAttributes.labelSelector is specified, requirements or rawSelector is required]',
    ]);
    const reqs = await review(
      listPods({
        fieldSelector: { requirements: [{ key: '', operator: 'In', values: [] }, { key: 'k', operator: 'Exists', values: ['x'] }, { key: 'k', operator: 'Later' }] },
        labelSelector: { requirements: [{ key: 'bad key', operator: 'NotIn' }, { key: 'app', operator: 'In', values: ['-x'] }, { key: 'ok', operator: 'Someday' }] },
      }),
      SSAR,
    );
    expect((reqs.body as Body).message).toBe(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: [' +
        'spec.resourceAttributes.fieldSelector.requirements[0].key: Required value: must be specified, ' +
        "spec.resourceAttributes.fieldSelector.requirements[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn', " +
        "spec.resourceAttributes.fieldSelector.requirements[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist', " +
        "spec.resourceAttributes.labelSelector.requirements[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn', " +
        `spec.resourceAttributes.labelSelector.requirements[0].key: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]'), ` +
        `spec.resourceAttributes.labelSelector.requirements[1].values[0]: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')]`,
    );
  });

  it("hands the field selector to the Node authorizer: a node may list its own pods, by rawSelector or an In requirement", async () => {
    expect(await status({})).toEqual({ allowed: false, reason: 'can only list/watch pods with spec.nodeName field selector' });
    expect(await status({ fieldSelector: { rawSelector: 'spec.nodeName=a' } })).toEqual({ allowed: true });
    expect(await status({ fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['a'] }] }, labelSelector: { rawSelector: 'app=web' } })).toEqual({ allowed: true });
    expect((await status({ fieldSelector: { rawSelector: 'spec.nodeName=b' } })).allowed).toBe(false);
  });

  it('reports selectors dropped for parse errors in evaluationError, keeping the requirements that convert', async () => {
    expect(await status({ fieldSelector: { rawSelector: 'key in value' }, labelSelector: { rawSelector: 'a in (' } })).toEqual({
      allowed: false,
      reason: 'can only list/watch pods with spec.nodeName field selector',
      evaluationError: 'spec.resourceAttributes.fieldSelector ignored due to parse error; spec.resourceAttributes.labelSelector ignored due to parse error',
    });
    const partial = {
      fieldSelector: { requirements: [{ key: 'spec.nodeName', operator: 'In', values: ['a'] }, { key: 'x', operator: 'Exists' }] },
      labelSelector: { requirements: [{ key: 'app', operator: 'Exists' }, { key: 'y', operator: 'Maybe' }] },
    };
    expect(await status(partial)).toEqual({
      allowed: true,
      evaluationError: 'spec.resourceAttributes.fieldSelector partially ignored due to parse error; spec.resourceAttributes.labelSelector partially ignored due to parse error',
    });
  });
});
