import type { ResourceStrategy } from '../registry/strategy';
import { customResourceInfo } from './custom-resource-strategy';
import type { JsonSchema } from './json-schema';

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';
const METADATA_DOC = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** The OpenAPI definition name kube gives a custom kind: reversed group, version, kind (com.example.stable.v1.CronTab). */
export function definitionName(group: string, version: string, kind: string): string {
  return `${group.split('.').reverse().join('.')}.${version}.${kind}`;
}

/**
 * The published schema of one custom kind (the CRD OpenAPI builder's shape): the CRD's
 * openAPIV3Schema with apiVersion, kind and metadata (a reference to ObjectMeta) added, tagged with
 * x-kubernetes-group-version-kind.
 */
function kindSchema(s: ResourceStrategy, schema: JsonSchema | undefined, refBase: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(schema ?? { type: 'object' }) };
  delete out['x-kubernetes-preserve-unknown-fields'];
  out.type = 'object';
  out.properties = {
    apiVersion: { description: API_VERSION_DOC, type: 'string' },
    kind: { description: KIND_DOC, type: 'string' },
    metadata: { allOf: [{ $ref: `${refBase}${OBJECT_META}` }], description: METADATA_DOC },
    ...Object.fromEntries(Object.entries(schema?.properties ?? {}).filter(([k]) => k !== 'apiVersion' && k !== 'kind' && k !== 'metadata')),
  };
  out['x-kubernetes-group-version-kind'] = [{ group: s.ref.group, kind: s.ref.kind, version: s.ref.version }];
  return out;
}

/**
 * Schemas for the custom resources among `served` (undefined when there are none) and the built-in
 * roots they reference; refBase is `#/components/schemas/` (v3) or `#/definitions/` (v2).
 */
export function customResourceSchemas(served: readonly ResourceStrategy[], refBase = '#/components/schemas/'): { roots: string[]; schemas: Record<string, unknown> } | undefined {
  const schemas: Record<string, unknown> = {};
  for (const s of served) {
    const info = customResourceInfo(s);
    if (!info) continue;
    schemas[definitionName(s.ref.group, s.ref.version, s.ref.kind)] = kindSchema(s, info.schema, refBase);
  }
  return Object.keys(schemas).length ? { roots: [OBJECT_META], schemas } : undefined;
}

/** A 128-hex-digit content hash of the custom resources' schemas (undefined for built-in group-versions), so clients' caches refresh when a CRD changes. */
export function customResourcesHash(served: readonly ResourceStrategy[]): string | undefined {
  const text = JSON.stringify(customResourceSchemas(served)?.schemas);
  if (text === undefined) return undefined;
  let out = '';
  for (let seed = 0; out.length < 128; seed++) {
    let h = 0x811c9dc5 ^ seed;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 128);
}
