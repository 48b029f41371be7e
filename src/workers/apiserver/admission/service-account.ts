import type { Container, Pod, ServiceAccount, Volume } from 'kubernetes-types/core/v1';
import { ServiceAccounts } from '../../../api/resources';
import { admissionForbidden, getStored, isPod, type AdmissionAttributes, type AdmissionPlugin } from './admission';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** The projected token volume the plugin adds (TokenVolumeSource: a 1 h token plus kubelet's 7 s skew, the cluster CA, the namespace). */
export function tokenVolume(name: string): Volume {
  return {
    name,
    projected: {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
    },
  };
}

function allContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
}

/**
 * The ServiceAccount the pod names, or undefined when it is the `default` account and it does not exist yet
 * (kube-apiserver waits up to ~2 s for the serviceaccount controller to create it; Tabernetes admits the pod).
 * A missing named account is 403 `error looking up service account ns/sa: serviceaccount "sa" not found`.
 */
async function lookup(a: AdmissionAttributes, name: string): Promise<ServiceAccount | undefined> {
  const sa = await getStored<ServiceAccount>(a.ctx, ServiceAccounts, a.namespace, name);
  if (sa || name === DEFAULT_SERVICE_ACCOUNT) return sa;
  throw admissionForbidden(a, `error looking up service account ${a.namespace}/${name}: serviceaccount "${name}" not found`);
}

function mountToken(a: AdmissionAttributes, pod: Pod): void {
  const spec = pod.spec!;
  const mounted = allContainers(pod).some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH));
  if (mounted) return;
  const taken = new Set((spec.volumes ?? []).map((v) => v.name));
  let name: string;
  do name = TOKEN_VOLUME_PREFIX + a.ctx.ids.suffix(5);
  while (taken.has(name));
  for (const c of allContainers(pod)) (c.volumeMounts ??= []).push({ name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH });
  (spec.volumes ??= []).push(tokenVolume(name));
}

/**
 * ServiceAccount (plugin/pkg/admission/serviceaccount), on pod create: spec.serviceAccountName defaults to
 * "default" (spec.serviceAccount mirrors it); the account must exist (see lookup); unless the account or the pod
 * sets automountServiceAccountToken=false, or a container already mounts /var/run/secrets/kubernetes.io/serviceaccount,
 * a projected volume `kube-api-access-<5 random>` is appended and mounted read-only in every container and init
 * container. Mirror pods are left alone. Pod updates may not change the service account (pod validation).
 */
export const serviceAccount: AdmissionPlugin = {
  name: 'ServiceAccount',
  async admit(a) {
    if (!isPod(a) || a.operation !== 'CREATE') return;
    const pod = a.obj as unknown as Pod;
    if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
    const spec = (pod.spec ??= { containers: [] });
    if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || DEFAULT_SERVICE_ACCOUNT;
    spec.serviceAccount = spec.serviceAccountName;
    const sa = await lookup(a, spec.serviceAccountName);
    if (spec.automountServiceAccountToken === false || (spec.automountServiceAccountToken === undefined && sa?.automountServiceAccountToken === false)) return;
    mountToken(a, pod);
  },
  async validate(a) {
    if (!isPod(a) || a.operation !== 'CREATE') return;
    const pod = a.obj as unknown as Pod;
    if (pod.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return;
    await lookup(a, pod.spec?.serviceAccountName || DEFAULT_SERVICE_ACCOUNT);
  },
};
