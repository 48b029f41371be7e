import type { Service } from 'kubernetes-types/core/v1';
import { Services } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { ApiClient } from '../../client/api-client';
import { KUBE_DNS_IP } from '../apiserver/service-allocator';

/** kubeadm's CoreDNS addon Service (kube-system/kube-dns), whose names this cluster's kube-proxy answers. */
export function kubeDnsService(): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      type: 'ClusterIP',
      clusterIP: KUBE_DNS_IP,
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
      selector: { 'k8s-app': 'kube-dns' },
      sessionAffinity: 'None',
    },
  };
}

/**
 * Creates kube-system/kube-dns when absent, as `kubeadm init` installs the CoreDNS addon (kube-apiserver itself
 * only makes default/kubernetes). An existing one (409) is left alone; any other error rejects.
 */
export async function ensureKubeDnsService(client: ApiClient): Promise<void> {
  try {
    await client.create(Services, kubeDnsService(), 'kube-system');
  } catch (err) {
    if (!(err instanceof ApiError && err.code === 409)) throw err;
  }
}
