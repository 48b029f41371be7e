import type { Event as CoreEvent } from 'kubernetes-types/core/v1';
import type { Event as EventV1 } from 'kubernetes-types/events/v1';
import { isQualifiedName } from '../../../api/label-validation';
import { EventsV1 } from '../../../api/resources';
import { invalid, required, type FieldError } from '../field-errors';
import { eventColumns, eventRow } from '../printers/namespace-event-printers';
import { defineStrategy } from './define-strategy';
import { eventStrategy } from './event-strategy';
import type { KubeObject } from './strategy';

/**
 * events.k8s.io/v1 Event: the same stored objects as core/v1 Events, converted field by field as kube's
 * conversion does (note⇄message, regarding⇄involvedObject, reportingController⇄reportingComponent,
 * deprecatedSource⇄source, deprecatedFirstTimestamp/LastTimestamp/Count ⇄ firstTimestamp/lastTimestamp/count).
 */
type Obj = Record<string, unknown>;

const RENAMES: Array<[keyof EventV1, keyof CoreEvent]> = [
  ['note', 'message'],
  ['regarding', 'involvedObject'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];
const SAME = ['metadata', 'eventTime', 'series', 'reportingInstance', 'action', 'reason', 'related', 'type'];

function rename(o: Obj, pairs: Array<[string, string]>, apiVersion: string): KubeObject {
  const out: Obj = { apiVersion, kind: 'Event' };
  for (const k of SAME) if (o[k] !== undefined) out[k] = o[k];
  for (const [from, to] of pairs) if (o[from] !== undefined && o[from] !== null) out[to] = o[from];
  return out as KubeObject;
}

export const coreToEventV1 = (o: KubeObject): KubeObject => rename(o, RENAMES.map(([v1, core]) => [core, v1]), 'events.k8s.io/v1');
export const eventV1ToCore = (o: KubeObject): KubeObject => rename(o, RENAMES as Array<[string, string]>, 'v1');

/** ValidateEventCreate for events.k8s.io/v1 requests. */
function validateV1(o: KubeObject): FieldError[] {
  const e = o as unknown as EventV1;
  const errs: FieldError[] = [];
  if (!e.eventTime) errs.push(required('eventTime'));
  if (e.type !== 'Normal' && e.type !== 'Warning') errs.push(invalid('type', '', `has invalid value: ${e.type ?? ''}`));
  if (!e.reportingController) errs.push(required('reportingController'));
  else for (const m of isQualifiedName(e.reportingController)) errs.push(invalid('reportingController', e.reportingController, m));
  if (!e.reportingInstance) errs.push(required('reportingInstance'));
  else if (e.reportingInstance.length > 128) errs.push(invalid('reportingInstance', '', 'can have at most 128 characters'));
  if (!e.action) errs.push(required('action'));
  else if (e.action.length > 128) errs.push(invalid('action', '', 'can have at most 128 characters'));
  if (!e.reason) errs.push(required('reason'));
  else if (e.reason.length > 128) errs.push(invalid('reason', '', 'can have at most 128 characters'));
  if ((e.note ?? '').length > 1024) errs.push(invalid('note', '', 'can have at most 1024 characters'));
  return errs;
}

export const eventV1Strategy = defineStrategy({
  ref: EventsV1,
  singularName: 'event',
  validate: validateV1,
  selectableFields: (o) => eventStrategy.selectableFields(eventV1ToCore(o)),
  storage: { base: '/registry/events/', decode: coreToEventV1, encode: eventV1ToCore },
});
// printEvent (shared with core/v1) does not start with Name.
eventV1Strategy.table = { columns: eventColumns, row: (o, now) => eventRow(eventV1ToCore(o) as unknown as CoreEvent, now) };
