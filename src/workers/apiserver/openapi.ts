import { strategies } from './registry/registry';
import { resourcePath } from '../../api/resources';

/**
 * OpenAPI v3 as kube-apiserver serves it: /openapi/v3 lists one document per group-version, and each
 * document carries the operations (tagged with x-kubernetes-group-version-kind, and the
 * fieldValidation parameter kubectl looks for) and, in components.schemas, every schema its kinds need.
 * The schemas come from public/openapi/definitions.json, generated at build time from kubernetes-types
 * by scripts/build-openapi.mjs; without them the documents have operations only (kubectl apply works,
 * kubectl explain has nothing to show).
 */
export interface OpenApiDefinitions {
  definitions: Record<string, unknown>;
  kinds: Array<{ group: string; version: string; kind: string; definition: string }>;
}

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

/** Every definition reachable from roots, with swagger-2 references rewritten to components/schemas. */
function schemaClosure(defs: OpenApiDefinitions['definitions'], roots: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const pending = [...roots];
  while (pending.length) {
    const name = pending.pop()!;
    if (name in out || !(name in defs)) continue;
    const text = JSON.stringify(defs[name]).replace(/"\$ref":"#\/definitions\/([^"]+)"/g, (_m, ref: string) => {
      pending.push(ref);
      return `"$ref":"#/components/schemas/${ref}"`;
    });
    out[name] = JSON.parse(text);
  }
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

const docCache = new WeakMap<object, Map<string, unknown>>();

/** The document for /openapi/v3/<api/v1 | apis/g/v>, or undefined when that group-version is not served. */
export function openApiV3Doc(path: string, defs?: OpenApiDefinitions): unknown {
  const cache = defs ? (docCache.get(defs) ?? docCache.set(defs, new Map()).get(defs)!) : undefined;
  if (cache?.has(path)) return cache.get(path);
  const gv = groupVersions().find((g) => g.path === path);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  const fieldValidation = { name: 'fieldValidation', in: 'query', description: 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.', schema: { type: 'string', uniqueItems: true } };
  const served = strategies.filter((x) => x.ref.group === gv.group && x.ref.version === gv.version);
  for (const s of served) {
    const gvk = { group: s.ref.group, version: s.ref.version, kind: s.ref.kind };
    const p = decodeURIComponent(s.ref.namespaced ? resourcePath(s.ref, '{namespace}', '{name}') : resourcePath(s.ref, undefined, '{name}'));
    const op = (action: string, params: unknown[]) => ({ 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, parameters: params, responses: {} });
    paths[p] = { get: op('get', []), put: op('put', [fieldValidation]), patch: op('patch', [fieldValidation]), delete: op('delete', []) };
  }
  const roots = defs
    ? defs.kinds.filter((k) => k.group === gv.group && k.version === gv.version && served.some((s) => s.ref.kind === k.kind)).map((k) => k.definition)
    : [];
  const schemas = defs ? schemaClosure(defs.definitions, roots) : {};
  const doc = { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas } };
  cache?.set(path, doc);
  return doc;
}
