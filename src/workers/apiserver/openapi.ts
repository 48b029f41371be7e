import { strategies } from './registry/registry';
import { resourcePath } from '../../api/resources';
import type { ResourceStrategy } from './registry/strategy';
import { customResourceSchemas, customResourcesHash } from './crd/crd-openapi';

type Served = readonly ResourceStrategy[];

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

function groupVersions(all: Served): Array<{ group: string; version: string; path: string }> {
  const out: Array<{ group: string; version: string; path: string }> = [];
  for (const s of all) {
    const path = s.ref.group ? `apis/${s.ref.group}/${s.ref.version}` : `api/${s.ref.version}`;
    if (!out.some((g) => g.path === path)) out.push({ group: s.ref.group, version: s.ref.version, path });
  }
  return out;
}

/** /openapi/v3: one entry per served group-version; custom resource documents hash their CRDs' content. */
export function openApiV3Root(all: Served = strategies): unknown {
  const paths: Record<string, unknown> = {};
  for (const gv of groupVersions(all)) {
    const custom = customResourcesHash(all.filter((s) => s.ref.group === gv.group && s.ref.version === gv.version));
    paths[gv.path] = { serverRelativeURL: `/openapi/v3/${gv.path}?hash=${custom ?? HASH}` };
  }
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

const FIELD_VALIDATION_DOC = 'fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.';

/** The item paths of `served` with get/put/patch/delete, tagged with their GVK; put and patch take fieldValidation (v3 or v2 parameter shape). */
function operations(served: Served, paramType: Record<string, unknown>): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const fieldValidation = { name: 'fieldValidation', in: 'query', description: FIELD_VALIDATION_DOC, ...paramType };
  for (const s of served) {
    const gvk = { group: s.ref.group, version: s.ref.version, kind: s.ref.kind };
    const p = decodeURIComponent(s.ref.namespaced ? resourcePath(s.ref, '{namespace}', '{name}') : resourcePath(s.ref, undefined, '{name}'));
    const op = (action: string, params: unknown[]) => ({ 'x-kubernetes-action': action, 'x-kubernetes-group-version-kind': gvk, parameters: params, responses: {} });
    paths[p] = { get: op('get', []), put: op('put', [fieldValidation]), patch: op('patch', [fieldValidation]), delete: op('delete', []) };
  }
  return paths;
}

/** True when the client takes JSON for /openapi/v2 (protobuf-only clients such as kubectl get 404 and fall back). */
export function openApiV2AcceptsJson(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((p) => ['application/json', '*/*', 'application/*'].includes(p.split(';')[0].trim()));
}

/**
 * /openapi/v2 as JSON (swagger 2.0): the operations of every served resource and every definition,
 * custom kinds included (built from the same CRD schemas as v3). Protobuf is not offered.
 */
export function openApiV2Doc(defs: OpenApiDefinitions | undefined, all: Served = strategies): unknown {
  const definitions: Record<string, unknown> = { ...(defs?.definitions ?? {}) };
  const custom = customResourceSchemas(all, '#/definitions/');
  if (custom) Object.assign(definitions, custom.schemas);
  return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths: operations(all, { type: 'string', uniqueItems: true }), definitions };
}

/** The document for /openapi/v3/<api/v1 | apis/g/v>, or undefined when that group-version is not served. */
export function openApiV3Doc(path: string, defs?: OpenApiDefinitions, all: Served = strategies): unknown {
  const gv = groupVersions(all).find((g) => g.path === path);
  if (!gv) return undefined;
  const custom = customResourceSchemas(all.filter((x) => x.ref.group === gv.group && x.ref.version === gv.version));
  // documents of custom resources change with their CRDs: never cached
  const cache = defs && !custom ? (docCache.get(defs) ?? docCache.set(defs, new Map()).get(defs)!) : undefined;
  if (cache?.has(path)) return cache.get(path);
  const served = all.filter((x) => x.ref.group === gv.group && x.ref.version === gv.version);
  const paths = operations(served, { schema: { type: 'string', uniqueItems: true } });
  const roots = defs
    ? defs.kinds.filter((k) => k.group === gv.group && k.version === gv.version && served.some((s) => s.ref.kind === k.kind)).map((k) => k.definition)
    : [];
  const schemas = defs ? schemaClosure(defs.definitions, custom ? [...roots, ...custom.roots] : roots) : {};
  if (custom) Object.assign(schemas, custom.schemas);
  const doc = { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas } };
  cache?.set(path, doc);
  return doc;
}
