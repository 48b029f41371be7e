import { describe, expect, it } from 'vitest';
import type { ApiRequest, UserInfo } from '../../../api/protocol';
import { apiFixture } from '../testing/api-fixture';

const t = apiFixture();
const VAP = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const VAPB = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
const CMS = '/api/v1/namespaces/default/configmaps';
type Body = Record<string, any>;
const post = (path: string, body: unknown, extra: Partial<ApiRequest> = {}) => t.call({ method: 'POST', path, body, ...extra });
const message = (r: { body: unknown }) => (r.body as Body).message as string;
const BOB: UserInfo = { username: 'bob', uid: 'u-1', groups: ['devs', 'system:authenticated'] };

/** A policy over ConfigMap creates/updates with the given validations (and paramKind ConfigMap when params). */
const policy = (validations: Body[], extra: Body = {}) => ({
  metadata: { name: 'p' },
  spec: { matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['configmaps'] }] }, validations, ...extra },
});
const binding = (actions: string[], extra: Body = {}) => ({ metadata: { name: 'b' }, spec: { policyName: 'p', validationActions: actions, ...extra } });
const cm = (name: string, data: Body = {}, labels?: Body) => ({ metadata: { name, ...(labels ? { labels } : {}) }, data });
const denied = (msg: string, name = 'x') => `configmaps "${name}" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: ${msg}`;

async function limits(): Promise<void> {
  await post('/api/v1/namespaces', { metadata: { name: 'params' } });
  await post('/api/v1/namespaces/params/configmaps', cm('small', { max: '2' }, { tier: 'limit' }));
  await post('/api/v1/namespaces/params/configmaps', cm('large', { max: '4' }, { tier: 'limit' }));
  await post('/api/v1/namespaces/params/configmaps', cm('other', { max: '0' }));
}

describe('ValidatingAdmissionPolicy params', () => {
  it('paramRef.selector evaluates every selected param: a warning each, the first denial refuses', async () => {
    await limits();
    const withParams = { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } };
    await post(VAP, policy([{ expression: 'size(object.data) <= int(params.data.max)', messageExpression: "'at most ' + params.data.max + ' keys (' + params.metadata.name + ')'" }], withParams));
    await post(VAPB, binding(['Warn'], { paramRef: { namespace: 'params', selector: { matchLabels: { tier: 'limit' } }, parameterNotFoundAction: 'Allow' } }));
    const three = await post(CMS, cm('x', { a: '1', b: '2', c: '3' }));
    expect(three.status).toBe(201);
    expect(three.headers?.warning).toContain("Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': at most 2 keys (small)");
    expect(three.headers?.warning).not.toContain('large');
    const b = (await t.call({ path: `${VAPB}/b` })).body as Body;
    await t.call({ method: 'PUT', path: `${VAPB}/b`, body: { ...b, spec: { ...b.spec, validationActions: ['Deny'] } } });
    const five = await post(CMS, cm('x', { a: '1', b: '2', c: '3', d: '4', e: '5' }));
    expect([five.status, message(five)]).toEqual([422, denied('at most 4 keys (large)')]);
    expect((await post(CMS, cm('ok', { a: '1' }))).status).toBe(201);
  });

  it('parameterNotFoundAction: Deny refuses as a configuration error whatever the actions; Allow and failurePolicy Ignore admit', async () => {
    await limits();
    const withParams = { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } };
    await post(VAP, policy([{ expression: 'false' }], withParams));
    await post(VAPB, binding(['Warn'], { paramRef: { namespace: 'params', selector: { matchLabels: { tier: 'none' } }, parameterNotFoundAction: 'Deny' } }));
    const r = await post(CMS, cm('x'));
    expect([r.status, (r.body as Body).reason, message(r)]).toEqual([422, 'Invalid', denied('failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction')]);
    const b = (await t.call({ path: `${VAPB}/b` })).body as Body;
    await t.call({ method: 'PUT', path: `${VAPB}/b`, body: { ...b, spec: { ...b.spec, paramRef: { ...b.spec.paramRef, parameterNotFoundAction: 'Allow' } } } });
    expect((await post(CMS, cm('x'))).status).toBe(201);
    const p = (await t.call({ path: `${VAP}/p` })).body as Body;
    await t.call({ method: 'PUT', path: `${VAP}/p`, body: { ...p, spec: { ...p.spec, failurePolicy: 'Ignore' } } });
    await t.call({ method: 'PUT', path: `${VAPB}/b`, body: { ...b, metadata: { ...b.metadata, resourceVersion: undefined } } });
    expect((await post(CMS, cm('y'))).status).toBe(201);
  });
});

describe('ValidatingAdmissionPolicy request, namespaceObject and authorizer', () => {
  it('exposes request fields and userInfo as kube builds them', async () => {
    await post(VAP, policy([
      { expression: "request.userInfo.username != 'bob'", message: 'no bob' },
      { expression: "!('devs' in request.userInfo.groups) || request.userInfo.uid == 'u-1'", message: 'bad uid' },
      { expression: "request.kind.kind == 'ConfigMap' && request.resource.resource == 'configmaps' && request.resource.version == 'v1' && request.namespace == 'default' && request.name == object.metadata.name", message: 'bad kind' },
      { expression: "request.operation == 'CREATE' && request.options.kind == 'CreateOptions' && request.uid == '' && !has(request.subResource)", message: 'bad op' },
      { expression: '!request.dryRun', message: 'dry run' },
    ]));
    await post(VAPB, binding(['Deny']));
    await post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', { metadata: { name: 'cm' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['create'] }] });
    await post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', { metadata: { name: 'cm' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'cm' }, subjects: [{ kind: 'Group', name: 'devs' }] });
    expect(message(await post(CMS, cm('x'), { user: BOB }))).toBe(denied('no bob'));
    expect(message(await post(CMS, cm('x'), { user: { ...BOB, username: 'alice', uid: 'u-2' } }))).toBe(denied('bad uid'));
    expect(message(await post(CMS, cm('x'), { query: { dryRun: 'All' } }))).toBe(denied('dry run'));
    expect((await post(CMS, cm('x'), { user: { ...BOB, username: 'alice' } })).status).toBe(201);
  });

  it('namespaceObject is the request namespace (null for cluster-scoped objects)', async () => {
    await post('/api/v1/namespaces', { metadata: { name: 'prod', labels: { env: 'prod' } } });
    await post(VAP, policy([{ expression: "namespaceObject == null || namespaceObject.metadata.?labels.env.orValue('') != 'prod' || has(object.data.owner)", message: 'prod needs an owner' }], {
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['configmaps', 'namespaces'] }] },
    }));
    await post(VAPB, binding(['Deny']));
    expect((await post(CMS, cm('x'))).status).toBe(201);
    expect(message(await post('/api/v1/namespaces/prod/configmaps', cm('x')))).toBe(denied('prod needs an owner'));
    expect((await post('/api/v1/namespaces/prod/configmaps', cm('x', { owner: 'me' }))).status).toBe(201);
    const other = await post('/api/v1/namespaces', { metadata: { name: 'other' } });
    expect([other.status, message(other)]).toEqual([201, undefined]);
  });

  it('authorizer checks the requesting user with Node,RBAC; requestResource is the write itself', async () => {
    await post(VAP, policy([
      { expression: "authorizer.group('').resource('secrets').namespace(object.metadata.namespace).check('get').allowed()", messageExpression: "'cannot read secrets: ' + authorizer.group('').resource('secrets').namespace('default').check('get').reason()" },
      { expression: "!authorizer.requestResource.check('delete').allowed()", message: 'deleters may not create' },
    ]));
    await post(VAPB, binding(['Deny']));
    const role = (name: string, verbs: string[], resources: string[]) => post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles', { metadata: { name }, rules: [{ apiGroups: [''], resources, verbs }] });
    const bind = (name: string, user: string) => post('/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', { metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name }, subjects: [{ kind: 'User', name: user }] });
    await role('cm', ['create'], ['configmaps']);
    await bind('cm', 'bob');
    expect(message(await post(CMS, cm('x'), { user: BOB }))).toBe(denied('cannot read secrets:'));
    await role('secrets', ['get'], ['secrets']);
    await bind('secrets', 'bob');
    expect((await post(CMS, cm('x'), { user: BOB })).status).toBe(201);
    await role('cm-delete', ['delete'], ['configmaps']);
    await bind('cm-delete', 'bob');
    expect(message(await post(CMS, cm('y'), { user: BOB }))).toBe(denied('deleters may not create', 'y'));
    // system:masters: every check allowed
    expect(message(await post(CMS, cm('z')))).toBe(denied('deleters may not create', 'z'));
  });
});
