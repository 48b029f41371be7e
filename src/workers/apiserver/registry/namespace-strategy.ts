import type { Namespace } from 'kubernetes-types/core/v1';
import { Namespaces } from '../../../api/resources';
import { namespaceColumns, namespaceRow } from '../printers/namespace-event-printers';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta';
import { nameIsDNSLabel } from '../../../api/label-validation';
import type { ResourceStrategy } from './strategy';

const asNs = (o: unknown) => o as Namespace;
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Namespaces: cluster-scoped; spec.finalizers ["kubernetes"]; status.phase Active until deleted (then Terminating). */
export const namespaceStrategy: ResourceStrategy = {
  ref: Namespaces,
  singularName: 'namespace',
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: {
    finalize: { kind: 'Namespace', verbs: ['update'] },
    status: { kind: 'Namespace', verbs: ['get', 'patch', 'update'] },
  },
  hasGeneration: false,
  nameValidator: nameIsDNSLabel,
  returnDeletedObject: true,
  defaults(obj) {
    const meta = (obj.metadata ??= {});
    if (meta.name) meta.labels = { ...(meta.labels ?? {}), [NAMESPACE_NAME_LABEL]: meta.name };
  },
  prepareForCreate(obj) {
    const ns = asNs(obj);
    const finalizers = [...(ns.spec?.finalizers ?? [])];
    if (!finalizers.includes('kubernetes')) finalizers.push('kubernetes');
    obj.spec = { ...(ns.spec ?? {}), finalizers };
    obj.status = { phase: 'Active' };
  },
  validate(obj) {
    return validateObjectMeta(obj.metadata, false, nameIsDNSLabel);
  },
  prepareForUpdate(obj, old) {
    obj.spec = old.spec;
    obj.status = old.status;
  },
  validateUpdate(obj, old) {
    return validateObjectMetaUpdate(obj.metadata, old.metadata, false, nameIsDNSLabel);
  },
  prepareForStatusUpdate(obj, old) {
    obj.spec = old.spec;
  },
  validateStatusUpdate(obj, old) {
    return validateObjectMetaUpdate(obj.metadata, old.metadata, false, nameIsDNSLabel);
  },
  readyToDelete: (obj) => (asNs(obj).spec?.finalizers ?? []).length === 0,
  selectableFields(obj) {
    return { 'status.phase': asNs(obj).status?.phase ?? '' };
  },
  table: { columns: namespaceColumns, row: (o, now) => namespaceRow(asNs(o), now) },
};
