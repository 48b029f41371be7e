import { isDNS1123Subdomain, maxLenError, nameIsDNSSubdomain, regexError, type NameValidator } from '../../../api/label-validation';
import { forbidden, GoValue, invalid, notSupported, required, type FieldError } from '../field-errors';
import type { Crd, CrdNames, CrdVersion } from './crd-types';
import { validateSchemaRules } from './cel-rules';
import type { JsonSchema } from './json-schema';

/**
 * ValidateCustomResourceDefinition (apiextensions-apiserver 1.32) for the common cases: group, scope,
 * versions (DNS-1035 names, unique, exactly one storage version, a schema each), names (spec and
 * status.acceptedNames), structural schema rules (type everywhere, object at the root, items for
 * arrays, properties vs additionalProperties, x-kubernetes-preserve-unknown-fields true only),
 * printer columns and selectable fields. Messages and paths are kube's.
 */
const dns1035Fmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const dns1035Re = new RegExp(`^${dns1035Fmt}$`);

export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!dns1035Re.test(v)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        dns1035Fmt,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errs;
}

/** metadata.name must be DNS-1123 subdomain and equal spec.names.plural + "." + spec.group. */
export function crdNameValidator(crd: Crd): NameValidator {
  return (name, prefix) => {
    const errs = nameIsDNSSubdomain(name, prefix);
    if (name !== `${crd.spec?.names?.plural ?? ''}.${crd.spec?.group ?? ''}`) errs.push('must be spec.names.plural+"."+spec.group');
    return errs;
  };
}

export function validateNames(n: CrdNames | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = n ?? {};
  const label = (v: string | undefined, field: string, mixed = false) => {
    if (!v) return;
    const msgs = isDNS1035Label(mixed ? v.toLowerCase() : v);
    if (msgs.length) errs.push(invalid(`${path}.${field}`, v, (mixed ? 'may have mixed case, but should otherwise match: ' : '') + msgs.join(',')));
  };
  label(names.plural, 'plural');
  label(names.singular, 'singular');
  label(names.kind, 'kind', true);
  label(names.listKind, 'listKind', true);
  (names.shortNames ?? []).forEach((s, i) => {
    const msgs = isDNS1035Label(s);
    if (msgs.length) errs.push(invalid(`${path}.shortNames[${i}]`, s, msgs.join(',')));
  });
  if (names.kind && names.kind === names.listKind) errs.push(invalid(`${path}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  (names.categories ?? []).forEach((c, i) => {
    const msgs = isDNS1035Label(c);
    if (msgs.length) errs.push(invalid(`${path}.categories[${i}]`, c, msgs.join(',')));
  });
  return errs;
}

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

/** Structural-schema and OpenAPI checks of one node and its children. */
function validateSchema(s: JsonSchema, path: string, root: boolean, errs: FieldError[]): void {
  const intOrString = s['x-kubernetes-int-or-string'] === true;
  const preserve = s['x-kubernetes-preserve-unknown-fields'];
  if (s.type !== undefined && !TYPES.includes(s.type)) errs.push(notSupported(`${path}.type`, s.type, TYPES));
  if (root) {
    if (!s.type) errs.push(required(`${path}.type`, 'must not be empty at the root'));
    else if (s.type !== 'object') errs.push(invalid(`${path}.type`, s.type, 'must be object at the root'));
  } else if (!s.type && !intOrString && preserve !== true) {
    errs.push(required(`${path}.type`, 'must not be empty for specified object fields'));
  }
  if (preserve === false) errs.push(invalid(`${path}.x-kubernetes-preserve-unknown-fields`, false, 'must be true or undefined'));
  if (s.type === 'array' && !s.items) errs.push(required(`${path}.items`, 'must be specified'));
  if (s.uniqueItems === true) errs.push(forbidden(`${path}.uniqueItems`, 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic'));
  if (s.additionalProperties !== undefined && Object.keys(s.properties ?? {}).length) {
    if (s.additionalProperties === false || typeof s.additionalProperties === 'object') errs.push(forbidden(`${path}.additionalProperties`, 'additionalProperties and properties are mutual exclusive'));
  }
  if (s.pattern !== undefined) {
    try {
      new RegExp(s.pattern, 'u');
    } catch {
      errs.push(invalid(`${path}.pattern`, s.pattern, 'must be a valid regular expression, but isn\'t'));
    }
  }
  if (typeof s.additionalProperties === 'object') validateSchema(s.additionalProperties, `${path}.additionalProperties`, false, errs);
  for (const [k, sub] of Object.entries(s.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) validateSchema(sub, `${path}.properties[${k}]`, false, errs);
  if (s.items) validateSchema(s.items, `${path}.items`, false, errs);
}

/** %#v-like rendering of spec.versions for whole-list errors (kube prints the Go struct slice). */
function versionsValue(vs: CrdVersion[]): GoValue {
  return new GoValue(`[]apiextensions.CustomResourceDefinitionVersion{${vs.map((v) => `apiextensions.CustomResourceDefinitionVersion{Name:${JSON.stringify(v.name ?? '')}, Served:${!!v.served}, Storage:${!!v.storage}}`).join(', ')}}`);
}

/** JSON names of allowedFieldsAtRootSchema (the root of a schema with the status subresource). */
const ROOT_FIELDS: Record<string, string> = {
  description: 'Description', type: 'Type', format: 'Format', title: 'Title', maximum: 'Maximum', exclusiveMaximum: 'ExclusiveMaximum',
  minimum: 'Minimum', exclusiveMinimum: 'ExclusiveMinimum', maxLength: 'MaxLength', minLength: 'MinLength', pattern: 'Pattern',
  maxItems: 'MaxItems', minItems: 'MinItems', uniqueItems: 'UniqueItems', multipleOf: 'MultipleOf', required: 'Required', items: 'Items',
  properties: 'Properties', externalDocs: 'ExternalDocs', example: 'Example', 'x-kubernetes-preserve-unknown-fields': 'XPreserveUnknownFields',
  'x-kubernetes-validations': 'XValidations',
};

/**
 * Where kube reports schema errors: v1 CRDs whose versions all carry the same schema are converted with
 * it hoisted to spec.validation, so their errors read `spec.validation.openAPIV3Schema...` (once).
 */
function schemaPaths(versions: CrdVersion[]): string[] {
  const first = JSON.stringify(versions[0]?.schema?.openAPIV3Schema);
  const hoisted = versions.length > 0 && first !== undefined && versions.every((v) => JSON.stringify(v.schema?.openAPIV3Schema) === first);
  return versions.map((_, i) => (hoisted ? 'spec.validation.openAPIV3Schema' : `spec.versions[${i}].schema.openAPIV3Schema`));
}

function validateVersion(v: CrdVersion, path: string, schemaPath: string, checkSchema: boolean, errs: FieldError[]): void {
  const msgs = isDNS1035Label(v.name ?? '');
  if (msgs.length) errs.push(invalid(`${path}.name`, v.name ?? '', msgs.join(',')));
  const schema = v.schema?.openAPIV3Schema;
  if (!schema) errs.push(required(`${path}.schema.openAPIV3Schema`, 'schemas are required'));
  else if (checkSchema) {
    validateSchema(schema, schemaPath, true, errs);
    validateSchemaRules(schema, schemaPath, errs);
  }
  const status = v.subresources?.status !== undefined;
  if (schema && checkSchema && status && Object.keys(schema).some((k) => !(k in ROOT_FIELDS))) {
    errs.push(invalid(schemaPath, new GoValue('apiextensions.JSONSchemaProps{...}'), `only [${Object.values(ROOT_FIELDS).join(' ')}] fields are allowed at the root of the schema if the status subresource is enabled`));
  }
  const scale = v.subresources?.scale;
  if (scale) {
    const sp = `${path}.subresources.scale`;
    if (!scale.specReplicasPath) errs.push(required(`${sp}.specReplicasPath`, ''));
    else if (!scale.specReplicasPath.startsWith('.spec.')) errs.push(invalid(`${sp}.specReplicasPath`, scale.specReplicasPath, 'should be a json path under .spec'));
    if (!scale.statusReplicasPath) errs.push(required(`${sp}.statusReplicasPath`, ''));
    else if (!scale.statusReplicasPath.startsWith('.status.')) errs.push(invalid(`${sp}.statusReplicasPath`, scale.statusReplicasPath, 'should be a json path under .status'));
  }
  (v.additionalPrinterColumns ?? []).forEach((c, i) => {
    const cp = `${path}.additionalPrinterColumns[${i}]`;
    if (!c.name) errs.push(required(`${cp}.name`, ''));
    if (!c.type) errs.push(required(`${cp}.type`, ''));
    else if (!['integer', 'number', 'string', 'boolean', 'date'].includes(c.type)) errs.push(notSupported(`${cp}.type`, c.type, ['boolean', 'date', 'integer', 'number', 'string']));
    if (!c.jsonPath) errs.push(required(`${cp}.JSONPath`, ''));
    if (c.priority !== undefined && c.priority < 0) errs.push(invalid(`${cp}.priority`, c.priority, 'cannot be negative'));
  });
  (v.selectableFields ?? []).forEach((f, i) => {
    if (!f.jsonPath) errs.push(required(`${path}.selectableFields[${i}].jsonPath`, ''));
  });
}

/** Spec and status validation for create and update (metadata is validated by the strategy). */
export function validateCrdSpec(crd: Crd): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec ?? {};
  if (!spec.group) errs.push(required('spec.group'));
  else {
    const msgs = isDNS1123Subdomain(spec.group);
    if (msgs.length) errs.push(invalid('spec.group', spec.group, msgs.join(',')));
    else if (spec.group.split('.').length < 2) errs.push(invalid('spec.group', spec.group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(required('spec.scope'));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced') errs.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));
  const versions = spec.versions ?? [];
  if (!versions.length) errs.push(invalid('spec.versions', versionsValue(versions), 'must have exactly one version marked as storage version'));
  const paths = schemaPaths(versions);
  versions.forEach((v, i) => validateVersion(v, `spec.versions[${i}]`, paths[i], i === 0 || paths[i] !== paths[0], errs));
  const names = versions.map((v) => v.name);
  if (versions.length && new Set(names).size !== names.length) errs.push(invalid('spec.versions', versionsValue(versions), 'must contain unique version names'));
  if (versions.length && versions.filter((v) => v.storage).length !== 1) errs.push(invalid('spec.versions', versionsValue(versions), 'must have exactly one version marked as storage version'));
  const n = spec.names ?? {};
  if (!n.plural) errs.push(required('spec.names.plural'));
  if (!n.singular) errs.push(required('spec.names.singular'));
  if (!n.kind) errs.push(required('spec.names.kind'));
  if (!n.listKind) errs.push(required('spec.names.listKind'));
  errs.push(...validateNames(n, 'spec.names'));
  const strategy = spec.conversion?.strategy;
  if (strategy !== undefined && strategy !== 'None' && strategy !== 'Webhook') errs.push(notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']));
  if (spec.preserveUnknownFields === true) errs.push(invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead'));
  errs.push(...validateNames(crd.status?.acceptedNames, 'status.acceptedNames'));
  return errs;
}

/** ValidateCustomResourceDefinitionSpecUpdate's immutable fields (scope and kind once established). */
export function validateCrdUpdate(crd: Crd, old: Crd, established: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const immutable = (path: string, a: unknown, b: unknown) => {
    if (a !== b) errs.push(invalid(path, a ?? '', 'field is immutable'));
  };
  if (established) {
    immutable('spec.scope', crd.spec?.scope, old.spec?.scope);
    immutable('spec.names.kind', crd.spec?.names?.kind, old.spec?.names?.kind);
  }
  immutable('spec.group', crd.spec?.group, old.spec?.group);
  immutable('spec.names.plural', crd.spec?.names?.plural, old.spec?.names?.plural);
  return errs;
}
