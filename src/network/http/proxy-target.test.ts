import { describe, expect, it } from 'vitest';
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1';
import { resolvePodTarget, resolveServiceTarget, type ProxyLookup } from './proxy-target';

const pod: Pod = { metadata: { name: 'web' }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x', ports: [{ containerPort: 8080 }] }] }, status: { podIP: '10.244.1.5' } };
const svc: Service = { metadata: { name: 'web' }, spec: { ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 9000 }] } };
const eps: Endpoints = {
  metadata: { name: 'web' },
  subsets: [
    { notReadyAddresses: [{ ip: '10.244.1.9' }], ports: [{ name: 'http', port: 8080 }] },
    { addresses: [{ ip: '10.244.2.3' }], ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9001 }] },
  ],
};
const lookup = (o: { pod?: Pod; svc?: Service; eps?: Endpoints } = { pod, svc, eps }): ProxyLookup => ({
  pod: async () => o.pod,
  service: async () => o.svc,
  endpoints: async () => o.eps,
});

describe('proxy targets (kube-apiserver ResourceLocation)', () => {
  it('pods: the given port, else the first declared containerPort, else 80; errors for bad ids, absent pods and pods without an IP', async () => {
    expect(await resolvePodTarget(lookup(), 'default', 'web:5678')).toEqual({ ip: '10.244.1.5', port: 5678 });
    expect(await resolvePodTarget(lookup(), 'default', 'http:web:')).toEqual({ ip: '10.244.1.5', port: 8080 });
    expect(await resolvePodTarget(lookup({ pod: { ...pod, spec: { containers: [] } } }), 'default', 'web')).toEqual({ ip: '10.244.1.5', port: 80 });
    await expect(resolvePodTarget(lookup(), 'default', 'ftp:web:1')).rejects.toMatchObject({ code: 400, message: 'invalid pod request "ftp:web:1"' });
    await expect(resolvePodTarget(lookup({}), 'default', 'web')).rejects.toMatchObject({ code: 404, message: 'pods "web" not found' });
    await expect(resolvePodTarget(lookup({ pod: { ...pod, status: {} } }), 'default', 'web')).rejects.toMatchObject({ code: 400, message: 'address not allowed' });
  });

  it('services: port number → the Service port name → a ready address of the subset carrying it', async () => {
    expect(await resolveServiceTarget(lookup(), 'default', 'web:80')).toEqual({ ip: '10.244.2.3', port: 8080 });
    expect(await resolveServiceTarget(lookup(), 'default', 'web:admin')).toEqual({ ip: '10.244.2.3', port: 9001 });
    await expect(resolveServiceTarget(lookup(), 'default', 'web:81')).rejects.toMatchObject({ code: 503, message: 'no service port 81 found for service "web"' });
    await expect(resolveServiceTarget(lookup({}), 'default', 'web:80')).rejects.toMatchObject({ code: 404, message: 'services "web" not found' });
    await expect(resolveServiceTarget(lookup({ svc }), 'default', 'web')).rejects.toMatchObject({ code: 404, message: 'endpoints "web" not found' });
    await expect(resolveServiceTarget(lookup({ svc, eps: { metadata: { name: 'web' } } }), 'default', 'web:80')).rejects.toMatchObject({ code: 503, message: 'no endpoints available for service "web"' });
    // the unnamed port "" matches no subset: kube answers with the whole id
    await expect(resolveServiceTarget(lookup(), 'default', 'web')).rejects.toMatchObject({ code: 503, message: 'no endpoints available for service "web"' });
  });
});
