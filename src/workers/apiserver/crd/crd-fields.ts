/**
 * Field names of apiextensions.k8s.io/v1 CustomResourceDefinition for fieldValidation (Strict/Warn):
 * the CRD, its spec, names, versions, subresources, printer columns and every JSONSchemaProps node.
 * Values of default, enum, example and x-kubernetes-validations are free-form and not checked;
 * metadata is left to the built-in handling.
 */
const set = (s: string) => new Set(s.split(' '));
const TOP = set('apiVersion kind metadata spec status');
const SPEC = set('group names scope versions conversion preserveUnknownFields');
const NAMES = set('plural singular shortNames kind listKind categories');
const VERSION = set('name served storage deprecated deprecationWarning schema subresources additionalPrinterColumns selectableFields');
const COLUMN = set('name type format description priority jsonPath');
const SUBRESOURCES = set('status scale');
const SCALE = set('specReplicasPath statusReplicasPath labelSelectorPath');
const CONVERSION = set('strategy webhook');
const SCHEMA = set(
  'id $schema $ref description type format title default maximum exclusiveMaximum minimum exclusiveMinimum maxLength minLength pattern maxItems minItems uniqueItems multipleOf enum maxProperties minProperties required items allOf oneOf anyOf not properties additionalProperties patternProperties dependencies additionalItems definitions externalDocs example nullable x-kubernetes-preserve-unknown-fields x-kubernetes-embedded-resource x-kubernetes-int-or-string x-kubernetes-list-map-keys x-kubernetes-list-type x-kubernetes-map-type x-kubernetes-validations',
);

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Unknown field paths of a CRD in document order (`spec.versions[0].schema.openAPIV3Schema.properties.spec.typ`); removed when prune. */
export function crdUnknownFields(obj: Obj, prune: boolean): string[] {
  const out: string[] = [];
  const check = (o: unknown, allowed: Set<string>, path: string) => {
    if (!isObj(o)) return;
    for (const k of Object.keys(o)) {
      if (allowed.has(k)) continue;
      out.push(path ? `${path}.${k}` : k);
      if (prune) delete o[k];
    }
  };
  const schema = (s: unknown, path: string) => {
    if (!isObj(s)) return;
    check(s, SCHEMA, path);
    for (const k of ['properties', 'patternProperties', 'definitions']) {
      if (isObj(s[k])) for (const [name, sub] of Object.entries(s[k] as Obj)) schema(sub, `${path}.${k}.${name}`);
    }
    for (const k of ['items', 'not', 'additionalProperties', 'additionalItems']) schema(s[k], `${path}.${k}`);
    for (const k of ['allOf', 'oneOf', 'anyOf']) if (Array.isArray(s[k])) (s[k] as unknown[]).forEach((sub, i) => schema(sub, `${path}.${k}[${i}]`));
  };
  check(obj, TOP, '');
  const spec = obj.spec;
  check(spec, SPEC, 'spec');
  if (!isObj(spec)) return out;
  check(spec.names, NAMES, 'spec.names');
  check(spec.conversion, CONVERSION, 'spec.conversion');
  if (Array.isArray(spec.versions)) {
    spec.versions.forEach((v, i) => {
      const p = `spec.versions[${i}]`;
      check(v, VERSION, p);
      if (!isObj(v)) return;
      check(v.schema, set('openAPIV3Schema'), `${p}.schema`);
      if (isObj(v.schema)) schema(v.schema.openAPIV3Schema, `${p}.schema.openAPIV3Schema`);
      check(v.subresources, SUBRESOURCES, `${p}.subresources`);
      if (isObj(v.subresources)) check(v.subresources.scale, SCALE, `${p}.subresources.scale`);
      if (Array.isArray(v.additionalPrinterColumns)) v.additionalPrinterColumns.forEach((c, j) => check(c, COLUMN, `${p}.additionalPrinterColumns[${j}]`));
      if (Array.isArray(v.selectableFields)) v.selectableFields.forEach((f, j) => check(f, set('jsonPath'), `${p}.selectableFields[${j}]`));
    });
  }
  return out;
}
