/** How a resource is addressed: group/version/resource plus what the path needs to know. */
export interface ResourceRef {
  group: string; // '' for core
  version: string;
  resource: string; // plural, lower case: 'pods'
  kind: string;
  namespaced: boolean;
}

export const Pods: ResourceRef = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };
export const Nodes: ResourceRef = { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false };
export const Namespaces: ResourceRef = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };
export const Events: ResourceRef = { group: '', version: 'v1', resource: 'events', kind: 'Event', namespaced: true };

export function groupVersion(ref: Pick<ResourceRef, 'group' | 'version'>): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

/**
 * The REST path of a collection or object: /api/v1/namespaces/default/pods/web/status.
 * namespace is ignored for cluster-scoped resources; omitted for a namespaced resource it lists across all namespaces.
 */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  let p = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  if (ref.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
  p += `/${ref.resource}`;
  if (name !== undefined) p += `/${encodeURIComponent(name)}`;
  if (subresource) p += `/${subresource}`;
  return p;
}

/** The cache key client-go uses: "namespace/name", or "name" for cluster-scoped objects. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export function metaKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return objectKey(obj.metadata?.namespace, obj.metadata?.name ?? '');
}
