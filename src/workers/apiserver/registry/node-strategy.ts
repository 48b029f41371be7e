import type { Node } from 'kubernetes-types/core/v1';
import { Nodes } from '../../../api/resources';
import { nodeColumns, nodeRow } from '../printers/node-printer';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta';
import { nameIsDNSSubdomain } from '../../../api/label-validation';
import { ALL_VERBS, type ResourceStrategy } from './strategy';
import { notSupported, type FieldError } from '../field-errors';

const asNode = (o: unknown) => o as Node;

function validateTaints(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  (node.spec?.taints ?? []).forEach((t, i) => {
    if (!['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      errs.push(notSupported(`spec.taints[${i}].effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

/** Nodes: cluster-scoped; registered by kubelets with their status; /status keeps spec. */
export const nodeStrategy: ResourceStrategy = {
  ref: Nodes,
  singularName: 'node',
  shortNames: ['no'],
  verbs: ALL_VERBS,
  subresources: {
    status: { kind: 'Node', verbs: ['get', 'patch', 'update'] },
  },
  hasGeneration: false,
  nameValidator: nameIsDNSSubdomain,
  returnDeletedObject: false,
  prepareForCreate(obj) {
    obj.spec ??= {};
  },
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, false, nameIsDNSSubdomain), ...validateTaints(asNode(obj))];
  },
  prepareForUpdate(obj, old) {
    obj.status = old.status;
  },
  validateUpdate(obj, old) {
    return [...validateObjectMetaUpdate(obj.metadata, old.metadata, false, nameIsDNSSubdomain), ...validateTaints(asNode(obj))];
  },
  prepareForStatusUpdate(obj, old) {
    obj.spec = old.spec;
  },
  validateStatusUpdate(obj, old) {
    return validateObjectMetaUpdate(obj.metadata, old.metadata, false, nameIsDNSSubdomain);
  },
  selectableFields(obj) {
    return { 'spec.unschedulable': String(asNode(obj).spec?.unschedulable ?? false) };
  },
  table: { columns: nodeColumns, row: (o, now) => nodeRow(asNode(o), now) },
};
