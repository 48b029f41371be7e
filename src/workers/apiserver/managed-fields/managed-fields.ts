import { difference, fromFieldsV1, intersection, isEmpty, members, pathString, toFieldsV1, union, emptySet, type FieldSet, type FieldsV1 } from './field-set';
import { compareObjects, deepEqual, fieldSetOf, mergeApplied, removeFields, stripMeta } from './object-fields';

/**
 * metadata.managedFields as kube-apiserver 1.32's field manager maintains them.
 * Entries are identified by (manager, operation, apiVersion for Update, subresource). Writes:
 * - Update (create, PUT, non-apply PATCH): the fields the write added or changed move to the writer's
 *   entry (time = now) and out of every other entry; removed fields leave every entry. An existing
 *   object without managedFields stays without them (the field manager skips untracked objects).
 * - Apply: the writer's Apply entry becomes exactly the applied configuration's fields; fields it applied
 *   before and no longer applies are removed from the object unless another entry owns them; changing
 *   a field another entry owns is a conflict unless forced (then ownership moves).
 * Main-resource writes never own status when the resource has a status subresource; status writes own
 * only status. Entries are sorted Apply before Update, then by time, manager, apiVersion, subresource.
 */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

export interface WriteInfo {
  manager: string;
  apiVersion: string;
  /** rfc3339 now. */
  time: string;
  subresource?: string;
  /** The resource has a status subresource (main writes then own no status fields). */
  hasStatus: boolean;
}

type EntryMeta = Omit<ManagedFieldsEntry, 'fieldsV1' | 'fieldsType'>;

interface Managed {
  entry: EntryMeta;
  set: FieldSet;
}

type Obj = Record<string, unknown>;

/** Conflicts of an apply: the Status message and causes kube-apiserver sends with 409. */
export class ApplyConflicts extends Error {
  constructor(readonly conflicts: { manager: string; path: string; elements: string[] }[]) {
    super(conflictMessage(conflicts));
  }
}

const idOf = (e: EntryMeta) => JSON.stringify([e.manager, e.operation, e.operation === 'Update' ? e.apiVersion : '', e.subresource ?? '']);

export function decodeManagedFields(entries: unknown): Managed[] {
  if (!Array.isArray(entries)) return [];
  return entries
    .filter((e): e is ManagedFieldsEntry => !!e && typeof e === 'object' && typeof (e as ManagedFieldsEntry).manager === 'string')
    .map(({ fieldsV1, fieldsType: _t, ...entry }) => ({ entry, set: fromFieldsV1(fieldsV1) }));
}

export function encodeManagedFields(managed: Managed[]): ManagedFieldsEntry[] {
  const out = managed.filter((m) => !isEmpty(m.set));
  out.sort((a, b) => {
    const p = a.entry;
    const q = b.entry;
    if (p.operation !== q.operation) return p.operation < q.operation ? -1 : 1;
    if ((p.time ?? '') !== (q.time ?? '')) return (p.time ?? '') < (q.time ?? '') ? -1 : 1;
    if (p.manager !== q.manager) return p.manager < q.manager ? -1 : 1;
    if (p.apiVersion !== q.apiVersion) return p.apiVersion < q.apiVersion ? -1 : 1;
    return (p.subresource ?? '') < (q.subresource ?? '') ? -1 : (p.subresource ?? '') > (q.subresource ?? '') ? 1 : 0;
  });
  return out.map(({ entry, set }) => {
    const e: Partial<ManagedFieldsEntry> = { manager: entry.manager, operation: entry.operation, apiVersion: entry.apiVersion };
    if (entry.time) e.time = entry.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = toFieldsV1(set);
    if (entry.subresource) e.subresource = entry.subresource;
    return e as ManagedFieldsEntry;
  });
}

/** The part of a field set a write may own (status only through /status). */
function scoped(set: FieldSet, w: WriteInfo): FieldSet {
  if (w.subresource === 'status') {
    const status = set.children.get('f:status');
    const out = emptySet();
    if (status) out.children.set('f:status', status);
    return out;
  }
  if (!w.hasStatus) return set;
  const out = { member: set.member, children: new Map(set.children) };
  out.children.delete('f:status');
  return out;
}

function strippedSet(obj: Obj, w: WriteInfo): FieldSet {
  return scoped(fieldSetOf(stripMeta(obj)), w);
}

/**
 * The managedFields after an Update-operation write of `next` over `live` (undefined for a create),
 * starting from `base` (the request's managedFields when it sent a list, else the live ones).
 * Returns undefined when the object is not tracked.
 */
export function updateManagedFields(live: Obj | undefined, next: Obj, base: unknown, w: WriteInfo): ManagedFieldsEntry[] | undefined {
  const managed = decodeManagedFields(base);
  if (live && managed.length === 0) return undefined;
  const cmp = compareObjects(stripMeta(live ?? {}), stripMeta(next));
  const changed = scoped(cmp.changed, w);
  for (const m of managed) m.set = difference(difference(m.set, changed), cmp.removed);
  if (!isEmpty(changed)) {
    const entry = { manager: w.manager, operation: 'Update' as const, apiVersion: w.apiVersion, subresource: w.subresource, time: w.time };
    const mine = managed.find((m) => idOf(m.entry) === idOf(entry));
    if (mine) {
      mine.set = union(mine.set, changed);
      mine.entry = { ...mine.entry, time: w.time };
    } else managed.push({ entry, set: changed });
  }
  return encodeManagedFields(managed);
}

/**
 * Server-side apply of `config` over `live` (undefined: the object is created from the config).
 * Throws ApplyConflicts unless `force`. Returns the merged object (not yet defaulted) and its managedFields.
 */
export function applyManagedFields(live: Obj | undefined, config: Obj, w: WriteInfo, force: boolean): { object: Obj; managedFields: ManagedFieldsEntry[] } {
  const liveObj = live ?? {};
  let managed = decodeManagedFields(live?.metadata && (live.metadata as Obj).managedFields);
  if (live && managed.length === 0) {
    managed = [{ entry: { manager: 'before-first-apply', operation: 'Update', apiVersion: w.apiVersion, time: w.time }, set: strippedSet(live, w) }];
  }
  const cfg = structuredClone(config);
  if (w.subresource !== 'status' && w.hasStatus) delete cfg.status;
  const entry = { manager: w.manager, operation: 'Apply' as const, apiVersion: w.apiVersion, subresource: w.subresource };
  const mineIdx = managed.findIndex((m) => idOf(m.entry) === idOf(entry));
  const lastSet = mineIdx >= 0 ? managed[mineIdx].set : undefined;
  const newSet = strippedSet(cfg, w);
  const others = managed.filter((_, i) => i !== mineIdx);
  let merged = mergeApplied(liveObj, stripForMerge(cfg)) as Obj;
  if (lastSet) {
    const owned = others.reduce((acc, m) => union(acc, m.set), newSet);
    merged = removeFields(merged, difference(lastSet, owned), owned) as Obj;
  }
  const cmp = compareObjects(stripMeta(liveObj), stripMeta(merged));
  const changed = scoped(cmp.changed, w);
  const conflicts: { manager: string; path: string; elements: string[] }[] = [];
  for (const m of others) {
    for (const p of members(intersection(m.set, changed))) conflicts.push({ manager: printManager(m.entry), path: pathString(p), elements: p });
  }
  if (conflicts.length && !force) throw new ApplyConflicts(conflicts);
  for (const m of others) m.set = difference(difference(m.set, changed), cmp.removed);
  const prev = mineIdx >= 0 ? managed[mineIdx].entry : undefined;
  const noop = live !== undefined && deepEqual(liveObj, merged);
  const mine: Managed = { entry: { ...entry, time: noop && prev?.time ? prev.time : w.time }, set: newSet };
  const result = encodeManagedFields([...others, mine]);
  return { object: merged, managedFields: result };
}

/** The config as merged into the object: identity fields come from the live object or the URL. */
function stripForMerge(cfg: Obj): Obj {
  const out = { ...cfg };
  if (out.metadata && typeof out.metadata === 'object') {
    const m = { ...(out.metadata as Obj) };
    for (const k of ['managedFields', 'resourceVersion', 'uid', 'creationTimestamp', 'generation', 'selfLink']) delete m[k];
    out.metadata = m;
  }
  return out;
}

/** printManager of kube-apiserver's conflict errors: `"name"`, `"name" with subresource "scale"`, `… using apps/v1`. */
function printManager(e: EntryMeta): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

function conflictMessage(conflicts: { manager: string; path: string }[]): string {
  if (conflicts.length === 1) return `Apply failed with 1 conflict: conflict with ${conflicts[0].manager}: ${conflicts[0].path}`;
  const by = new Map<string, string[]>();
  for (const c of conflicts) by.set(c.manager, [...(by.get(c.manager) ?? []), c.path]);
  const lines: string[] = [];
  for (const m of [...by.keys()].sort()) {
    lines.push(`conflicts with ${m}:`);
    for (const p of by.get(m)!) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
