import { strategies } from './registry/registry';

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

export function apiGroupList(): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [] };
}

export function rootPaths(): unknown {
  return { paths: ['/api', '/api/v1', '/apis', '/healthz', '/livez', '/readyz', '/version'] };
}

/** APIResourceList for core/v1: resources sorted by name, each followed by its subresources. */
export function coreV1Resources(): unknown {
  const resources: unknown[] = [
    { name: 'bindings', singularName: 'binding', namespaced: true, kind: 'Binding', verbs: ['create'] },
  ];
  for (const s of strategies.filter((x) => x.ref.group === '' && x.ref.version === 'v1')) {
    const r: Record<string, unknown> = { name: s.ref.resource, singularName: s.singularName, namespaced: s.ref.namespaced, kind: s.ref.kind, verbs: s.verbs };
    if (s.shortNames) r.shortNames = s.shortNames;
    if (s.categories) r.categories = s.categories;
    resources.push(r);
    for (const [sub, info] of Object.entries(s.subresources).sort(([a], [b]) => (a < b ? -1 : 1))) {
      resources.push({ name: `${s.ref.resource}/${sub}`, singularName: '', namespaced: s.ref.namespaced, kind: info.kind, verbs: info.verbs });
    }
  }
  return { kind: 'APIResourceList', groupVersion: 'v1', resources };
}
