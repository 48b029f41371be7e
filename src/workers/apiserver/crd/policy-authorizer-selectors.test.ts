import { describe, expect, it } from 'vitest';
import { nodeUser } from '../authz/component-identities';
import { apiFixture } from '../testing/api-fixture';

// The CEL authz library's fieldSelector()/labelSelector() (AuthorizeWithSelectors, on in 1.32) in
// ValidatingAdmissionPolicy expressions: the field selector reaches the Node authorizer; a selector that
// does not parse is dropped (the check still decides, without erroring), as ResourceCheck.Authorize does.
const t = apiFixture();
const VAP = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const VAPB = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
type Body = Record<string, any>;
const event = (name: string) => ({ metadata: { name }, involvedObject: { kind: 'Node', name: 'a' }, reason: 'R', message: 'm', type: 'Normal', source: { component: 'kubelet' } });

describe('ValidatingAdmissionPolicy authorizer selectors', () => {
  it('fieldSelector scopes a node\'s pod list; labelSelector and unparsable selectors do not error', async () => {
    const check = (sel: string) => `authorizer.group('').resource('pods')${sel}.check('list')`;
    const spec = {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['events'] }] },
      validations: [
        { expression: `${check(".fieldSelector('spec.nodeName=a').labelSelector('app=web')")}.allowed()`, messageExpression: `'own pods: ' + ${check(".fieldSelector('spec.nodeName=a')")}.reason()` },
        { expression: `!${check('')}.allowed()`, message: 'may list every pod' },
        { expression: `!${check(".fieldSelector('spec.nodeName in (a)').labelSelector('x in (')")}.errored() && !${check(".fieldSelector('spec.nodeName in (a)')")}.allowed()`, message: 'a bad selector was not dropped' },
      ],
    };
    expect((await t.call({ method: 'POST', path: VAP, body: { metadata: { name: 'p' }, spec } })).status).toBe(201);
    expect((await t.call({ method: 'POST', path: VAPB, body: { metadata: { name: 'b' }, spec: { policyName: 'p', validationActions: ['Deny'] } } })).status).toBe(201);
    const ok = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/events', body: event('e1'), user: nodeUser('a') });
    expect([ok.status, (ok.body as Body).kind]).toEqual([201, 'Event']);
    const other = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/events', body: event('e2'), user: nodeUser('b') });
    expect((other.body as Body).message).toBe(
      `events "e2" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: own pods: can only list/watch pods with spec.nodeName field selector`,
    );
  });
});
