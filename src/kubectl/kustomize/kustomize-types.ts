type Obj = Record<string, unknown>;

/** One resource of a build: the object, the name it was loaded or generated with, every name it has had. */
export interface Res {
  obj: Obj;
  origName: string;
  names: string[];
  /** A generated ConfigMap/Secret whose name gets the content hash at the end of the build. */
  hash: boolean;
  /** For generated resources: create, merge or replace (a same-named generated resource of a base). */
  behavior?: string;
}

/** A build failure; kubectl prints `error: <message>`. */
export class KustomizeError extends Error {}

export const meta = (o: Obj): Record<string, unknown> => ((o.metadata ??= {}) as Record<string, unknown>);
export const nameOf = (o: Obj): string => String((o.metadata as { name?: unknown } | undefined)?.name ?? '');
export const nsOf = (o: Obj): string => String((o.metadata as { namespace?: unknown } | undefined)?.namespace ?? '');
export const groupOf = (o: Obj): string => {
  const av = String(o.apiVersion ?? '');
  return av.includes('/') ? av.slice(0, av.indexOf('/')) : '';
};
export const versionOf = (o: Obj): string => {
  const av = String(o.apiVersion ?? '');
  return av.includes('/') ? av.slice(av.indexOf('/') + 1) : av;
};

/** kustomize's NotNamespaceableKinds: no metadata.namespace is set on these. */
export const CLUSTER_KINDS = new Set([
  'APIService', 'CSIDriver', 'CSINode', 'CertificateSigningRequest', 'Cluster', 'ClusterRole', 'ClusterRoleBinding', 'ComponentStatus',
  'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'Namespace', 'Node', 'PersistentVolume', 'PodSecurityPolicy', 'PriorityClass',
  'RuntimeClass', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'StorageClass', 'SubjectAccessReview', 'TokenReview',
  'ValidatingWebhookConfiguration', 'VolumeAttachment',
]);
