import { apiGroups, strategies } from './registry/registry';
import type { ResourceStrategy } from './registry/strategy';

type Served = readonly ResourceStrategy[];

/** Discovery documents: /api, /api/v1, /apis, /version (kube-apiserver 1.32 shapes). */
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-tabernetes',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'wasip1/wasm',
};

export function apiVersions(): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: 'tabernetes:6443' }] };
}

function groupInfo(g: { name: string; versions: string[] }) {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

/** Every function below takes the served strategies (built-ins + custom resources; default: built-ins). */
export function apiGroupList(served: Served = strategies): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: apiGroups(served).map(groupInfo) };
}

/** /apis/<group>: the APIGroup, or undefined for a group not served. */
export function apiGroup(name: string, served: Served = strategies): unknown {
  const g = apiGroups(served).find((x) => x.name === name);
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...groupInfo(g) };
}

export function rootPaths(): unknown {
  return { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/version'] };
}

/** APIResourceList for a group version ('' = core): resources sorted by name, each followed by its subresources. */
export function groupVersionResources(group: string, version: string, all: Served = strategies): unknown {
  const resources: unknown[] = group === '' ? [{ name: 'bindings', singularName: 'binding', namespaced: true, kind: 'Binding', verbs: ['create'] }] : [];
  const served = all.filter((x) => x.ref.group === group && x.ref.version === version).sort((a, b) => (a.ref.resource < b.ref.resource ? -1 : 1));
  for (const s of served) {
    const r: Record<string, unknown> = { name: s.ref.resource, singularName: s.singularName, namespaced: s.ref.namespaced, kind: s.ref.kind, verbs: s.verbs };
    if (s.shortNames) r.shortNames = s.shortNames;
    if (s.categories) r.categories = s.categories;
    resources.push(r);
    for (const [sub, info] of Object.entries(s.subresources).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const gv = info.group !== undefined ? { group: info.group, version: info.version } : {};
      resources.push({ name: `${s.ref.resource}/${sub}`, singularName: '', namespaced: s.ref.namespaced, ...gv, kind: info.kind, verbs: info.verbs });
    }
  }
  if (!resources.length) return undefined;
  const list: Record<string, unknown> = { kind: 'APIResourceList', groupVersion: group ? `${group}/${version}` : version, resources };
  if (group) list.apiVersion = 'v1';
  return list;
}

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

/** True when the Accept header asks for aggregated discovery (apidiscovery.k8s.io v2 APIGroupDiscoveryList). */
export function wantsAggregated(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const params = new Set(part.split(';').map((x) => x.trim()));
    return params.has('g=apidiscovery.k8s.io') && params.has('v=v2') && params.has('as=APIGroupDiscoveryList');
  });
}

function versionDiscovery(group: string, version: string, all: Served): unknown {
  const resources = all
    .filter((s) => s.ref.group === group && s.ref.version === version)
    .sort((a, b) => (a.ref.resource < b.ref.resource ? -1 : 1))
    .map((s) => {
      const r: Record<string, unknown> = {
        resource: s.ref.resource,
        responseKind: { group, version, kind: s.ref.kind },
        scope: s.ref.namespaced ? 'Namespaced' : 'Cluster',
        singularResource: s.singularName,
        verbs: s.verbs,
      };
      if (s.shortNames) r.shortNames = s.shortNames;
      if (s.categories) r.categories = s.categories;
      const subs = Object.entries(s.subresources).sort(([a], [b]) => (a < b ? -1 : 1));
      if (subs.length) {
        r.subresources = subs.map(([name, info]) => ({
          subresource: name,
          responseKind: info.group !== undefined ? { group: info.group, version: info.version, kind: info.kind } : info.kind === 'Scale' ? { group: 'autoscaling', version: 'v1', kind: 'Scale' } : { group: info.kind === 'Binding' ? '' : group, version: info.kind === 'Binding' ? 'v1' : version, kind: info.kind },
          verbs: info.verbs,
        }));
      }
      return r;
    });
  if (group === '') resources.unshift({ resource: 'bindings', responseKind: { group: '', version: 'v1', kind: 'Binding' }, scope: 'Namespaced', singularResource: 'binding', verbs: ['create'] });
  return { version, resources, freshness: 'Current' };
}

/** Aggregated discovery for /api (core = true) or /apis: an apidiscovery.k8s.io/v2 APIGroupDiscoveryList. */
export function aggregatedDiscovery(core: boolean, served: Served = strategies): unknown {
  const groups = core ? [{ name: '', versions: ['v1'] }] : apiGroups(served);
  const items = groups.map((g) => ({ metadata: { name: g.name, creationTimestamp: null }, versions: g.versions.map((v) => versionDiscovery(g.name, v, served)) }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
