import type { Deployment } from 'kubernetes-types/apps/v1';
import type { ConfigMap, Namespace, Service } from 'kubernetes-types/core/v1';
import type { IngressClass } from 'kubernetes-types/networking/v1';

/** What the addon installs, named as the ingress-nginx kind/cloud manifests name them. */
export const INGRESS_NAMESPACE = 'ingress-nginx';
export const CONTROLLER_NAME = 'ingress-nginx-controller';
export const CONF_CONFIGMAP = 'ingress-nginx-controller-conf';
export const INGRESS_CLASS = 'tabernetes';
export const CONTROLLER_CLASS = 'k8s.io/ingress-nginx';
export const CONTROLLER_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.11.3';
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
/** Set on the controller's running pods to confStamp (the conf's hash): the pod update makes the kubelet refresh the ConfigMap volume now rather than at its next resync. */
export const CONF_HASH_ANNOTATION = 'ingress.tabernetes.dev/conf-hash';

export const CONTROLLER_LABELS = {
  'app.kubernetes.io/name': 'ingress-nginx',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/component': 'controller',
};
const PART_OF = { 'app.kubernetes.io/part-of': 'ingress-nginx', 'app.kubernetes.io/version': '1.11.3' };

export function ingressNamespace(): Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: INGRESS_NAMESPACE, labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx' } } };
}

export function ingressClass(): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: INGRESS_CLASS, labels: { ...CONTROLLER_LABELS, ...PART_OF }, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    spec: { controller: CONTROLLER_CLASS },
  };
}

export function confConfigMap(conf: string): ConfigMap {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: CONF_CONFIGMAP, namespace: INGRESS_NAMESPACE, labels: { ...CONTROLLER_LABELS, ...PART_OF } }, data: { 'nginx.conf': conf } };
}

export function controllerService(): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: CONTROLLER_NAME, namespace: INGRESS_NAMESPACE, labels: { ...CONTROLLER_LABELS, ...PART_OF } },
    spec: {
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      selector: CONTROLLER_LABELS,
      ports: [
        { name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', appProtocol: 'http' },
        { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https' },
      ],
    },
  };
}

/** The controller Deployment; readiness/liveness probe /healthz on 10254 as the real chart does (`probes: false` drops them). */
export function controllerDeployment(probes = true): Deployment {
  const probe = (failureThreshold: number) => ({ httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: CONTROLLER_NAME, namespace: INGRESS_NAMESPACE, labels: { ...CONTROLLER_LABELS, ...PART_OF } },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 10,
      minReadySeconds: 0,
      selector: { matchLabels: CONTROLLER_LABELS },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { ...CONTROLLER_LABELS, ...PART_OF } },
        spec: {
          serviceAccountName: 'ingress-nginx',
          automountServiceAccountToken: true,
          terminationGracePeriodSeconds: 300,
          containers: [
            {
              name: 'controller',
              image: CONTROLLER_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              args: [
                '/nginx-ingress-controller',
                `--publish-service=$(POD_NAMESPACE)/${CONTROLLER_NAME}`,
                '--election-id=ingress-nginx-leader',
                `--controller-class=${CONTROLLER_CLASS}`,
                `--ingress-class=${INGRESS_CLASS}`,
                `--configmap=$(POD_NAMESPACE)/${CONTROLLER_NAME}`,
                '--watch-ingress-without-class=true',
              ],
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
              ],
              ports: [
                { name: 'http', containerPort: 80, protocol: 'TCP' },
                { name: 'https', containerPort: 443, protocol: 'TCP' },
              ],
              ...(probes ? { readinessProbe: probe(3), livenessProbe: probe(5) } : {}),
              resources: { requests: { cpu: '100m', memory: '90Mi' } },
              volumeMounts: [{ name: 'nginx-conf', mountPath: '/etc/nginx', readOnly: true }],
            },
          ],
          volumes: [{ name: 'nginx-conf', configMap: { name: CONF_CONFIGMAP } }],
        },
      },
    },
  };
}
