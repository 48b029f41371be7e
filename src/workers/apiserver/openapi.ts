import { strategies } from './registry/registry';
import { resourcePath } from '../../api/resources';

/**
 * A minimal OpenAPI v3 discovery: enough for real kubectl to see that every resource supports
 * server-side field validation (a PATCH operation tagged with x-kubernetes-group-version-kind and a
 * `fieldValidation` query parameter). No schemas yet, so `kubectl explain` has nothing to show.
 */
const HASH = '0'.repeat(128);

function groupVersions(): Array<{ group: string; version: string; path: string }> {
  const out: Array<{ group: string; version: string; path: string }> = [];
  for (const s of strategies) {
    const path = s.ref.group ? `apis/${s.ref.group}/${s.ref.version}` : `api/${s.ref.version}`;
    if (!out.some((g) => g.path === path)) out.push({ group: s.ref.group, version: s.ref.version, path });
  }
  return out;
}

export function openApiV3Root(): unknown {
  const paths: Record<string, unknown> = {};
  for (const gv of groupVersions()) paths[gv.path] = { serverRelativeURL: `/openapi/v3/${gv.path}?hash=${HASH}` };
  return { paths };
}

/** The document for /openapi/v3/<api/v1 | apis/g/v>, or undefined when not served. */
export function openApiV3Doc(path: string): unknown {
  const gv = groupVersions().find((g) => g.path === path);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  const fieldValidation = { name: 'fieldValidation', in: 'query', description: 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.', schema: { type: 'string', uniqueItems: true } };
  for (const s of strategies.filter((x) => x.ref.group === gv.group && x.ref.version === gv.version)) {
    const gvk = { group: s.ref.group, version: s.ref.version, kind: s.ref.kind };
    const path = decodeURIComponent(s.ref.namespaced ? resourcePath(s.ref, '{namespace}', '{name}') : resourcePath(s.ref, undefined, '{name}'));
    const op = (action: string, params: unknown[]) => ({ 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, parameters: params, responses: {} });
    paths[path] = { get: op('get', []), put: op('put', [fieldValidation]), patch: op('patch', [fieldValidation]), delete: op('delete', []) };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}
