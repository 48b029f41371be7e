import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiRequest, type ApiResponse } from '../../../api';
import { createMemoryStore } from '../../../storage';
import { createApiServer, type ApiServer } from '../index';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
let api: ApiServer;
beforeEach(async () => {
  api = await createApiServer({ store: createMemoryStore(), clock: new FakeClock(), ids: seededIds(3) });
});
const call = (req: Partial<ApiRequest> & { path: string }): Promise<ApiResponse> => api.request({ method: 'GET', ...req });
const b = (r: ApiResponse) => r.body as any;
const columns = async (path: string) => b(await call({ path, accept: TABLE })).columnDefinitions.map((c: { name: string }) => c.name);
const rows = async (path: string) => b(await call({ path, accept: TABLE })).rows.map((r: { cells: unknown[] }) => r.cells);

const template = (labels: Record<string, string>, extra: Record<string, unknown> = {}) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...extra } });
const deploy = (name: string, spec: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { selector: { matchLabels: { app: name } }, template: template({ app: name }), ...spec } });
const DEPLOYS = '/apis/apps/v1/namespaces/default/deployments';

describe('apps/v1 Deployment', () => {
  it('defaults strategy, history, deadline, replicas and the pod template; generation 1, status {}', async () => {
    const d = b(await call({ method: 'POST', path: DEPLOYS, body: deploy('web') }));
    expect(d.metadata.generation).toBe(1);
    expect(d.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } } });
    expect(d.spec.template.spec).toMatchObject({ restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler', terminationGracePeriodSeconds: 30 });
    expect(d.spec.template.spec.containers[0]).toMatchObject({ imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log' });
    expect(d.spec.template.metadata).toEqual({ creationTimestamp: null, labels: { app: 'web' } });
    expect(d.status).toEqual({});
  });

  it('rejects a selector that does not match the template labels, word for word, with every error', async () => {
    const bad = deploy('web', { selector: { matchLabels: { app: 'other' } }, replicas: -1 });
    const res = await call({ method: 'POST', path: DEPLOYS, body: bad });
    expect(res.status).toBe(422);
    expect(b(res).message).toBe(
      'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`]',
    );
    const noSel = await call({ method: 'POST', path: DEPLOYS, body: { metadata: { name: 'x' }, spec: { template: template({ app: 'x' }) } } });
    expect(b(noSel).message).toBe('Deployment.apps "x" is invalid: spec.selector: Required value');
  });

  it('keeps the selector immutable, bumps generation on spec changes only, keeps status on PUT', async () => {
    const d = b(await call({ method: 'POST', path: DEPLOYS, body: deploy('web') }));
    const moved = await call({ method: 'PUT', path: `${DEPLOYS}/web`, body: { ...d, spec: { ...d.spec, selector: { matchLabels: { app: 'web', v: '2' } }, template: template({ app: 'web', v: '2' }) } } });
    expect(b(moved).message).toBe(
      'Deployment.apps "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    );
    const st = await call({ method: 'PUT', path: `${DEPLOYS}/web/status`, body: { ...d, status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1 } } });
    expect(b(st).metadata.generation).toBe(1);
    const labeled = b(await call({ method: 'PATCH', path: `${DEPLOYS}/web`, contentType: 'application/merge-patch+json', body: { metadata: { labels: { a: 'b' } }, status: { replicas: 9 } } }));
    expect(labeled.metadata.generation).toBe(1);
    expect(labeled.status.replicas).toBe(1);
    const scaled = b(await call({ method: 'PATCH', path: `${DEPLOYS}/web`, contentType: 'application/merge-patch+json', body: { spec: { replicas: 3 } } }));
    expect(scaled.metadata.generation).toBe(2);
  });

  it('serves the scale subresource as autoscaling/v1 Scale', async () => {
    await call({ method: 'POST', path: DEPLOYS, body: deploy('web', { replicas: 2 }) });
    const s = b(await call({ path: `${DEPLOYS}/web/scale` }));
    expect(s).toMatchObject({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=web' } });
    const put = b(await call({ method: 'PUT', path: `${DEPLOYS}/web/scale`, body: { ...s, spec: { replicas: 5 } } }));
    expect(put.spec.replicas).toBe(5);
    const patched = b(await call({ method: 'PATCH', path: `${DEPLOYS}/web/scale`, contentType: 'application/merge-patch+json', body: { spec: { replicas: 4 } } }));
    expect(patched.spec.replicas).toBe(4);
    const d = b(await call({ path: `${DEPLOYS}/web` }));
    expect(d.spec.replicas).toBe(4);
    expect(d.metadata.generation).toBe(3);
    const stale = await call({ method: 'PUT', path: `${DEPLOYS}/web/scale`, body: { ...s, spec: { replicas: 1 } } });
    expect(stale.status).toBe(409);
    expect(b(stale).message).toBe('Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again');
  });

  it('prints deployments, replicasets, statefulsets, daemonsets and controllerrevisions like printers.go', async () => {
    await call({ method: 'POST', path: DEPLOYS, body: deploy('web', { replicas: 3 }) });
    expect(await columns(DEPLOYS)).toEqual(['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
    expect(await rows(DEPLOYS)).toEqual([['web', '0/3', 0, 0, '0s', 'c', 'nginx', 'app=web']]);
    const rs = { metadata: { name: 'web-1' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) } };
    expect((await call({ method: 'POST', path: '/apis/apps/v1/namespaces/default/replicasets', body: rs })).status).toBe(201);
    expect(await columns('/apis/apps/v1/namespaces/default/replicasets')).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
    expect(await rows('/apis/apps/v1/namespaces/default/replicasets')).toEqual([['web-1', 2, 0, 0, '0s', 'c', 'nginx', 'app=web']]);
    const sts = { metadata: { name: 'db' }, spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template({ app: 'db' }) } };
    const created = b(await call({ method: 'POST', path: '/apis/apps/v1/namespaces/default/statefulsets', body: sts }));
    expect(created.spec).toMatchObject({ replicas: 1, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, revisionHistoryLimit: 10, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' } });
    expect(await columns('/apis/apps/v1/namespaces/default/statefulsets')).toEqual(['Name', 'Ready', 'Age', 'Containers', 'Images']);
    expect(await rows('/apis/apps/v1/namespaces/default/statefulsets')).toEqual([['db', '0/1', '0s', 'c', 'nginx']]);
    const changed = await call({ method: 'PUT', path: '/apis/apps/v1/namespaces/default/statefulsets/db', body: { ...created, spec: { ...created.spec, serviceName: 'other' } } });
    expect(b(changed).message).toBe(
      "StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    );
    const ds = { metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }, { nodeSelector: { 'kubernetes.io/os': 'linux' } }) } };
    const dsc = b(await call({ method: 'POST', path: '/apis/apps/v1/namespaces/default/daemonsets', body: ds }));
    expect(dsc.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    expect(await columns('/apis/apps/v1/namespaces/default/daemonsets')).toEqual(['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers', 'Images', 'Selector']);
    expect(await rows('/apis/apps/v1/namespaces/default/daemonsets')).toEqual([['agent', 0, 0, 0, 0, 0, 'kubernetes.io/os=linux', '0s', 'c', 'nginx', 'app=agent']]);
    const cr = { metadata: { name: 'db-1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] }, revision: 1, data: {} };
    await call({ method: 'POST', path: '/apis/apps/v1/namespaces/default/controllerrevisions', body: cr });
    expect(await columns('/apis/apps/v1/namespaces/default/controllerrevisions')).toEqual(['Name', 'Controller', 'Revision', 'Age']);
    expect(await rows('/apis/apps/v1/namespaces/default/controllerrevisions')).toEqual([['db-1', 'statefulset.apps/db', 1, '0s']]);
  });
});

describe('batch/v1', () => {
  const JOBS = '/apis/batch/v1/namespaces/default/jobs';
  it('generates the Job selector and labels from its uid, and defaults the spec', async () => {
    const res = await call({ method: 'POST', path: JOBS, body: { metadata: { name: 'pi' }, spec: { template: template({}, { restartPolicy: 'Never' }) } } });
    expect(res.status).toBe(201);
    const job = b(res);
    const uid = job.metadata.uid;
    expect(job.spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(job.spec.template.metadata.labels).toEqual({ 'batch.kubernetes.io/controller-uid': uid, 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': uid, 'job-name': 'pi' });
    expect(job.metadata.labels).toEqual(job.spec.template.metadata.labels);
    expect(job.spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
    expect(await columns(JOBS)).toEqual(['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
    expect(await rows(JOBS)).toEqual([['pi', 'Running', '0/1', '', '0s', 'c', 'nginx', `batch.kubernetes.io/controller-uid=${uid}`]]);
  });

  it('rejects restartPolicy Always and a hand-written selector without manualSelector', async () => {
    const always = await call({ method: 'POST', path: JOBS, body: { metadata: { name: 'a' }, spec: { template: template({}) } } });
    expect(b(always).message).toBe('Job.batch "a" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"');
    const manual = await call({ method: 'POST', path: JOBS, body: { metadata: { name: 'm' }, spec: { selector: { matchLabels: { x: 'y' } }, template: template({ x: 'y' }, { restartPolicy: 'Never' }) } } });
    expect(b(manual).message).toContain('spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{');
    expect(b(manual).message).toContain('`selector` not auto-generated');
    const ok = await call({ method: 'POST', path: JOBS, body: { metadata: { name: 'k' }, spec: { manualSelector: true, selector: { matchLabels: { x: 'y' } }, template: template({ x: 'y' }, { restartPolicy: 'Never' }) } } });
    expect(ok.status).toBe(201);
  });

  it('defaults and prints CronJobs', async () => {
    const CJ = '/apis/batch/v1/namespaces/default/cronjobs';
    const cj = b(await call({ method: 'POST', path: CJ, body: { metadata: { name: 'tick' }, spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: template({}, { restartPolicy: 'OnFailure' }) } } } } }));
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(await columns(CJ)).toEqual(['Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector']);
    expect(await rows(CJ)).toEqual([['tick', '*/1 * * * *', '<none>', 'False', 0, '<none>', '0s', 'c', 'nginx', '<none>']]);
    const bad = await call({ method: 'POST', path: CJ, body: { metadata: { name: 'bad' }, spec: { jobTemplate: { spec: { template: template({}, { restartPolicy: 'Never' }) } } } } });
    expect(b(bad).message).toBe('CronJob.batch "bad" is invalid: spec.schedule: Required value');
    const unparsable = await call({ method: 'POST', path: CJ, body: { metadata: { name: 'u' }, spec: { schedule: 'every minute', jobTemplate: { spec: { template: template({}, { restartPolicy: 'Never' }) } } } } });
    expect(b(unparsable).message).toBe('CronJob.batch "u" is invalid: spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]');
  });
});

describe('server-side field validation inside pod templates', () => {
  it('warns about (and drops) unknown fields of a Deployment template, rejects them with Strict', async () => {
    const body = deploy('web', { replica: 2 });
    (body.spec.template.spec.containers[0] as Record<string, unknown>).imagee = 'x';
    const res = await call({ method: 'POST', path: DEPLOYS, body });
    expect(res.status).toBe(201);
    expect(res.headers?.warning).toBe('299 - "unknown field \\"spec.replica\\"", 299 - "unknown field \\"spec.template.spec.containers[0].imagee\\""');
    expect(b(res).spec.template.spec.containers[0].imagee).toBeUndefined();
    const strict = await call({ method: 'POST', path: DEPLOYS, query: { fieldValidation: 'Strict' }, body: { ...body, metadata: { name: 'w2' } } });
    expect(strict.status).toBe(400);
    expect(b(strict).message).toBe('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagee"');
  });
});
