import type { ApiRequest, UserInfo } from '../../../api/protocol';

/** authorizer.Attributes: what RBAC decides on. Resource requests have apiGroup/resource; others a path. */
export interface Attributes {
  user: UserInfo;
  verb: string;
  isResourceRequest: boolean;
  /** Non-resource requests: the URL path. */
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/**
 * kube's RequestInfoFactory: /api/<v>/… and /apis/<g>/<v>/… with at least a resource are resource requests
 * (GET without a name is list, or watch with watch=true; DELETE without a name is deletecollection; a list
 * or watch with fieldSelector metadata.name=x carries name x); everything else is a non-resource request
 * whose verb is the lower-cased HTTP method.
 */
export function requestAttributes(req: ApiRequest, user: UserInfo): Attributes {
  const path = req.path.split('?')[0];
  const base: Attributes = { user, verb: req.method.toLowerCase(), isResourceRequest: false, path, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
  let parts = path.split('/').filter(Boolean);
  if (parts.length < 3 || (parts[0] !== 'api' && parts[0] !== 'apis')) return base;
  try {
    parts = parts.map(decodeURIComponent);
  } catch {
    return base;
  }
  let apiGroup = '';
  if (parts[0] === 'apis') {
    if (parts.length < 4) return base;
    apiGroup = parts[1];
    parts = parts.slice(1);
  }
  const apiVersion = parts[1];
  parts = parts.slice(2);
  let namespace = '';
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
  }
  const q = req.query ?? {};
  let verb = METHOD_VERBS[req.method] ?? '';
  const [resource = '', nameInPath = '', subresource = ''] = parts;
  let name = nameInPath;
  if (!name && verb === 'get') {
    verb = q.watch === 'true' || q.watch === '1' ? 'watch' : 'list';
    const m = /(?:^|,)metadata\.name==?([^,]+)(?:,|$)/.exec(q.fieldSelector ?? '');
    if (m && !m[1].includes('/') && m[1] !== '.' && m[1] !== '..' && !m[1].includes('%')) name = m[1];
  }
  if (!name && verb === 'delete') verb = 'deletecollection';
  return { ...base, verb, isResourceRequest: true, namespace, apiGroup, apiVersion, resource, subresource, name };
}
