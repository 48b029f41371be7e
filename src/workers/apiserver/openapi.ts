import { strategies } from './registry/registry';
import { resourcePath } from '../../api/resources';

/**
 * A minimal OpenAPI v3 discovery for core/v1: enough for real kubectl to see that every resource
 * supports server-side field validation (a PATCH operation tagged with x-kubernetes-group-version-kind
 * and a `fieldValidation` query parameter). No schemas yet, so `kubectl explain` has nothing to show.
 */
const HASH = '0'.repeat(128);

export function openApiV3Root(): unknown {
  return { paths: { 'api/v1': { serverRelativeURL: `/openapi/v3/api/v1?hash=${HASH}` } } };
}

export function openApiV3CoreV1(): unknown {
  const paths: Record<string, unknown> = {};
  const fieldValidation = { name: 'fieldValidation', in: 'query', description: 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.', schema: { type: 'string', uniqueItems: true } };
  for (const s of strategies) {
    const gvk = { group: s.ref.group, version: s.ref.version, kind: s.ref.kind };
    const path = s.ref.namespaced ? resourcePath(s.ref, '{namespace}', '{name}') : resourcePath(s.ref, undefined, '{name}');
    const op = (action: string) => ({ 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, parameters: [fieldValidation], responses: {} });
    paths[path] = { get: { ...op('get'), parameters: [] }, put: op('put'), patch: op('patch'), delete: { ...op('delete'), parameters: [] } };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}
