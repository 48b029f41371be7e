import type { Event, Namespace } from 'kubernetes-types/core/v1';
import { timestampSince } from '../../../api/duration';
import { ageColumn, column, nameColumn, type TableColumn } from '../registry/strategy';

/** printNamespace (1.32). */
export const namespaceColumns: TableColumn[] = [nameColumn, column('Status', 'string', 'The status of the namespace'), ageColumn];

export function namespaceRow(ns: Namespace, nowMs: number): unknown[] {
  return [ns.metadata?.name ?? '', ns.status?.phase ?? '', timestampSince(ns.metadata?.creationTimestamp, nowMs)];
}

/** printEvent (1.32): LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; wide: SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME. */
export const eventColumns: TableColumn[] = [
  column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
  column('Object', 'string', 'The object that this event is about.'),
  column('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.', 1),
  column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
  column('Message', 'string', 'A human-readable description of the status of this operation.'),
  column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
  column('Count', 'string', 'The number of times this event has occurred.', 1),
  { ...column('Name', 'string', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names', 1), format: 'name' },
];

export function eventRow(ev: Event, nowMs: number): unknown[] {
  let first = timestampSince(ev.firstTimestamp, nowMs);
  if (!ev.firstTimestamp) first = timestampSince(ev.eventTime, nowMs);
  let last = timestampSince(ev.lastTimestamp, nowMs);
  if (!ev.lastTimestamp) last = first;
  let count = ev.count ?? 0;
  if (ev.series) {
    last = timestampSince(ev.series.lastObservedTime, nowMs);
    count = ev.series.count ?? 0;
  } else if (count === 0) count = 1;
  const io = ev.involvedObject ?? {};
  const target = io.name ? `${(io.kind ?? '').toLowerCase()}/${io.name}` : (io.kind ?? '').toLowerCase();
  const component = ev.source?.component || ev.reportingComponent || '';
  const instance = ev.source?.host || ev.reportingInstance || '';
  const source = instance ? `${component}, ${instance}` : component;
  return [last, ev.type ?? '', ev.reason ?? '', target, io.fieldPath ?? '', source, (ev.message ?? '').trim(), first, count, ev.metadata?.name ?? ''];
}
