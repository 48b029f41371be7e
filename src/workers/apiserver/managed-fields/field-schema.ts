import { MERGE_KEYS, SET_LISTS, mergeKey } from '../patch/strategic-merge-patch';

/**
 * What server-side apply needs to know about a field, by its name (the patchMergeKey table of the
 * strategic merge patch plus the x-kubernetes-list-map-keys that have more than one key):
 * - list-map lists merge by their keys (`ports` are containerPort+protocol in containers, port+protocol
 *   in Services, protocol defaulting to TCP as the OpenAPI default says); set lists (finalizers) by value;
 *   any other list is atomic;
 * - atomic maps (label selectors, nodeSelector) are owned and replaced as a whole;
 * - fields Go always serialises (non-pointer structs, lists without omitempty) are never "added" by a
 *   write, so their FieldsV1 node has no `.` member.
 */
export type ListType = { kind: 'map'; keys: string[] } | { kind: 'set' } | { kind: 'atomic' };

const MULTI_KEYS: Record<string, string[]> = {
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
};

const ATOMIC_MAPS = new Set(['selector', 'labelSelector', 'namespaceSelector', 'nodeSelector', 'matchLabels']);
const ALWAYS_PRESENT = new Set(['metadata', 'spec', 'status', 'template', 'strategy', 'updateStrategy', 'resources', 'containers', 'jobTemplate']);

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function listType(field: string, items: unknown[]): ListType {
  if (SET_LISTS.has(field)) return { kind: 'set' };
  if (MULTI_KEYS[field]) return { kind: 'map', keys: MULTI_KEYS[field] };
  if (field === 'ports') {
    const key = mergeKey(field, items);
    return { kind: 'map', keys: [key ?? 'containerPort', 'protocol'] };
  }
  const key = MERGE_KEYS[field];
  if (key && items.every(isObj)) return { kind: 'map', keys: [key] };
  return { kind: 'atomic' };
}

export const isAtomicMap = (field: string): boolean => ATOMIC_MAPS.has(field);
export const alwaysPresent = (field: string): boolean => ALWAYS_PRESENT.has(field);

/** The `k:{…}` element of a list-map item (keys sorted; a missing protocol is "TCP"). */
export function itemElement(item: unknown, t: ListType): string {
  if (t.kind === 'set') return `v:${JSON.stringify(item)}`;
  if (t.kind !== 'map' || !isObj(item)) return `v:${JSON.stringify(item)}`;
  const key: Record<string, unknown> = {};
  for (const k of [...t.keys].sort()) {
    const v = item[k] ?? (k === 'protocol' ? 'TCP' : undefined);
    if (v !== undefined) key[k] = v;
  }
  return `k:${JSON.stringify(key)}`;
}
