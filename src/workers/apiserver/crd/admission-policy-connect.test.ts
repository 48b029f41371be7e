import { describe, expect, it } from 'vitest';
import { apiFixture } from '../testing/api-fixture';

// ValidatingAdmissionPolicy on CONNECT (handlers.ConnectResource, 1.32): pods/exec, attach and portforward are
// admitted before the pod is looked up, with the options object (PodExecOptions, …) as `object`.
const t = apiFixture();
const VAP = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies';
const VAPB = '/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings';
type Body = Record<string, any>;
const post = (path: string, body: unknown) => t.call({ method: 'POST', path, body });
const connect = (sub: string, query: Record<string, string>, pod = 'web') => t.api.stream({ method: 'POST', path: `/api/v1/namespaces/default/pods/${pod}/${sub}`, query });
const denied = (msg: string, pod = 'web') => `pods "${pod}" is forbidden: ValidatingAdmissionPolicy 'p' with binding 'b' denied request: ${msg}`;

async function policy(validations: Body[], resources = ['pods/exec', 'pods/attach', 'pods/portforward']): Promise<void> {
  const matchConstraints = { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CONNECT'], resources }] };
  expect((await post(VAP, { metadata: { name: 'p' }, spec: { matchConstraints, validations } })).status).toBe(201);
  expect((await post(VAPB, { metadata: { name: 'b' }, spec: { policyName: 'p', validationActions: ['Deny'] } })).status).toBe(201);
}

describe('ValidatingAdmissionPolicy on CONNECT', () => {
  it('pods/exec: object is the PodExecOptions, request names the pod, operation CONNECT, no options; a denial comes before the pod is looked up', async () => {
    await policy([
      {
        expression: "object.command[0] != 'rm'",
        messageExpression:
          "request.operation + ' ' + request.kind.kind + ' ' + object.apiVersion + ' ' + request.subResource + ' ' + request.name + ' ' + object.container + ' ' + string(object.stdin) + ' ' + string(has(object.tty)) + ' ' + string(request.options == null) + ' ' + string(oldObject == null)",
      },
    ]);
    const r = await connect('exec', { command: 'rm\0-rf\0/', container: 'app', stdin: 'true', stdout: 'true' }, 'nowhere');
    expect([r.status, (r.body as Body).reason, (r.body as Body).message]).toEqual([422, 'Invalid', denied('CONNECT PodExecOptions v1 exec nowhere app true false true true', 'nowhere')]);
    // allowed by the policy: on to the pod (404 here)
    expect((await connect('exec', { command: 'ls', stdout: 'true' }, 'nowhere')).status).toBe(404);
  });

  it('pods/attach and pods/portforward: PodAttachOptions and PodPortForwardOptions; rules select subresources', async () => {
    await policy([
      { expression: "object.kind != 'PodAttachOptions' || !has(object.stdin)", message: 'no stdin for attach' },
      { expression: "object.kind != 'PodPortForwardOptions' || !object.ports.exists(p, p == 22)", message: 'no ssh' },
    ], ['pods/attach', 'pods/portforward']);
    expect((await connect('attach', { stdin: 'true', stdout: 'true' })).body).toMatchObject({ code: 422, message: denied('no stdin for attach') });
    expect((await connect('portforward', { ports: '22' })).body).toMatchObject({ code: 422, message: denied('no ssh') });
    expect((await connect('portforward', { ports: '8080' })).status).toBe(404);
    // pods/exec is not in the rules
    expect((await connect('exec', { command: 'rm', stdout: 'true' })).status).toBe(404);
  });

  it('CREATE/UPDATE rules do not match a CONNECT', async () => {
    expect((await post(VAP, { metadata: { name: 'p' }, spec: { matchConstraints: { resourceRules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['CREATE', 'UPDATE', 'DELETE'], resources: ['*/*'] }] }, validations: [{ expression: 'false' }] } })).status).toBe(201);
    await post(VAPB, { metadata: { name: 'b' }, spec: { policyName: 'p', validationActions: ['Deny'] } });
    expect((await connect('exec', { command: 'ls', stdout: 'true' })).status).toBe(404);
  });
});
