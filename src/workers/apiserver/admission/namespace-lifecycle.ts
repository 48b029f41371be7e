import type { Namespace } from 'kubernetes-types/core/v1';
import { Namespaces } from '../../../api/resources';
import { notFound } from '../errors';
import { admissionForbidden, getStored, type AdmissionPlugin } from './admission';

/**
 * NamespaceLifecycle (staging/.../admission/plugin/namespace/lifecycle), on create and update of namespaced
 * objects: a missing namespace is 404 `namespaces "x" not found`; creating in a Terminating namespace is 403
 * `<resource> "<name>" is forbidden: unable to create new content in namespace x because it is being terminated`
 * with a NamespaceTerminating cause. Events may still be written into a Terminating namespace (kept from
 * Tabernetes' earlier behaviour so components can report a pod's last moments).
 */
export const namespaceLifecycle: AdmissionPlugin = {
  name: 'NamespaceLifecycle',
  async admit(a) {
    if (!a.namespace || !a.ref.namespaced) return;
    if (a.ref.group === 'authorization.k8s.io' && a.ref.resource === 'localsubjectaccessreviews') return;
    const ns = await getStored<Namespace>(a.ctx, Namespaces, undefined, a.namespace);
    if (!ns) throw notFound(Namespaces, a.namespace);
    if (a.operation !== 'CREATE' || ns.status?.phase !== 'Terminating' || a.ref.resource === 'events') return;
    const err = admissionForbidden(a, `unable to create new content in namespace ${a.namespace} because it is being terminated`);
    err.status.details!.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${a.namespace} is being terminated`, field: 'metadata.namespace' }];
    throw err;
  },
};
