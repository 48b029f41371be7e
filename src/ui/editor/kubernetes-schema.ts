/**
 * The editor's JSON schema for any Kubernetes manifest, built from public/openapi/definitions.json
 * (generated from kubernetes-types by scripts/build-openapi.mjs). Each document is checked against
 * the definition its apiVersion and kind name; unknown kinds are left to the server and kubectl.
 */
interface Definitions {
  definitions: Record<string, unknown>;
  kinds: Array<{ group: string; version: string; kind: string; definition: string }>;
}

export async function loadKubernetesSchema(baseUrl: string): Promise<object | undefined> {
  const res = await fetch(`${baseUrl}openapi/definitions.json`);
  if (!res.ok) return undefined;
  const doc = (await res.json()) as Definitions;
  const gv = (k: { group: string; version: string }) => (k.group ? `${k.group}/${k.version}` : k.version);
  return {
    type: 'object',
    definitions: doc.definitions,
    properties: {
      apiVersion: { type: 'string', description: 'The API group and version of this object, e.g. v1 or apps/v1.', enum: [...new Set(doc.kinds.map(gv))] },
      kind: { type: 'string', description: 'The kind of this object, e.g. Pod or Deployment.', enum: [...new Set(doc.kinds.map((k) => k.kind)), 'List'] },
    },
    allOf: doc.kinds.map((k) => ({
      if: { properties: { apiVersion: { const: gv(k) }, kind: { const: k.kind } }, required: ['apiVersion', 'kind'] },
      then: { $ref: `#/definitions/${k.definition}` },
    })),
  };
}
