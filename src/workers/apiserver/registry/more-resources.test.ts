import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type ApiResponse } from '../../../api';
import { createMemoryStore } from '../../../storage';
import { createApiServer, type ApiServer } from '../index';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const AGG = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
let api: ApiServer;
let clock: FakeClock;
beforeEach(async () => {
  clock = new FakeClock();
  api = await createApiServer({ store: createMemoryStore(), clock, ids: seededIds(4) });
});
const call = (req: Partial<ApiRequest> & { path: string }): Promise<ApiResponse> => api.request({ method: 'GET', ...req });
const b = (r: ApiResponse) => r.body as any;
const post = async (path: string, body: unknown) => {
  const res = await call({ method: 'POST', path, body });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return b(res);
};
const table = async (path: string) => {
  const t = b(await call({ path, accept: TABLE }));
  return { cols: t.columnDefinitions.map((c: { name: string }) => c.name), rows: t.rows.map((r: { cells: unknown[] }) => r.cells) };
};
const NS = '/api/v1/namespaces/default';

describe('core/v1 resources', () => {
  it('ServiceAccount, Endpoints, PodTemplate print like printers.go', async () => {
    await post(`${NS}/serviceaccounts`, { metadata: { name: 'bot' }, secrets: [{ name: 's' }] });
    expect(await table(`${NS}/serviceaccounts`)).toEqual({ cols: ['Name', 'Secrets', 'Age'], rows: [['bot', 1, '0s']] });
    const ep = await post(`${NS}/endpoints`, { metadata: { name: 'web' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: '10.0.0.4' }], ports: [{ port: 80 }] }] });
    expect(ep.subsets[0].ports[0].protocol).toBe('TCP');
    expect(await table(`${NS}/endpoints`)).toEqual({ cols: ['Name', 'Endpoints', 'Age'], rows: [['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...', '0s']] });
    const pt = await post(`${NS}/podtemplates`, { metadata: { name: 't' }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } } });
    expect(pt.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(await table(`${NS}/podtemplates`)).toEqual({ cols: ['Name', 'Containers', 'Images', 'Pod Labels'], rows: [['t', 'c', 'busybox:1.36', 'a=b']] });
  });

  it('LimitRange defaults container limits and requests; ResourceQuota prints used/hard', async () => {
    const lr = await post(`${NS}/limitranges`, { metadata: { name: 'lim' }, spec: { limits: [{ type: 'Container', max: { cpu: '1' }, min: { memory: '64Mi' } }] } });
    expect(lr.spec.limits[0]).toMatchObject({ default: { cpu: '1' }, defaultRequest: { cpu: '1', memory: '64Mi' } });
    expect((await table(`${NS}/limitranges`)).cols).toEqual(['Name', 'Created At']);
    const bad = await call({ method: 'POST', path: `${NS}/limitranges`, body: { metadata: { name: 'x' }, spec: { limits: [{ type: 'Node' }] } } });
    expect(b(bad).message).toBe('LimitRange "x" is invalid: spec.limits[0].type: Unsupported value: "Node": supported values: "Container", "Pod", "PersistentVolumeClaim"');
    const q = await post(`${NS}/resourcequotas`, { metadata: { name: 'q' }, spec: { hard: { pods: '10', 'limits.cpu': '2' } }, status: { hard: { x: '1' } } });
    expect(q.status).toEqual({});
    await call({ method: 'PUT', path: `${NS}/resourcequotas/q/status`, body: { ...q, status: { hard: { pods: '10', 'limits.cpu': '2', 'requests.cpu': '1' }, used: { pods: '3' } } } });
    expect(await table(`${NS}/resourcequotas`)).toEqual({ cols: ['Name', 'Age', 'Request', 'Limit'], rows: [['q', '0s', 'pods: 3/10, requests.cpu: 0/1', 'limits.cpu: 0/2']] });
  });

  it('ReplicationController defaults its selector from the template and has scale', async () => {
    const rc = await post(`${NS}/replicationcontrollers`, { metadata: { name: 'rc' }, spec: { template: { metadata: { labels: { app: 'rc' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
    expect(rc.spec).toMatchObject({ replicas: 1, selector: { app: 'rc' } });
    expect(rc.metadata.labels).toEqual({ app: 'rc' });
    expect(b(await call({ path: `${NS}/replicationcontrollers/rc/scale` })).status).toEqual({ replicas: 0, selector: 'app=rc' });
    expect(await table(`${NS}/replicationcontrollers`)).toEqual({ cols: ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector'], rows: [['rc', 1, 0, 0, '0s', 'c', 'nginx', 'app=rc']] });
    const bad = await call({ method: 'POST', path: `${NS}/replicationcontrollers`, body: { metadata: { name: 'x' }, spec: { selector: { app: 'y' }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } } });
    expect(b(bad).message).toBe('ReplicationController "x" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`');
  });

  it('PersistentVolume and PersistentVolumeClaim default, validate and print', async () => {
    const pv = await post('/api/v1/persistentvolumes', { metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], hostPath: { path: '/data' }, storageClassName: 'local' } });
    expect(pv.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
    expect(pv.status).toEqual({ phase: 'Pending' });
    expect(await table('/api/v1/persistentvolumes')).toEqual({
      cols: ['Name', 'Capacity', 'Access Modes', 'Reclaim Policy', 'Status', 'Claim', 'StorageClass', 'VolumeAttributesClass', 'Reason', 'Age', 'VolumeMode'],
      rows: [['pv1', '1Gi', 'RWO,ROX', 'Retain', 'Pending', '', 'local', '<unset>', '', '0s', 'Filesystem']],
    });
    const noType = await call({ method: 'POST', path: '/api/v1/persistentvolumes', body: { metadata: { name: 'x' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } } });
    expect(b(noType).message).toBe('PersistentVolume "x" is invalid: spec: Required value: must specify a volume type');
    const pvc = await post(`${NS}/persistentvolumeclaims`, { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
    expect(pvc.spec.volumeMode).toBe('Filesystem');
    expect(await table(`${NS}/persistentvolumeclaims`)).toEqual({
      cols: ['Name', 'Status', 'Volume', 'Capacity', 'Access Modes', 'StorageClass', 'VolumeAttributesClass', 'Age', 'VolumeMode'],
      rows: [['data', 'Pending', '', '', '', '', '<unset>', '0s', 'Filesystem']],
    });
    const noModes = await call({ method: 'POST', path: `${NS}/persistentvolumeclaims`, body: { metadata: { name: 'x' }, spec: { resources: { requests: { storage: '1Gi' } } } } });
    expect(b(noModes).message).toBe('PersistentVolumeClaim "x" is invalid: spec.accessModes: Required value: at least 1 access mode is required');
  });

  it('Secret: Opaque by default, stringData merged into data, bad base64 refused, type immutable', async () => {
    const s = await post(`${NS}/secrets`, { metadata: { name: 's' }, data: { a: 'YQ==' }, stringData: { b: 'hi' } });
    expect(s.type).toBe('Opaque');
    expect(s.data).toEqual({ a: 'YQ==', b: 'aGk=' });
    expect(s.stringData).toBeUndefined();
    const bad = await call({ method: 'POST', path: `${NS}/secrets`, body: { metadata: { name: 'x' }, data: { a: 'abc' } } });
    expect(bad.status).toBe(400);
    expect(b(bad).message).toBe('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0');
    const retyped = await call({ method: 'PUT', path: `${NS}/secrets/s`, body: { ...s, type: 'kubernetes.io/tls' } });
    expect(b(retyped).message).toBe('Secret "s" is invalid: type: Invalid value: "kubernetes.io/tls": field is immutable');
  });
});

describe('other groups', () => {
  it('events.k8s.io/v1 and core/v1 Events are the same objects, converted', async () => {
    const ev = await post('/apis/events.k8s.io/v1/namespaces/default/events', {
      metadata: { name: 'e1' },
      eventTime: '2026-01-01T00:00:00.000000Z',
      reportingController: 'example.com/ctl',
      reportingInstance: 'ctl-1',
      action: 'Scheduling',
      reason: 'Scheduled',
      regarding: { kind: 'Pod', name: 'web', namespace: 'default' },
      note: 'hello',
      type: 'Normal',
    });
    expect(ev).toMatchObject({ apiVersion: 'events.k8s.io/v1', kind: 'Event', note: 'hello', regarding: { kind: 'Pod', name: 'web' } });
    const core = b(await call({ path: `${NS}/events/e1` }));
    expect(core).toMatchObject({ apiVersion: 'v1', kind: 'Event', message: 'hello', involvedObject: { kind: 'Pod', name: 'web' }, reportingComponent: 'example.com/ctl', reportingInstance: 'ctl-1', action: 'Scheduling' });
    await post(`${NS}/events`, { metadata: { name: 'e2' }, involvedObject: { kind: 'Node', name: 'n1' }, reason: 'Ready', message: 'up', source: { component: 'kubelet', host: 'n1' }, count: 2, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:00Z', type: 'Normal' });
    const v1 = b(await call({ path: '/apis/events.k8s.io/v1/namespaces/default/events/e2' }));
    expect(v1).toMatchObject({ note: 'up', regarding: { kind: 'Node', name: 'n1' }, deprecatedSource: { component: 'kubelet', host: 'n1' }, deprecatedCount: 2, deprecatedFirstTimestamp: '2026-01-01T00:00:00Z' });
    const sel = b(await call({ path: '/apis/events.k8s.io/v1/namespaces/default/events', query: { fieldSelector: 'involvedObject.kind=Node' } }));
    expect(sel.items.map((i: any) => i.metadata.name)).toEqual(['e2']);
    const bad = await call({ method: 'POST', path: '/apis/events.k8s.io/v1/namespaces/default/events', body: { metadata: { name: 'x' }, type: 'Normal' } });
    expect(b(bad).message).toBe('Event.events.k8s.io "x" is invalid: [eventTime: Required value, reportingController: Required value, reportingInstance: Required value, action: Required value, reason: Required value]');
  });

  it('HorizontalPodAutoscaler is stored once and served as v2 and v1', async () => {
    const h = await post('/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', { metadata: { name: 'web' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 } });
    expect(h.spec).toEqual({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 50 });
    const v2 = b(await call({ path: '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web' }));
    expect(v2.apiVersion).toBe('autoscaling/v2');
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    expect(await table('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers')).toEqual({
      cols: ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age'],
      rows: [['web', 'Deployment/web', 'cpu: <unknown>/50%', 1, 5, 0, '0s']],
    });
    expect((await table('/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers')).rows).toEqual([['web', 'Deployment/web', 'cpu: <unknown>/50%', 1, 5, 0, '0s']]);
    const bad = await call({ method: 'POST', path: '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', body: { metadata: { name: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, minReplicas: 3, maxReplicas: 2 } } });
    expect(b(bad).message).toBe('HorizontalPodAutoscaler.autoscaling "x" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`');
  });

  it('watches through a converting endpoint see converted objects', async () => {
    const open = await api.stream({ method: 'GET', path: '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', query: { watch: 'true' } });
    expect(open.status).toBe(200);
    await post('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', { metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3 } });
    const batch = (await api.read(open.streamId!)) as Array<{ type: string; object: any }>;
    expect(batch[0].type).toBe('ADDED');
    expect(batch[0].object).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', spec: { targetCPUUtilizationPercentage: 80, minReplicas: 1, maxReplicas: 3 } });
    await api.cancel(open.streamId!);
  });

  it('networking, policy, storage, scheduling and discovery kinds print like printers.go', async () => {
    await post('/apis/networking.k8s.io/v1/namespaces/default/ingresses', { metadata: { name: 'ing' }, spec: { ingressClassName: 'nginx', tls: [{ hosts: ['a.com'] }], rules: [{ host: 'a.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }] } });
    expect(await table('/apis/networking.k8s.io/v1/namespaces/default/ingresses')).toEqual({ cols: ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'], rows: [['ing', 'nginx', 'a.com', '', '80, 443', '0s']] });
    const noPathType = await call({ method: 'POST', path: '/apis/networking.k8s.io/v1/namespaces/default/ingresses', body: { metadata: { name: 'x' }, spec: { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'w', port: { number: 80 } } } }] } }] } } });
    expect(b(noPathType).message).toBe('Ingress.networking.k8s.io "x" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified');
    await post('/apis/networking.k8s.io/v1/ingressclasses', { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } });
    expect(await table('/apis/networking.k8s.io/v1/ingressclasses')).toEqual({ cols: ['Name', 'Controller', 'Parameters', 'Age'], rows: [['nginx', 'k8s.io/ingress-nginx', '<none>', '0s']] });
    const np = await post('/apis/networking.k8s.io/v1/namespaces/default/networkpolicies', { metadata: { name: 'deny' }, spec: { podSelector: {} } });
    expect(np.spec.policyTypes).toEqual(['Ingress']);
    expect(await table('/apis/networking.k8s.io/v1/namespaces/default/networkpolicies')).toEqual({ cols: ['Name', 'Pod-Selector', 'Age'], rows: [['deny', '<none>', '0s']] });
    const pdb = await post('/apis/policy/v1/namespaces/default/poddisruptionbudgets', { metadata: { name: 'p' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } });
    expect(pdb.status).toEqual({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 });
    expect(await table('/apis/policy/v1/namespaces/default/poddisruptionbudgets')).toEqual({ cols: ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age'], rows: [['p', '1', 'N/A', 0, '0s']] });
    await post('/apis/storage.k8s.io/v1/storageclasses', { metadata: { name: 'std', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'tabernetes.io/local' });
    expect(await table('/apis/storage.k8s.io/v1/storageclasses')).toEqual({ cols: ['Name', 'Provisioner', 'ReclaimPolicy', 'VolumeBindingMode', 'AllowVolumeExpansion', 'Age'], rows: [['std (default)', 'tabernetes.io/local', 'Delete', 'Immediate', 'false', '0s']] });
    expect(await table('/apis/scheduling.k8s.io/v1/priorityclasses')).toEqual({
      cols: ['Name', 'Value', 'Global-Default', 'Age', 'PreemptionPolicy'],
      rows: [
        ['system-cluster-critical', 2000000000, false, '0s', 'PreemptLowerPriority'],
        ['system-node-critical', 2000001000, false, '0s', 'PreemptLowerPriority'],
      ],
    });
    const high = await call({ method: 'POST', path: '/apis/scheduling.k8s.io/v1/priorityclasses', body: { metadata: { name: 'high' }, value: 2000000001 } });
    expect(b(high).message).toBe('PriorityClass.scheduling.k8s.io "high" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
    await post('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', { metadata: { name: 'web-abc' }, addressType: 'IPv4', ports: [{ port: 80 }], endpoints: [{ addresses: ['10.0.0.1'] }] });
    expect(await table('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices')).toEqual({ cols: ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'], rows: [['web-abc', 'IPv4', '80', '10.0.0.1', '0s']] });
  });

  it('RBAC objects: defaults, roleRef immutability and tables', async () => {
    const RB = '/apis/rbac.authorization.k8s.io/v1';
    await post(`${RB}/namespaces/default/roles`, { metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
    expect((await table(`${RB}/namespaces/default/roles`)).rows).toEqual([['reader', '2026-01-01T00:00:00Z']]);
    const rb = await post(`${RB}/namespaces/default/rolebindings`, { metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'User', name: 'jane' }, { kind: 'ServiceAccount', name: 'bot', namespace: 'default' }] });
    expect(rb.subjects).toEqual([{ kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' }, { kind: 'ServiceAccount', name: 'bot', namespace: 'default' }]);
    expect(await table(`${RB}/namespaces/default/rolebindings`)).toEqual({ cols: ['Name', 'Role', 'Age', 'Users', 'Groups', 'ServiceAccounts'], rows: [['rb', 'Role/reader', '0s', 'jane', '', 'default/bot']] });
    const moved = await call({ method: 'PUT', path: `${RB}/namespaces/default/rolebindings/rb`, body: { ...rb, roleRef: { ...rb.roleRef, name: 'other' } } });
    expect(b(moved).message).toBe('RoleBinding.rbac.authorization.k8s.io "rb" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"other"}: cannot change roleRef');
    const noVerbs = await call({ method: 'POST', path: `${RB}/clusterroles`, body: { metadata: { name: 'x' }, rules: [{ apiGroups: [''], resources: ['pods'] }] } });
    expect(b(noVerbs).message).toBe('ClusterRole.rbac.authorization.k8s.io "x" is invalid: rules[0].verbs: Required value: verbs must contain at least one value');
  });
});

describe('discovery and deletecollection', () => {
  it('lists every kind with verbs, shortNames, categories and singularName, legacy and aggregated', async () => {
    const apps = b(await call({ path: '/apis/apps/v1' }));
    const byName = new Map(apps.resources.map((r: any) => [r.name, r]));
    expect(byName.get('deployments')).toMatchObject({ kind: 'Deployment', singularName: 'deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'] });
    expect(byName.get('deployments/scale')).toMatchObject({ kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    expect(byName.get('deployments/status')).toMatchObject({ kind: 'Deployment', verbs: ['get', 'patch', 'update'] });
    expect(byName.get('daemonsets/scale')).toBeUndefined();
    const core = b(await call({ path: '/api/v1' }));
    const names = core.resources.map((r: any) => r.name);
    for (const n of ['configmaps', 'endpoints', 'limitranges', 'persistentvolumeclaims', 'persistentvolumes', 'podtemplates', 'replicationcontrollers', 'replicationcontrollers/scale', 'resourcequotas', 'secrets', 'serviceaccounts', 'services', 'services/status']) {
      expect(names).toContain(n);
    }
    expect(core.resources.find((r: any) => r.name === 'services')).toMatchObject({ shortNames: ['svc'], categories: ['all'], singularName: 'service' });
    const agg = await call({ path: '/apis', accept: AGG });
    expect(agg.headers?.['Content-Type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const autoscaling = b(agg).items.find((i: any) => i.metadata.name === 'autoscaling');
    expect(autoscaling.versions.map((v: any) => v.version)).toEqual(['v2', 'v1']);
    const dep = b(agg).items.find((i: any) => i.metadata.name === 'apps').versions[0].resources.find((r: any) => r.resource === 'deployments');
    expect(dep).toMatchObject({ responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, scope: 'Namespaced', singularResource: 'deployment', shortNames: ['deploy'] });
    expect(dep.subresources).toContainEqual({ subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] });
    const coreAgg = b(await call({ path: '/api', accept: AGG }));
    expect(coreAgg.items[0].versions[0].resources.find((r: any) => r.resource === 'pods')).toMatchObject({ scope: 'Namespaced', shortNames: ['po'] });
  });

  it('namespace deletion removes every namespaced object inside, finalizers first', async () => {
    await post('/api/v1/namespaces', { metadata: { name: 'tmp' } });
    await post('/apis/apps/v1/namespaces/tmp/deployments', { metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    await post('/api/v1/namespaces/tmp/configmaps', { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await post('/api/v1/namespaces/tmp/services', { metadata: { name: 's' }, spec: { ports: [{ port: 80 }] } });
    await call({ method: 'DELETE', path: '/api/v1/namespaces/tmp' });
    const until = async (cond: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 5));
    };
    await until(async () => (await call({ path: '/apis/apps/v1/namespaces/tmp/deployments/d' })).status === 404);
    expect((await call({ path: '/api/v1/namespaces/tmp/services/s' })).status).toBe(404);
    expect(b(await call({ path: '/api/v1/namespaces/tmp/configmaps/held' })).metadata.deletionTimestamp).toBeDefined();
    expect((await call({ path: '/api/v1/namespaces/tmp' })).status).toBe(200);
    await call({ method: 'PATCH', path: '/api/v1/namespaces/tmp/configmaps/held', contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } });
    await until(async () => (await call({ path: '/api/v1/namespaces/tmp' })).status === 404);
    expect((await call({ path: '/api/v1/namespaces/tmp' })).status).toBe(404);
  });

  it('DELETE with propagationPolicy Foreground / Orphan keeps the object with the GC finalizer', async () => {
    const d = await post('/apis/apps/v1/namespaces/default/deployments', { metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    const fg = await call({ method: 'DELETE', path: '/apis/apps/v1/namespaces/default/deployments/d', body: { propagationPolicy: 'Foreground' } });
    expect(fg.status).toBe(200);
    expect(b(fg).metadata).toMatchObject({ finalizers: ['foregroundDeletion'], deletionGracePeriodSeconds: 0, generation: d.metadata.generation + 1 });
    expect(b(fg).metadata.deletionTimestamp).toBeDefined();
    const orphan = await call({ method: 'DELETE', path: '/apis/apps/v1/namespaces/default/deployments/d', query: { propagationPolicy: 'Orphan' } });
    expect(b(orphan).metadata.finalizers).toEqual(['orphan']);
    const bg = await call({ method: 'DELETE', path: `${NS}/configmaps/none`, query: { propagationPolicy: 'Background' } });
    expect(bg.status).toBe(404);
    await post(`${NS}/configmaps`, { metadata: { name: 'cm' } });
    const gone = await call({ method: 'DELETE', path: `${NS}/configmaps/cm`, query: { propagationPolicy: 'Background' } });
    expect(b(gone)).toMatchObject({ kind: 'Status', status: 'Success' });
  });

  it('deletes collections with label and field selectors', async () => {
    for (const [name, tier] of [['a', 'web'], ['b', 'web'], ['c', 'db']]) await post(`${NS}/configmaps`, { metadata: { name, labels: { tier } } });
    const res = await call({ method: 'DELETE', path: `${NS}/configmaps`, query: { labelSelector: 'tier=web' } });
    expect(res.status).toBe(200);
    expect(b(res).items.map((i: any) => i.metadata.name)).toEqual(['a', 'b']);
    expect(b(await call({ path: `${NS}/configmaps` })).items.map((i: any) => i.metadata.name)).toEqual(['c']);
    await post(`${NS}/serviceaccounts`, { metadata: { name: 'x' } });
    await post(`${NS}/serviceaccounts`, { metadata: { name: 'y' } });
    await call({ method: 'DELETE', path: `${NS}/serviceaccounts`, query: { fieldSelector: 'metadata.name=x' } });
    expect(b(await call({ path: `${NS}/serviceaccounts` })).items.map((i: any) => i.metadata.name)).toEqual(['y']);
    const rb = await call({ method: 'DELETE', path: '/apis/scheduling.k8s.io/v1/priorityclasses', query: { fieldSelector: 'metadata.name=nope' } });
    expect(b(rb).items).toEqual([]);
  });
});

describe('validation messages, word for word', () => {
  const cases: Array<[string, string, unknown, string]> = [
    ['endpoints', `${NS}/endpoints`, { metadata: { name: 'e' }, subsets: [{}] }, 'Endpoints "e" is invalid: [subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`, subsets[0].ports: Required value]'],
    ['serviceaccount name', `${NS}/serviceaccounts`, { metadata: { name: 'Bad_Name' } }, 'ServiceAccount "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')'],
    ['podtemplate', `${NS}/podtemplates`, { metadata: { name: 't' }, template: { spec: { containers: [] } } }, 'PodTemplate "t" is invalid: template.spec.containers: Required value'],
    ['service ports', `${NS}/services`, { metadata: { name: 's' }, spec: { selector: { a: 'b' } } }, 'Service "s" is invalid: spec.ports: Required value'],
    ['replicaset', '/apis/apps/v1/namespaces/default/replicasets', { metadata: { name: 'r' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'c', image: 'i' }] } } } }, 'ReplicaSet.apps "r" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment'],
    ['daemonset', '/apis/apps/v1/namespaces/default/daemonsets', { metadata: { name: 'd' }, spec: { template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } }, 'DaemonSet.apps "d" is invalid: spec.selector: Required value'],
    ['controllerrevision', '/apis/apps/v1/namespaces/default/controllerrevisions', { metadata: { name: 'c' }, revision: -1 }, 'ControllerRevision.apps "c" is invalid: revision: Invalid value: -1: must be greater than or equal to 0'],
    ['ingressclass', '/apis/networking.k8s.io/v1/ingressclasses', { metadata: { name: 'i' }, spec: { controller: 'nginx' } }, 'IngressClass.networking.k8s.io "i" is invalid: spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")'],
    ['networkpolicy', '/apis/networking.k8s.io/v1/namespaces/default/networkpolicies', { metadata: { name: 'n' }, spec: { podSelector: {}, policyTypes: ['Sideways'] } }, 'NetworkPolicy.networking.k8s.io "n" is invalid: spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Egress", "Ingress"'],
    ['storageclass', '/apis/storage.k8s.io/v1/storageclasses', { metadata: { name: 's' } }, 'StorageClass.storage.k8s.io "s" is invalid: provisioner: Required value'],
    ['endpointslice', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', { metadata: { name: 'e' }, addressType: 'IPv5', endpoints: [{ addresses: [] }] }, 'EndpointSlice.discovery.k8s.io "e" is invalid: [addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6", endpoints[0].addresses: Required value: must contain at least 1 address]'],
    ['clusterrolebinding', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', { metadata: { name: 'c' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } }, 'ClusterRoleBinding.rbac.authorization.k8s.io "c" is invalid: roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'],
    ['pdb', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', { metadata: { name: 'p' }, spec: { minAvailable: '50' } }, 'PodDisruptionBudget.policy "p" is invalid: spec.minAvailable: Invalid value: 50: a valid percent string must be a numeric string followed by an ending \'%\' (e.g. \'1%\',  or \'93%\', regex used for validation is \'[0-9]+%\')'],
  ];
  for (const [what, path, body, message] of cases) {
    it(what, async () => {
      const res = await call({ method: 'POST', path, body });
      expect(res.status).toBe(422);
      expect(b(res).message).toBe(message);
    });
  }
});
