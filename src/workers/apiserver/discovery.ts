import { apiGroups, strategies } from './registry/registry';

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

function groupInfo(g: { name: string; version: string }) {
  const gv = { groupVersion: `${g.name}/${g.version}`, version: g.version };
  return { name: g.name, versions: [gv], preferredVersion: gv };
}

export function apiGroupList(): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: apiGroups().map(groupInfo) };
}

/** /apis/<group>: the APIGroup, or undefined for a group not served. */
export function apiGroup(name: string): unknown {
  const g = apiGroups().find((x) => x.name === name);
  return g && { kind: 'APIGroup', apiVersion: 'v1', ...groupInfo(g) };
}

export function rootPaths(): unknown {
  return { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/version'] };
}

/** APIResourceList for a group version ('' = core): resources sorted by name, each followed by its subresources. */
export function groupVersionResources(group: string, version: string): unknown {
  const resources: unknown[] = group === '' ? [{ name: 'bindings', singularName: 'binding', namespaced: true, kind: 'Binding', verbs: ['create'] }] : [];
  for (const s of strategies.filter((x) => x.ref.group === group && x.ref.version === version)) {
    const r: Record<string, unknown> = { name: s.ref.resource, singularName: s.singularName, namespaced: s.ref.namespaced, kind: s.ref.kind, verbs: s.verbs };
    if (s.shortNames) r.shortNames = s.shortNames;
    if (s.categories) r.categories = s.categories;
    resources.push(r);
    for (const [sub, info] of Object.entries(s.subresources).sort(([a], [b]) => (a < b ? -1 : 1))) {
      resources.push({ name: `${s.ref.resource}/${sub}`, singularName: '', namespaced: s.ref.namespaced, kind: info.kind, verbs: info.verbs });
    }
  }
  if (!resources.length) return undefined;
  const list: Record<string, unknown> = { kind: 'APIResourceList', groupVersion: group ? `${group}/${version}` : version, resources };
  if (group) list.apiVersion = 'v1';
  return list;
}
