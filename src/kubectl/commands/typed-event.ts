type Obj = Record<string, unknown>;

/** Keeps the keys of o in Go struct order (keys not listed follow in their own order); undefined dropped. */
function ordered(o: Obj | undefined, keys: string[]): Obj {
  const out: Obj = {};
  if (!o) return out;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  for (const [k, v] of Object.entries(o)) if (!(k in out) && v !== undefined) out[k] = v;
  return out;
}

const OBJECT_META = ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];
const OBJECT_REF = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'];

/**
 * A core/v1 Event as kubectl's typed client decodes and re-encodes it: Go struct field order, and the
 * fields without omitempty present (firstTimestamp, lastTimestamp, eventTime as null; source {};
 * reportingComponent, reportingInstance ""); managedFields dropped unless showManagedFields.
 */
export function typedEvent(e: Obj, showManagedFields: boolean): Obj {
  const md = { ...(e.metadata as Obj | undefined) };
  if (!showManagedFields) delete md.managedFields;
  const series = e.series as Obj | undefined;
  return ordered(
    {
      kind: e.kind || 'Event',
      apiVersion: e.apiVersion || 'v1',
      metadata: ordered(md, OBJECT_META),
      involvedObject: ordered(e.involvedObject as Obj | undefined, OBJECT_REF),
      reason: e.reason,
      message: e.message,
      source: ordered(e.source as Obj | undefined, ['component', 'host']),
      firstTimestamp: e.firstTimestamp ?? null,
      lastTimestamp: e.lastTimestamp ?? null,
      count: e.count || undefined,
      type: e.type,
      eventTime: e.eventTime ?? null,
      series: series ? ordered(series, ['count', 'lastObservedTime']) : undefined,
      action: e.action,
      related: e.related ? ordered(e.related as Obj, OBJECT_REF) : undefined,
      reportingComponent: e.reportingComponent ?? '',
      reportingInstance: e.reportingInstance ?? '',
    },
    [],
  );
}
