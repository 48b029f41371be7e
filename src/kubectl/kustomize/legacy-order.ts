import { groupOf, nameOf, nsOf, versionOf } from './kustomize-types';

type Obj = Record<string, unknown>;

const FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role', 'ClusterRole',
  'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange', 'PriorityClass', 'PersistentVolume',
  'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
];
const LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

const rank = (kind: string): number => {
  const f = FIRST.indexOf(kind);
  if (f >= 0) return f - FIRST.length;
  const l = LAST.indexOf(kind);
  return l >= 0 ? l + 1 : 0;
};

const gvkString = (o: Obj) => `${groupOf(o) || '~G'}_${versionOf(o) || '~V'}_${String(o.kind ?? '') || '~K'}`;
const idString = (o: Obj) => `${gvkString(o)}/${nameOf(o) || '[noName]'}_${nsOf(o) || '[noNs]'}`;
const byteLess = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** kustomize's legacy output order: kinds in its fixed first/last lists, others between, then by GVK and id strings. */
export function legacyOrder(objects: Obj[]): Obj[] {
  return [...objects].sort((a, b) => {
    const ga = gvkString(a);
    const gb = gvkString(b);
    if (ga !== gb) {
      const d = rank(String(a.kind)) - rank(String(b.kind));
      return d !== 0 ? d : byteLess(ga, gb);
    }
    return byteLess(idString(a), idString(b));
  });
}
