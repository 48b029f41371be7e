import { describe, expect, it } from 'vitest';
import type { Endpoints } from 'kubernetes-types/core/v1';
import { startFakeManager } from '../testing/workload-fixtures';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { endpointsController } from './endpoints-controller';
import { endpointSliceController } from './endpointslice-controller';

const pod = (name: string, ip: string, ready: boolean, labels = { app: 'web' }) => ({
  metadata: { name, namespace: 'default', labels },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
  status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('endpoint-controller', () => {
  it('mirrors selected pods into Endpoints: ready/notReady, named target ports, updates and deletion', async () => {
    const { api, cm, settle } = await startFakeManager([endpointsController()]);
    api.put('services', { metadata: { name: 'web', namespace: 'default', labels: { tier: 'front' } }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] } });
    api.put('services', { metadata: { name: 'manual', namespace: 'default' }, spec: { ports: [{ port: 80 }] } });
    api.put('pods', pod('b', '10.244.1.10', true));
    api.put('pods', pod('a', '10.244.1.9', false));
    api.put('pods', pod('other', '10.244.1.11', true, { app: 'db' } as never));
    await settle();
    const ep = () => api.get('endpoints', 'default', 'web') as unknown as Endpoints | undefined;
    expect(ep()?.metadata?.labels).toEqual({ tier: 'front' });
    expect(ep()?.subsets).toEqual([
      {
        addresses: [{ ip: '10.244.1.10', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'b', uid: expect.any(String) } }],
        notReadyAddresses: [{ ip: '10.244.1.9', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: expect.any(String) } }],
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      },
    ]);
    expect(api.get('endpoints', 'default', 'manual')).toBeUndefined();
    api.put('pods', pod('a', '10.244.1.9', true));
    await settle();
    expect(ep()?.subsets?.[0].addresses?.map((a) => a.ip)).toEqual(['10.244.1.9', '10.244.1.10']);
    expect(ep()?.subsets?.[0].notReadyAddresses).toBeUndefined();
    const writes = api.requests.filter((r) => r.path.includes('/endpoints')).length;
    await settle();
    expect(api.requests.filter((r) => r.path.includes('/endpoints')).length).toBe(writes);
    api.remove('services', 'default', 'web');
    await settle();
    expect(ep()).toBeUndefined();
    cm.dispose();
  });
});

describe('endpointslice-controller', () => {
  it('keeps one IPv4 slice per port set with ready/serving/terminating conditions, owned by the Service', async () => {
    const { api, cm, settle } = await startFakeManager([endpointSliceController()]);
    const svc = api.put('services', { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }] } });
    api.put('pods', pod('b', '10.244.1.10', true));
    api.put('pods', pod('a', '10.244.1.9', false));
    await settle();
    for (let i = 0; i < 3; i++) {
      api.put('pods', { ...pod('c', `10.244.2.${i + 1}`, true) });
      await settle(1);
    }
    await settle(200);
    const slices = () => api.list('discovery.k8s.io/endpointslices') as unknown as EndpointSlice[];
    expect(slices()).toHaveLength(1);
    const [s] = slices();
    expect(s.metadata?.name).toMatch(/^web-/);
    expect(s.metadata?.labels).toEqual({ 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
    expect(s.metadata?.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: svc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    expect(s.addressType).toBe('IPv4');
    expect(s.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(s.endpoints.map((e) => [e.addresses[0], e.conditions])).toEqual([
      ['10.244.1.9', { ready: false, serving: false, terminating: false }],
      ['10.244.1.10', { ready: true, serving: true, terminating: false }],
      ['10.244.2.3', { ready: true, serving: true, terminating: false }],
    ]);
    api.put('pods', { ...pod('b', '10.244.1.10', true), metadata: { ...pod('b', '', true).metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } });
    await settle();
    expect(slices()[0].endpoints.find((e) => e.addresses[0] === '10.244.1.10')?.conditions).toEqual({ ready: false, serving: true, terminating: true });
    cm.dispose();
  });
});
