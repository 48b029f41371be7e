import { describe, expect, it } from 'vitest';
import { apiFixture, pod } from './testing/api-fixture';

const t = apiFixture();

describe('bootstrap and discovery', () => {
  it('creates the four system namespaces with label, finalizer and phase', async () => {
    const res = await t.call({ path: '/api/v1/namespaces' });
    expect(res.status).toBe(200);
    const body = res.body as { kind: string; items: Array<{ metadata: { name: string; labels: Record<string, string> }; spec: unknown; status: unknown }> };
    expect(body.kind).toBe('NamespaceList');
    expect(body.items.map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    expect(body.items[0].metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'default' });
    expect(body.items[0].spec).toEqual({ finalizers: ['kubernetes'] });
    expect(body.items[0].status).toEqual({ phase: 'Active' });
  });

  it('serves /api, /api/v1, /apis and /version', async () => {
    expect((await t.call({ path: '/api' })).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const v1 = (await t.call({ path: '/api/v1' })).body as { resources: Array<{ name: string; shortNames?: string[]; categories?: string[]; kind: string; verbs: string[] }> };
    const byName = new Map(v1.resources.map((r) => [r.name, r]));
    expect(byName.get('pods')).toMatchObject({ kind: 'Pod', shortNames: ['po'], categories: ['all'], namespaced: true });
    expect(byName.get('pods/binding')).toMatchObject({ kind: 'Binding', verbs: ['create'] });
    expect(byName.get('pods/log')?.verbs).toEqual(['get']);
    expect(byName.get('namespaces/finalize')?.verbs).toEqual(['update']);
    expect(byName.get('nodes')?.shortNames).toEqual(['no']);
    expect(byName.get('events')?.shortNames).toEqual(['ev']);
    const groups = ((await t.call({ path: '/apis' })).body as { groups: Array<{ name: string; versions: Array<{ version: string }>; preferredVersion: { version: string } }> }).groups;
    expect(groups.map((g) => g.name)).toEqual([
      'apps',
      'events.k8s.io',
      'authentication.k8s.io',
      'authorization.k8s.io',
      'autoscaling',
      'batch',
      'networking.k8s.io',
      'policy',
      'rbac.authorization.k8s.io',
      'storage.k8s.io',
      'admissionregistration.k8s.io',
      'apiextensions.k8s.io',
      'scheduling.k8s.io',
      'coordination.k8s.io',
      'discovery.k8s.io',
      'metrics.k8s.io',
    ]);
    const autoscaling = groups.find((g) => g.name === 'autoscaling')!;
    expect(autoscaling.versions.map((v) => v.version)).toEqual(['v2', 'v1']);
    expect(autoscaling.preferredVersion.version).toBe('v2');
    expect((await t.call({ path: '/apis/coordination.k8s.io/v1' })).body).toMatchObject({
      kind: 'APIResourceList',
      groupVersion: 'coordination.k8s.io/v1',
      resources: [{ name: 'leases', kind: 'Lease', namespaced: true }],
    });
    expect((await t.call({ path: '/apis/apps/v2' })).status).toBe(404);
    const openapi = (await t.call({ path: '/openapi/v3' })).body as any;
    expect(Object.keys(openapi.paths)).toContain('apis/coordination.k8s.io/v1');
    expect(Object.keys(openapi.paths)).toContain('apis/autoscaling/v1');
    const doc = (await t.call({ path: '/openapi/v3/api/v1' })).body as any;
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'Pod' });
    expect((await t.call({ path: '/version' })).body).toMatchObject({ major: '1', minor: '32', platform: 'wasip1/wasm' });
  });

  it('answers unknown paths and verbs with kube Status objects', async () => {
    const nf = await t.call({ path: '/api/v1/widgets' });
    expect(nf.status).toBe(404);
    expect(nf.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404 });
    const na = await t.call({ method: 'POST', path: '/api/v1/pods', body: pod('x') });
    expect(na.status).toBe(405);
    expect(na.body).toMatchObject({ reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource' });
  });
});

describe('create', () => {
  it('fills metadata and pod defaults like kube-apiserver', async () => {
    const res = await t.createPod('web');
    expect(res.status).toBe(201);
    const p = res.body as any;
    expect(p.kind).toBe('Pod');
    expect(p.metadata.namespace).toBe('default');
    expect(p.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(p.metadata.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(Number(p.metadata.resourceVersion)).toBeGreaterThan(0);
    expect(p.spec).toMatchObject({
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      terminationGracePeriodSeconds: 30,
      securityContext: {},
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
    });
    expect(p.spec.containers[0]).toEqual({
      name: 'app',
      image: 'nginx',
      imagePullPolicy: 'Always',
      resources: {},
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      volumeMounts: [{ name: p.spec.volumes[0].name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
    });
    expect(p.spec.serviceAccountName).toBe('default');
    expect(p.spec.volumes[0].name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(p.spec.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    expect(p.status).toEqual({ phase: 'Pending', qosClass: 'BestEffort' });
  });

  it('picks IfNotPresent for a pinned tag and Guaranteed QoS for equal limits', async () => {
    const res = await t.call({
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      body: { ...pod('g'), spec: { containers: [{ name: 'a', image: 'busybox:1.36', resources: { limits: { cpu: '1', memory: '1Gi' } } }] } },
    });
    const p = res.body as any;
    expect(p.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(p.spec.containers[0].resources.requests).toEqual({ cpu: '1', memory: '1Gi' });
    expect(p.status.qosClass).toBe('Guaranteed');
  });

  it('generates names from generateName with 5 suffix characters', async () => {
    const res = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { ...pod(''), metadata: { generateName: 'web-' } } });
    expect(res.status).toBe(201);
    expect((res.body as any).metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('rejects duplicates with 409 AlreadyExists', async () => {
    await t.createPod('web');
    const res = await t.createPod('web');
    expect(res.status).toBe(409);
    expect(res.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "web" already exists',
      reason: 'AlreadyExists',
      details: { name: 'web', kind: 'pods' },
      code: 409,
    });
  });

  it('rejects a missing namespace with 404 and a mismatched one with 400', async () => {
    const res = await t.createPod('web', 'nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ message: 'namespaces "nope" not found', reason: 'NotFound', details: { name: 'nope', kind: 'namespaces' } });
    const bad = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { ...pod('x'), metadata: { name: 'x', namespace: 'other' } } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request' });
  });

  it('reports validation errors as 422 Invalid with causes', async () => {
    const res = await t.createPod('Bad_Name');
    expect(res.status).toBe(422);
    expect((res.body as any).message).toBe(
      `Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    );
    expect((res.body as any).details).toMatchObject({ name: 'Bad_Name', kind: 'Pod', causes: [{ reason: 'FieldValueInvalid', field: 'metadata.name' }] });

    const multi = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { ...pod('x'), spec: { containers: [{ name: 'a' }, { name: 'a', image: 'i' }], restartPolicy: 'Sometimes' } } });
    expect(multi.status).toBe(422);
    expect((multi.body as any).message).toBe(
      'Pod "x" is invalid: [spec.containers[0].image: Required value, spec.containers[1].name: Duplicate value: "a", spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"]',
    );
    const none = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { ...pod('x'), spec: {} } });
    expect((none.body as any).message).toBe('Pod "x" is invalid: spec.containers: Required value');
  });

  it('does not store anything for dryRun=All', async () => {
    const res = await t.call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: pod('dry'), query: { dryRun: 'All' } });
    expect(res.status).toBe(201);
    expect((await t.call({ path: '/api/v1/namespaces/default/pods/dry' })).status).toBe(404);
  });
});

describe('get, update and status', () => {
  it('404s with details for a missing pod', async () => {
    const res = await t.call({ path: '/api/v1/namespaces/default/pods/missing' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ message: 'pods "missing" not found', reason: 'NotFound', details: { name: 'missing', kind: 'pods' }, code: 404 });
  });

  it('enforces optimistic concurrency with 409 Conflict', async () => {
    const created = (await t.createPod('web')).body as any;
    const upd = structuredClone(created);
    upd.metadata.labels = { a: 'b' };
    const ok = await t.call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/web', body: upd });
    expect(ok.status).toBe(200);
    expect((ok.body as any).metadata.labels).toEqual({ a: 'b' });
    expect(Number((ok.body as any).metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion));
    const stale = await t.call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/web', body: upd });
    expect(stale.status).toBe(409);
    expect((stale.body as any).message).toBe(
      'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect((stale.body as any).reason).toBe('Conflict');
  });

  it('forbids pod spec changes other than image and keeps status on main-resource updates', async () => {
    const created = (await t.createPod('web')).body as any;
    const upd = structuredClone(created);
    upd.spec.restartPolicy = 'Never';
    upd.status = { phase: 'Running' };
    const res = await t.call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/web', body: upd });
    expect(res.status).toBe(422);
    expect((res.body as any).message).toContain(
      'Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    );
    const img = structuredClone(created);
    img.spec.containers[0].image = 'nginx:1.27';
    img.status = { phase: 'Running' };
    const ok = await t.call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/web', body: img });
    expect(ok.status).toBe(200);
    expect((ok.body as any).spec.containers[0].image).toBe('nginx:1.27');
    expect((ok.body as any).status.phase).toBe('Pending');
  });

  it('updates only status through /status', async () => {
    const created = (await t.createPod('web')).body as any;
    const upd = structuredClone(created);
    upd.status = { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] };
    upd.spec.containers[0].image = 'changed';
    const res = await t.call({ method: 'PUT', path: '/api/v1/namespaces/default/pods/web/status', body: upd });
    expect(res.status).toBe(200);
    const p = res.body as any;
    expect(p.status.phase).toBe('Running');
    expect(p.status.qosClass).toBe('BestEffort');
    expect(p.spec.containers[0].image).toBe('nginx');
  });
});

describe('binding and delete', () => {
  it('binds once, then 409s with the kube message', async () => {
    await t.createPod('web');
    const bind = (node: string) =>
      t.call({ method: 'POST', path: '/api/v1/namespaces/default/pods/web/binding', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { kind: 'Node', name: node } } });
    const res = await bind('n1');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    const p = (await t.call({ path: '/api/v1/namespaces/default/pods/web' })).body as any;
    expect(p.spec.nodeName).toBe('n1');
    expect(p.status.conditions).toEqual([{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-01-01T00:00:00Z' }]);
    const again = await bind('n2');
    expect(again.status).toBe(409);
    expect((again.body as any).message).toBe('Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "n1"');
  });

  it('deletes unbound pods at once and bound pods gracefully', async () => {
    await t.createPod('a');
    const del = await t.call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/a' });
    expect(del.status).toBe(200);
    expect((del.body as any).kind).toBe('Pod');
    expect((await t.call({ path: '/api/v1/namespaces/default/pods/a' })).status).toBe(404);

    await t.createPod('b');
    await t.call({ method: 'POST', path: '/api/v1/namespaces/default/pods/b/binding', body: { metadata: { name: 'b' }, target: { name: 'n1' } } });
    const graceful = await t.call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/b' });
    expect(graceful.status).toBe(200);
    expect((graceful.body as any).metadata).toMatchObject({ deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 });
    expect((await t.call({ path: '/api/v1/namespaces/default/pods/b' })).status).toBe(200);
    const force = await t.call({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/b', body: { gracePeriodSeconds: 0 } });
    expect(force.status).toBe(200);
    expect((await t.call({ path: '/api/v1/namespaces/default/pods/b' })).status).toBe(404);
  });

  it('answers a Success Status when deleting a node', async () => {
    await t.call({ method: 'POST', path: '/api/v1/nodes', body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } } });
    const res = await t.call({ method: 'DELETE', path: '/api/v1/nodes/n1' });
    expect(res.body).toMatchObject({ kind: 'Status', status: 'Success', details: { name: 'n1', kind: 'nodes' } });
  });

  it('refuses to delete default and empties a deleted namespace', async () => {
    const def = await t.call({ method: 'DELETE', path: '/api/v1/namespaces/default' });
    expect(def.status).toBe(403);
    expect((def.body as any).message).toBe('namespaces "default" is forbidden: this namespace may not be deleted');
    await t.call({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tmp' } } });
    await t.createPod('p', 'tmp');
    const del = await t.call({ method: 'DELETE', path: '/api/v1/namespaces/tmp' });
    expect((del.body as any).status.phase).toBe('Terminating');
    const blocked = await t.createPod('q', 'tmp');
    expect(blocked.status).toBe(403);
    expect((blocked.body as any).message).toBe('pods "q" is forbidden: unable to create new content in namespace tmp because it is being terminated');
    await t.clock.advance(10);
    expect((await t.call({ path: '/api/v1/namespaces/tmp/pods/p' })).status).toBe(404);
    expect((await t.call({ path: '/api/v1/namespaces/tmp' })).status).toBe(404);
  });
});
