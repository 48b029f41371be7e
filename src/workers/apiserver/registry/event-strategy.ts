import type { Event } from 'kubernetes-types/core/v1';
import { Events } from '../../../api/resources';
import { eventColumns, eventRow } from '../printers/namespace-event-printers';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta';
import { nameIsDNSSubdomain } from '../../../api/label-validation';
import { ALL_VERBS, type KubeObject, type ResourceStrategy } from './strategy';
import { invalid, type FieldError } from '../field-errors';

const asEvent = (o: unknown) => o as Event;

function validateEvent(obj: KubeObject): FieldError[] {
  const ev = asEvent(obj);
  const errs: FieldError[] = [];
  const ns = ev.metadata?.namespace ?? '';
  const io = ev.involvedObject ?? {};
  if (io.namespace && io.namespace !== ns) errs.push(invalid('involvedObject.namespace', io.namespace, 'does not match event.namespace'));
  return errs;
}

/** core/v1 Events: clients set timestamps and counts; accepted as given. */
export const eventStrategy: ResourceStrategy = {
  ref: Events,
  singularName: 'event',
  shortNames: ['ev'],
  verbs: ALL_VERBS,
  subresources: {},
  hasGeneration: false,
  nameValidator: nameIsDNSSubdomain,
  returnDeletedObject: false,
  prepareForCreate() {},
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain), ...validateEvent(obj)];
  },
  prepareForUpdate() {},
  validateUpdate(obj, old) {
    return [...validateObjectMetaUpdate(obj.metadata, old.metadata, true, nameIsDNSSubdomain), ...validateEvent(obj)];
  },
  selectableFields(obj) {
    const ev = asEvent(obj);
    const io = ev.involvedObject ?? {};
    return {
      'involvedObject.kind': io.kind ?? '',
      'involvedObject.namespace': io.namespace ?? '',
      'involvedObject.name': io.name ?? '',
      'involvedObject.uid': io.uid ?? '',
      'involvedObject.apiVersion': io.apiVersion ?? '',
      'involvedObject.resourceVersion': io.resourceVersion ?? '',
      'involvedObject.fieldPath': io.fieldPath ?? '',
      reason: ev.reason ?? '',
      reportingComponent: ev.reportingComponent ?? '',
      source: ev.source?.component ?? '',
      type: ev.type ?? '',
    };
  },
  table: { columns: eventColumns, row: (o, now) => eventRow(asEvent(o), now) },
};
