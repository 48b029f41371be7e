import { describe, expect, it } from 'vitest';
import { FakeClock, seededIds, type ApiRequest } from '../../../api';
import { createMemoryStore } from '../../../storage';
import { createApiServer } from '../index';

const POD = '/api/v1/namespaces/default/pods/web';
const EC = `${POD}/ephemeralcontainers`;

async function setup() {
  const api = await createApiServer({ store: createMemoryStore(), clock: new FakeClock(), ids: seededIds(5) });
  const call = (req: Partial<ApiRequest> & { path: string }) => api.request({ method: 'GET', ...req });
  const created = await call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } });
  expect(created.status).toBe(201);
  return { call };
}

const smp = (ecs: unknown[]) => ({ method: 'PATCH' as const, path: EC, contentType: 'application/strategic-merge-patch+json', body: { spec: { ephemeralContainers: ecs } } });

describe('pods/ephemeralcontainers', () => {
  it('adds an ephemeral container by strategic merge patch, defaulted; GET returns the pod; only ephemeralContainers change', async () => {
    const { call } = await setup();
    const res = await call({ ...smp([{ name: 'debugger', image: 'busybox', stdin: true, tty: true, targetContainerName: 'app' }]), body: { metadata: { labels: { x: 'y' } }, spec: { containers: [{ name: 'app', image: 'other' }], ephemeralContainers: [{ name: 'debugger', image: 'busybox', stdin: true, tty: true, targetContainerName: 'app' }] } } });
    expect(res.status).toBe(200);
    const pod = res.body as { metadata: { labels?: unknown }; spec: { containers: Array<{ image: string }>; ephemeralContainers: unknown[] } };
    expect(pod.spec.ephemeralContainers).toEqual([
      { name: 'debugger', image: 'busybox', stdin: true, tty: true, targetContainerName: 'app', imagePullPolicy: 'Always', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
    ]);
    expect(pod.spec.containers[0].image).toBe('nginx');
    expect(pod.metadata.labels).toBeUndefined();
    const got = await call({ path: EC });
    expect(got.status).toBe(200);
    expect((got.body as { kind: string }).kind).toBe('Pod');
  });

  it('refuses changing or removing existing ones, disallowed fields, duplicate names and unknown targets with kube\'s messages', async () => {
    const { call } = await setup();
    expect((await call(smp([{ name: 'dbg', image: 'busybox' }]))).status).toBe(200);
    const pod = (await call({ path: POD })).body as { spec: { ephemeralContainers: Array<Record<string, unknown>> } };
    const removed = await call({ method: 'PUT', path: EC, body: { ...pod, spec: { ...pod.spec, ephemeralContainers: [] } } });
    expect(removed.status).toBe(422);
    expect((removed.body as { message: string }).message).toBe('Pod "web" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be removed\n');
    const changed = await call({ method: 'PUT', path: EC, body: { ...pod, spec: { ...pod.spec, ephemeralContainers: [{ ...pod.spec.ephemeralContainers[0], image: 'nginx' }] } } });
    expect(changed.status).toBe(422);
    expect((changed.body as { message: string }).message).toMatch(/^Pod "web" is invalid: spec\.ephemeralContainers: Forbidden: existing ephemeral containers "dbg" may not be changed\n/);
    const bad = await call(smp([{ name: 'app', image: 'busybox', ports: [{ containerPort: 80 }], targetContainerName: 'nope', readinessProbe: { tcpSocket: { port: 80 } } }]));
    expect(bad.status).toBe(422);
    const causes = (bad.body as { details: { causes: Array<{ field: string; reason: string; message: string }> } }).details.causes;
    expect(causes).toEqual(expect.arrayContaining([
      { reason: 'FieldValueDuplicate', field: 'spec.ephemeralContainers[1].name', message: 'Duplicate value: "app"' },
      { reason: 'FieldValueNotFound', field: 'spec.ephemeralContainers[1].targetContainerName', message: 'Not found: "nope"' },
      { reason: 'FieldValueForbidden', field: 'spec.ephemeralContainers[1].ports', message: 'Forbidden: cannot be set for an Ephemeral Container' },
      { reason: 'FieldValueForbidden', field: 'spec.ephemeralContainers[1].readinessProbe', message: 'Forbidden: cannot be set for an Ephemeral Container' },
    ]));
  });

  it('the main resource cannot add them, nor can a create', async () => {
    const { call } = await setup();
    const pod = (await call({ path: POD })).body as { spec: Record<string, unknown> };
    const put = await call({ method: 'PUT', path: POD, body: { ...pod, spec: { ...pod.spec, ephemeralContainers: [{ name: 'd', image: 'busybox' }] } } });
    expect(put.status).toBe(422);
    expect((put.body as { message: string }).message).toMatch(/spec: Forbidden: pod updates may not change fields other than/);
    const create = await call({ method: 'POST', path: '/api/v1/namespaces/default/pods', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ name: 'a', image: 'nginx' }], ephemeralContainers: [{ name: 'd', image: 'busybox' }] } } });
    expect(create.status).toBe(422);
    expect((create.body as { message: string }).message).toBe('Pod "x" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create');
    expect((await call({ method: 'POST', path: EC, body: {} })).status).toBe(405);
  });
});
