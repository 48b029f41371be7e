import { describe, expect, it } from 'vitest';
import type { Node, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { FakeClock } from '../../api/clock';
import { dialTcp } from '../../network/dial-tcp';
import { NetworkFabric } from '../../network/network-fabric';
import { HealthCheckServer } from './health-check-server';

const node = (name: string, ip: string): Node => ({ metadata: { name }, status: { addresses: [{ type: 'InternalIP', address: ip }] } });
const lb = (etp: string, hc?: number): Service => ({ metadata: { name: 'web', namespace: 'default' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: etp, ...(hc ? { healthCheckNodePort: hc } : {}), ports: [{ port: 80 }] } });
const slice: EndpointSlice = {
  metadata: { name: 'web-x', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: [
    { addresses: ['10.244.1.2'], nodeName: 'n1', conditions: { ready: true } },
    { addresses: ['10.244.1.3'], nodeName: 'n1', conditions: { ready: true } },
    { addresses: ['10.244.2.2'], nodeName: 'n2', conditions: { ready: false } },
  ],
};

async function get(fabric: NetworkFabric, ip: string, port: number): Promise<string> {
  const conn = await dialTcp(fabric, ip, port, { timeoutMs: 100 });
  await conn.write(new TextEncoder().encode('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
  return new TextDecoder().decode(await conn.readAll());
}

describe('HealthCheckServer (kube-proxy healthCheckNodePort)', () => {
  it('answers 200 with the local endpoint count on a node with ready endpoints, 503 elsewhere; follows the Service', async () => {
    const fabric = NetworkFabric.create({ slots: 8, ringBytes: 4096, listeners: 8, udpSockets: 0 });
    const clock = new FakeClock(Date.UTC(2025, 0, 2, 3, 4, 5));
    const logs: string[] = [];
    const hc = new HealthCheckServer(fabric, clock, (m) => logs.push(m));
    const nodes = [node('n1', '172.18.0.2'), node('n2', '172.18.0.3')];
    hc.sync([lb('Local', 32000)], [slice], nodes);
    expect(hc.ports()).toEqual(['172.18.0.2:32000', '172.18.0.3:32000']);
    expect(await get(fabric, '172.18.0.2', 32000)).toBe(
      'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 114\r\nContent-Type: application/json\r\nDate: Thu, 02 Jan 2025 03:04:05 GMT\r\n' +
        'X-Content-Type-Options: nosniff\r\nX-Load-Balancing-Endpoint-Weight: 2\r\n\r\n' +
        '{\n\t"service": {\n\t\t"namespace": "default",\n\t\t"name": "web"\n\t},\n\t"localEndpoints": 2,\n\t"serviceProxyHealthy": true\n}',
    );
    expect(await get(fabric, '172.18.0.3', 32000)).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n[\s\S]*"localEndpoints": 0,/);
    hc.sync([lb('Cluster')], [slice], nodes);
    expect(hc.ports()).toEqual([]);
    await expect(get(fabric, '172.18.0.2', 32000)).rejects.toThrow('connection refused');
    hc.dispose();
    expect(logs).toEqual([]);
  });
});
