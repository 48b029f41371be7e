import { describe, expect, it } from 'vitest';
import type { Node, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { dialTcp } from '../src/network';
import { buildServiceTable } from '../src/workers/kube-proxy';
import { imagePodFixture } from './image-pod-fixture';

// kube-proxy's source NAT seen by a real agnhost netexec pod (/clientip answers the connection's peer address):
// two kind-like nodes, the pod on n2; clients outside the cluster (172.18.0.1) and on a pod of n1. (Hairpin is
// covered in src/network/masquerade.test.ts and kube-proxy/udp-service-wasi.test.ts: netexec serves one request
// at a time, so its /dial cannot reach itself.)
const IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.40';
const fx = imagePodFixture('netsnat', { fromIp: '172.18.0.1', fabric: { slots: 32, ringBytes: 8192 } });
const enc = new TextEncoder();
const dec = new TextDecoder();
const POD = '10.244.2.10';

const node = (name: string, ip: string, cidr: string): Node => ({ metadata: { name }, spec: { podCIDR: cidr }, status: { addresses: [{ type: 'InternalIP', address: ip }] } });
const svc = (name: string, clusterIP: string, nodePort: number, policy: 'Cluster' | 'Local'): Service => ({
  metadata: { name, namespace: 'default' },
  spec: { type: 'NodePort', clusterIP, externalTrafficPolicy: policy, ports: [{ port: 80, protocol: 'TCP', targetPort: 8080, nodePort }] },
});
const slice = (svcName: string): EndpointSlice => ({
  metadata: { name: `${svcName}-x`, namespace: 'default', labels: { 'kubernetes.io/service-name': svcName } },
  addressType: 'IPv4',
  endpoints: [{ addresses: [POD], nodeName: 'n2', conditions: { ready: true } }],
  ports: [{ port: 8080, protocol: 'TCP' }],
});

/** GET path from fromIp; the body and the address the client end sees as its peer. */
async function get(fromIp: string, ip: string, port: number, path: string): Promise<{ body: string; peer: string }> {
  const conn = await dialTcp(fx.fabric, ip, port, { fromIp });
  await conn.write(enc.encode(`GET ${path} HTTP/1.1\r\nHost: ${ip}\r\nConnection: close\r\n\r\n`));
  const raw = dec.decode(await conn.readAll());
  conn.close();
  return { body: raw.slice(raw.indexOf('\r\n\r\n') + 4), peer: `${conn.remoteAddress}:${conn.remotePort}` };
}

describe('kube-proxy source NAT (agnhost netexec /clientip)', () => {
  it('masquerades externalTrafficPolicy Cluster NodePort traffic and off-cluster → ClusterIP, keeps the client IP for Local and pod → ClusterIP', async () => {
    const nodes = [node('n1', '172.18.0.2', '10.244.1.0/24'), node('n2', '172.18.0.3', '10.244.2.0/24')];
    fx.fabric.services!.publish(buildServiceTable([svc('web', '10.96.0.50', 30080, 'Cluster'), svc('web-local', '10.96.0.51', 30081, 'Local')], [slice('web'), slice('web-local')], nodes));
    await fx.startPod(POD, IMAGE, 'netexec', [], ['netexec', '--http-port=8080'], { container: 'agnhost' });
    expect(await fx.get(POD, 8080, '/hostname')).toMatch(/netexec$/); // waits until it serves

    // Cluster, endpoint on another node: the backend sees n1's IP; the client still talks to the NodePort.
    const remote = await get('172.18.0.1', '172.18.0.2', 30080, '/clientip');
    expect(remote.body).toMatch(/^172\.18\.0\.2:\d+$/);
    expect(remote.peer).toBe('172.18.0.2:30080');
    // Cluster, endpoint on the node itself: MASQUERADE out of the pod bridge, the podCIDR's gateway.
    expect((await get('172.18.0.1', '172.18.0.3', 30080, '/clientip')).body).toMatch(/^10\.244\.2\.1:\d+$/);
    // A pod through a Cluster NodePort is masqueraded too (KUBE-EXT marks all of it).
    expect((await get('10.244.1.5', '172.18.0.2', 30080, '/clientip')).body).toMatch(/^172\.18\.0\.2:\d+$/);
    // Local keeps the client IP.
    const local = await get('172.18.0.1', '172.18.0.3', 30081, '/clientip');
    expect(local.body).toMatch(/^172\.18\.0\.1:\d+$/);
    expect(local.peer).toBe('172.18.0.3:30081');
    // pod → ClusterIP keeps the pod IP.
    const pod = await get('10.244.1.5', '10.96.0.50', 80, '/clientip');
    expect(pod.body).toMatch(/^10\.244\.1\.5:\d+$/);
    expect(pod.peer).toBe('10.96.0.50:80');
    // From outside --cluster-cidr (10.244.0.0/16) to a ClusterIP (KUBE-SVC's `! -s <clusterCIDR> -j KUBE-MARK-MASQ`):
    // node n1 (or a hostNetwork pod on it) reaches the endpoint on n2 from n1's IP; n2 itself from its pod bridge.
    const hostNet = await get('172.18.0.2', '10.96.0.50', 80, '/clientip');
    expect(hostNet.body).toMatch(/^172\.18\.0\.2:\d+$/);
    expect(hostNet.peer).toBe('10.96.0.50:80');
    expect((await get('172.18.0.3', '10.96.0.50', 80, '/clientip')).body).toMatch(/^10\.244\.2\.1:\d+$/);
    // A client on no node (a static route for the Service range): the first node bridges and masquerades it.
    expect((await get('172.18.0.1', '10.96.0.50', 80, '/clientip')).body).toMatch(/^172\.18\.0\.2:\d+$/);
  }, 120_000);
});
