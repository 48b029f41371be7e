/**
 * src/workers/apiserver/managed-fields: metadata.managedFields and server-side apply, as kube-apiserver
 * 1.32's field manager (structured-merge-diff) does them.
 * - field-set: fieldpath.Set as a tree of FieldsV1 elements (f:, k:{…}, v:), set algebra, FieldsV1 codec, path strings.
 * - field-schema: list types (list-map keys from the strategic-merge-patch table, sets, atomic), atomic maps.
 * - object-fields: ToFieldSet, Compare, the structured merge of an applied config, pruning removed fields.
 * - managed-fields: the Update and Apply operations on managedFields entries; conflicts and their message.
 * - track-writes: the hooks create/update/patch call (manager from fieldManager or the user agent).
 * - apply-patch: the application/apply-patch+yaml PATCH handler; last-applied: the kubectl CSA↔SSA bridge.
 */
export { applyPatchHandler, patchOptionsInvalid } from './apply-patch';
export { trackCreate, trackUpdate, managerOf, writeInfo } from './track-writes';
export { applyManagedFields, updateManagedFields, ApplyConflicts, type ManagedFieldsEntry, type WriteInfo } from './managed-fields';
