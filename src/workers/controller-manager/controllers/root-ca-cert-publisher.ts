import type { ConfigMap, Namespace } from 'kubernetes-types/core/v1';
import { ConfigMaps, Namespaces, objectKey } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import type { ControllerContext, ControllerDef, ControllerDescriptor } from '../controller-context';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/**
 * The cluster's CA certificate (a self-signed P-256 cert, CN=kubernetes, as kind's CA is named). The apiserver
 * speaks no TLS here; the bundle exists so workloads that read /var/run/secrets/.../ca.crt or the ConfigMap find one.
 */
export const CLUSTER_CA_PEM = `-----BEGIN CERTIFICATE-----
MIIBgDCCASWgAwIBAgIUCX8jKlUUQPC8I1wCiySAqfee1qgwCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKa3ViZXJuZXRlczAeFw0yNjExMjUxODQxNThaFw0zNjExMjIx
ODQxNThaMBUxEzARBgNVBAMMCmt1YmVybmV0ZXMwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARtAn0TUWwucoq8tsp/oYOTftwW795n9LXcbiduOYVXVjvTHcovBhhH
MDexVPo3ZDxJ1Us4LKYZnQpaxoXZN248o1MwUTAdBgNVHQ4EFgQUiygj0ozrpvn8
mwbK/pE+3qmTOK4wHwYDVR0jBBgwFoAUiygj0ozrpvn8mwbK/pE+3qmTOK4wDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBGAiEArewrnqYS/uvmGuomlAQL
SrOK5NsjoP4EFbCjnFQ7OK0CIQC77rlum1pGET58llVT1ZN6HE9dbqFJg9DgQGMx
MNm9wQ==
-----END CERTIFICATE-----
`;

/**
 * root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher), keyed by namespace name: every active
 * namespace has a ConfigMap kube-root-ca.crt with data ca.crt = the cluster CA and the kubernetes.io/description
 * annotation; it is recreated when deleted and its data restored when changed (other keys and labels kept).
 * Terminating namespaces are skipped; 404/409/403 on write are ignored (the namespace is going away or a newer
 * version will requeue), anything else is retried.
 */
export function rootCaCertPublisher(caPem = CLUSTER_CA_PEM): ControllerDescriptor {
  return {
    name: 'root-ca-certificate-publisher-controller',
    component: 'root-ca-cert-publisher',
    requires: [ConfigMaps, Namespaces],
    setup(ctx: ControllerContext): ControllerDef {
      const namespaces = ctx.factory.informerFor<Namespace>(Namespaces);
      const configMaps = ctx.factory.informerFor<ConfigMap>(ConfigMaps);
      const onNs = (n: Namespace) => ctx.queue.add(n.metadata?.name ?? '');
      const onCm = (c: ConfigMap) => c.metadata?.name === ROOT_CA_CONFIGMAP && ctx.queue.add(c.metadata?.namespace ?? '');
      const subs = [
        namespaces.addEventHandler({ onAdd: onNs, onUpdate: (_a, n) => onNs(n) }),
        configMaps.addEventHandler({ onUpdate: (_a, c) => onCm(c), onDelete: onCm }),
      ];
      const ignorable = (err: unknown) => err instanceof ApiError && [403, 404, 409].includes(err.code);
      async function reconcile(ns: string) {
        const n = namespaces.lister().get(ns);
        if (!n || n.metadata?.deletionTimestamp || n.status?.phase === 'Terminating') return;
        const cm = configMaps.lister().get(objectKey(ns, ROOT_CA_CONFIGMAP));
        try {
          if (!cm) {
            await ctx.client.create<ConfigMap>(ConfigMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace: ns, annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } }, data: { 'ca.crt': caPem } }, ns);
          } else if (cm.data?.['ca.crt'] !== caPem || cm.metadata?.annotations?.['kubernetes.io/description'] !== ROOT_CA_DESCRIPTION) {
            const annotations = { ...(cm.metadata?.annotations ?? {}), 'kubernetes.io/description': ROOT_CA_DESCRIPTION };
            await ctx.client.update<ConfigMap>(ConfigMaps, { ...cm, metadata: { ...cm.metadata, annotations }, data: { ...(cm.data ?? {}), 'ca.crt': caPem } });
          }
        } catch (err) {
          if (!ignorable(err)) throw err;
        }
      }
      return { reconcile, disposables: subs };
    },
  };
}
