import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../api/clock';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { NetworkFabric } from '../../network/network-fabric';
import { parseIpv4 } from '../../network/ipv4';
import { startKubeProxy } from './kube-proxy';

const pod = (name: string, ip: string, labels: Record<string, string>) => ({ metadata: { name, namespace: 'default', labels }, spec: { nodeName: 'n1', containers: [{ name: 'c' }] }, status: { phase: 'Running', podIP: ip, podIPs: [{ ip }] } });
const denyWeb = { metadata: { name: 'deny-web', namespace: 'default' }, spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] } };
const podWatches = (api: FakeApiHandler) => api.requests.filter((r) => r.query?.watch === 'true' && r.path === '/api/v1/pods').length;
const selected = (table: { pods: Record<string, unknown> }) => Object.keys(table.pods).map(Number).sort();

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('kube-proxy', () => {
  it('watches Pods only while a NetworkPolicy exists, and the table follows policies and pods', async () => {
    const api = new FakeApiHandler();
    api.put('namespaces', { metadata: { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } } });
    api.put('nodes', { metadata: { name: 'n1' }, spec: { podCIDR: '10.244.1.0/24' }, status: { addresses: [{ type: 'InternalIP', address: '172.18.0.2' }] } });
    api.put('pods', pod('web', '10.244.1.5', { app: 'web' }));
    api.put('pods', pod('client', '10.244.1.6', { role: 'client' }));
    const fabric = NetworkFabric.create({ slots: 4, ringBytes: 256, listeners: 4, udpSockets: 4, udpQueueBytes: 256 });
    const kp = startKubeProxy({ client: new ApiClient(api), clock: new FakeClock(), fabric, kubeDnsService: false });
    await kp.ready;
    expect(podWatches(api)).toBe(0); // no policy: pod churn never reaches kube-proxy
    const opened = api.openWatches;

    api.put('networking.k8s.io/networkpolicies', denyWeb);
    await until('the policy table selecting web', () => selected(kp.policyTable()).length === 1);
    expect(selected(kp.policyTable())).toEqual([parseIpv4('10.244.1.5')]);
    expect(podWatches(api)).toBe(1);
    expect(api.openWatches).toBe(opened + 1);

    api.put('pods', pod('web2', '10.244.1.7', { app: 'web' }));
    await until('the new web pod selected', () => selected(kp.policyTable()).length === 2);

    api.remove('networking.k8s.io/networkpolicies', 'default', 'deny-web');
    await until('the empty table', () => selected(kp.policyTable()).length === 0);
    await until('the pod watch closed', () => api.openWatches === opened);

    // A policy created again starts a fresh pod informer that lists the pods present now.
    api.remove('pods', 'default', 'web');
    api.put('networking.k8s.io/networkpolicies', denyWeb);
    await until('the table again', () => selected(kp.policyTable()).length === 1);
    expect(selected(kp.policyTable())).toEqual([parseIpv4('10.244.1.7')]);
    kp.dispose();
    await until('every watch closed', () => api.openWatches === 0);
  });

  it('publishes its first policy table with the pods when policies exist at start', async () => {
    const api = new FakeApiHandler();
    api.put('namespaces', { metadata: { name: 'default' } });
    api.put('pods', pod('web', '10.244.1.5', { app: 'web' }));
    api.put('networking.k8s.io/networkpolicies', denyWeb);
    const fabric = NetworkFabric.create({ slots: 4, ringBytes: 256, listeners: 4, udpSockets: 4, udpQueueBytes: 256 });
    const kp = startKubeProxy({ client: new ApiClient(api), clock: new FakeClock(), fabric, kubeDnsService: false });
    await kp.ready;
    expect(selected(kp.policyTable())).toEqual([parseIpv4('10.244.1.5')]);
    kp.dispose();
  });
});
