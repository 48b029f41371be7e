import { builtinTable, type StrategyTable } from './registry/registry';
import type { ResourceStrategy } from './registry/strategy';

/** What a path addresses, per kube's RequestInfoFactory (namespaces/<n>/status and /finalize are namespace subresources). */
export type Route =
  | { kind: 'discovery'; doc: 'root' | 'api' | 'apiv1' | 'apis' | 'version' | 'healthz' | 'openapiv3' }
  | { kind: 'openapi'; path: string }
  | { kind: 'openapiv2' }
  | { kind: 'resource'; strategy: ResourceStrategy; namespace?: string; name?: string; subresource?: string; allNamespaces: boolean }
  | { kind: 'bindings'; namespace: string }
  | { kind: 'groupDiscovery'; group: string; version?: string }
  | { kind: 'notFound' };

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Resolves a path against `table` (the apiserver's built-in + custom resources; default: built-ins only). */
export function route(path: string, table: StrategyTable = builtinTable): Route {
  const clean = path.split('?')[0].replace(/\/+$/, '') || '/';
  if (clean === '/') return { kind: 'discovery', doc: 'root' };
  if (clean === '/version') return { kind: 'discovery', doc: 'version' };
  if (clean === '/healthz' || clean === '/readyz' || clean === '/livez') return { kind: 'discovery', doc: 'healthz' };
  if (clean === '/api') return { kind: 'discovery', doc: 'api' };
  if (clean === '/openapi/v3') return { kind: 'discovery', doc: 'openapiv3' };
  if (clean === '/openapi/v2') return { kind: 'openapiv2' };
  if (clean.startsWith('/openapi/v3/')) return { kind: 'openapi', path: clean.slice('/openapi/v3/'.length) };
  if (clean === '/apis') return { kind: 'discovery', doc: 'apis' };
  let parts: string[];
  try {
    parts = clean.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return { kind: 'notFound' };
  }
  let group: string;
  let version: string;
  if (parts[0] === 'api' && parts.length >= 2) {
    group = '';
    version = parts[1];
    parts = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length === 2) {
    return { kind: 'groupDiscovery', group: parts[1] };
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1];
    version = parts[2];
    parts = parts.slice(3);
  } else return { kind: 'notFound' };
  if (parts.length === 0) {
    if (group === '') return version === 'v1' ? { kind: 'discovery', doc: 'apiv1' } : { kind: 'notFound' };
    return { kind: 'groupDiscovery', group, version };
  }

  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [resource, name, subresource, ...rest] = parts;
  if (rest.length && subresource !== 'proxy') return { kind: 'notFound' }; // proxy: the rest is the upstream path
  if (namespace !== undefined && resource === 'bindings' && group === '' && version === 'v1' && name === undefined) return { kind: 'bindings', namespace };
  const strategy = table.lookup(group, version, resource);
  if (!strategy) return { kind: 'notFound' };
  if (strategy.ref.namespaced) {
    if (namespace === undefined && name !== undefined) return { kind: 'notFound' };
  } else if (namespace !== undefined) return { kind: 'notFound' };
  if (subresource !== undefined && !(subresource in strategy.subresources)) return { kind: 'notFound' };
  return { kind: 'resource', strategy, namespace, name, subresource, allNamespaces: strategy.ref.namespaced && namespace === undefined };
}
