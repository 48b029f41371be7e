import type { Container, Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../client/api-client';
import { FakeApiHandler } from '../../client/testing/fake-api-handler';
import { containerConfig, sandboxConfig } from './container-config';

const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec: { containers: [] } };
const configOf = (c: Container) => containerConfig(new ApiClient(new FakeApiHandler()), pod, c, 0, '172.18.0.3', '10.244.1.2');

describe('containerConfig resources', () => {
  it('turns limits into CRI linux resources: memory bytes and the CFS quota (milliCPUToQuota, period 100000)', async () => {
    expect((await configOf({ name: 'c', resources: { limits: { cpu: '500m', memory: '64Mi' } } })).linux).toEqual({ resources: { memoryLimitInBytes: 64 << 20, cpuPeriod: 100000, cpuQuota: 50000 } });
    expect((await configOf({ name: 'c', resources: { limits: { cpu: '2' } } })).linux).toEqual({ resources: { cpuPeriod: 100000, cpuQuota: 200000 } });
    expect((await configOf({ name: 'c', resources: { limits: { cpu: '1m' } } })).linux?.resources?.cpuQuota).toBe(1000);
    expect((await configOf({ name: 'c', resources: { requests: { cpu: '1' } } })).linux).toBeUndefined();
  });
});

describe('sandboxConfig hostname', () => {
  it("is the pod's hostname (or name), and the node's name for host-network pods", () => {
    expect(sandboxConfig(pod, 0).hostname).toBe('p');
    expect(sandboxConfig({ ...pod, spec: { containers: [], hostname: 'h' } }, 0).hostname).toBe('h');
    expect(sandboxConfig({ ...pod, spec: { containers: [], hostname: 'h', hostNetwork: true, nodeName: 'worker-1' } }, 0).hostname).toBe('worker-1');
  });
});
