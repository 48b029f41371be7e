import { nameIsDNSSubdomain } from '../../../api/label-validation';
import { timestampSince } from '../../../api/duration';
import { JsonPath } from '../../../kubectl/printers/jsonpath/jsonpath';
import { ApiServerError } from '../errors';
import { failureStatus } from '../../../api/status';
import { validateObjectMeta, validateObjectMetaUpdate } from '../registry/object-meta';
import { STATUS_VERBS } from '../registry/define-strategy';
import { ageColumn, ALL_VERBS, nameColumn, type KubeObject, type ResourceStrategy, type SubresourceInfo, type TableColumn } from '../registry/strategy';
import { compareKubeVersions, type Crd, type CrdColumn, type CrdVersion } from './crd-types';
import { invalid, type FieldError } from '../field-errors';
import { buildCelValidator, validateCel, type CelValidator } from './cel-validator';
import { applyDefaults, pruneUnknown, validateValue, type JsonSchema } from './json-schema';

/** What the server keeps about the CRD behind a custom resource strategy (openapi, cleanup, scale). */
export interface CustomResourceInfo {
  crd: Crd;
  version: CrdVersion;
  schema: JsonSchema | undefined;
  /** Set while the CRD is being deleted: creates are refused (405). */
  terminating: boolean;
}

const infos = new WeakMap<ResourceStrategy, CustomResourceInfo>();

/** The CRD behind a strategy, or undefined for built-in resources. */
export function customResourceInfo(s: ResourceStrategy): CustomResourceInfo | undefined {
  return infos.get(s);
}

/** The object without metadata: what the schema validates (metadata is ObjectMeta-validated). */
function body(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, ...rest } = obj;
  return rest;
}

type Cell = (obj: KubeObject, nowMs: number) => unknown;

/** tableconvertor's cell for one additionalPrinterColumn (cellForJSONValue; strings as JSONPath prints them). */
function columnCell(c: CrdColumn): Cell {
  let jp: JsonPath | undefined;
  try {
    jp = new JsonPath(`{${c.jsonPath ?? ''}}`, true);
  } catch {
    jp = undefined;
  }
  return (obj, nowMs) => {
    if (!jp) return null;
    let value: unknown;
    try {
      const results = jp.results(obj);
      if (!results.length || !results[0].length) return null;
      value = results[0][0];
      if (c.type === 'string') return jp.execute(obj);
    } catch {
      return null;
    }
    if (value === null || value === undefined) return null;
    switch (c.type) {
      case 'integer':
        return typeof value === 'number' ? Math.trunc(value) : null;
      case 'number':
        return typeof value === 'number' ? value : null;
      case 'boolean':
        return typeof value === 'boolean' ? value : null;
      case 'date':
        return typeof value === 'string' ? (Number.isNaN(Date.parse(value)) ? '<invalid>' : timestampSince(value, nowMs)) : null;
      default:
        return null;
    }
  };
}

/** Selectable field name for a jsonPath (".spec.color" → "spec.color"); values are the field's text. */
function selectable(version: CrdVersion): Array<{ name: string; path: JsonPath }> {
  return (version.selectableFields ?? []).flatMap((f) => {
    try {
      return [{ name: (f.jsonPath ?? '').replace(/^\./, ''), path: new JsonPath(`{${f.jsonPath}}`, true) }];
    } catch {
      return [];
    }
  });
}

/**
 * The strategy serving one version of an established CRD (customResourceStrategy + its status
 * strategy + the CRD table convertor). Contracts: writes are pruned to the schema, then defaulted,
 * then validated (ObjectMeta, then the schema, with kube-openapi's messages); with a status
 * subresource, main-resource writes keep the old status and /status writes change only status;
 * generation is maintained; the Table has Name + additionalPrinterColumns (default: Age).
 */
export function customResourceStrategy(crd: Crd, version: CrdVersion, terminating: boolean): ResourceStrategy {
  const spec = crd.spec!;
  const names = spec.names!;
  const namespaced = spec.scope === 'Namespaced';
  const schema = version.schema?.openAPIV3Schema;
  const hasStatus = version.subresources?.status !== undefined;
  const subresources: Record<string, SubresourceInfo> = {};
  if (version.subresources?.scale) subresources.scale = { kind: 'Scale', verbs: STATUS_VERBS };
  if (hasStatus) subresources.status = { kind: names.kind!, verbs: STATUS_VERBS };
  const cols: CrdColumn[] = version.additionalPrinterColumns?.length ? version.additionalPrinterColumns : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: ageColumn.description }];
  const columns: TableColumn[] = [nameColumn, ...cols.map((c) => ({ name: c.name ?? '', type: c.type ?? 'string', format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0 }))];
  const cells = cols.map(columnCell);
  const fields = selectable(version);
  const cel = buildCelValidator(schema);
  const validateSchema = (obj: KubeObject, old?: KubeObject) => withCel(cel, validateValue(schema, body(obj)), obj, old);
  const s: ResourceStrategy = {
    ref: { group: spec.group!, version: version.name!, resource: names.plural!, kind: names.kind!, namespaced },
    singularName: names.singular ?? names.kind!.toLowerCase(),
    shortNames: names.shortNames?.length ? names.shortNames : undefined,
    categories: names.categories?.length ? names.categories : undefined,
    verbs: ALL_VERBS,
    subresources,
    hasGeneration: true,
    nameValidator: nameIsDNSSubdomain,
    returnDeletedObject: false,
    defaults: (obj) => applyDefaults(schema, obj),
    unknownFields: (obj, prune) => pruneUnknown(schema, obj, prune),
    prepareForCreate(obj) {
      if (hasStatus) delete obj.status;
    },
    validate: (obj) => [...validateObjectMeta(obj.metadata, namespaced, nameIsDNSSubdomain), ...validateSchema(obj)],
    prepareForUpdate(obj, old) {
      if (!hasStatus) return;
      if (old.status === undefined) delete obj.status;
      else obj.status = structuredClone(old.status);
    },
    validateUpdate: (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata, namespaced, nameIsDNSSubdomain), ...validateSchema(obj, old)],
    selectableFields: (obj) => Object.fromEntries(fields.map((f) => [f.name, obj.metadata?.name === undefined ? '' : safeText(f.path, obj)])),
    table: { columns, row: (obj, nowMs) => [obj.metadata?.name ?? '', ...cells.map((c) => c(obj, nowMs))] },
    // every version shares one collection; reads are defaulted too, as kube's decoder does
    storage: {
      base: `/registry/${spec.group}/${names.plural}/`,
      decode: (obj) => {
        applyDefaults(schema, obj);
        return obj;
      },
      encode: (obj) => obj,
    },
    async admit(_ctx, _obj, old) {
      if (!old && infos.get(s)?.terminating) {
        const st = failureStatus('MethodNotAllowed', 'create not allowed while custom resource definition is terminating');
        throw new ApiServerError(405, st);
      }
      return () => {};
    },
  };
  if (hasStatus) {
    s.prepareForStatusUpdate = (obj, old) => {
      const status = obj.status;
      const managedFields = obj.metadata?.managedFields;
      for (const k of Object.keys(obj)) delete obj[k];
      Object.assign(obj, structuredClone(old));
      if (managedFields !== undefined) obj.metadata!.managedFields = managedFields;
      if (status === undefined) delete obj.status;
      else obj.status = status;
    };
    s.validateStatusUpdate = (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata, namespaced, nameIsDNSSubdomain), ...validateSchema(obj, old)];
  }
  infos.set(s, { crd, version, schema, terminating });
  return s;
}

/**
 * Schema errors, then the x-kubernetes-validations rules (old: the stored object on update) unless a
 * schema error is a type or enum error, which kube reports as blocking instead of running the rules.
 */
function withCel(cel: CelValidator | undefined, errs: FieldError[], obj: KubeObject, old: KubeObject | undefined): FieldError[] {
  if (!cel) return errs;
  if (errs.some((e) => e.type === 'NotSupported' || (e.type === 'Invalid' && / must be of type /.test(e.detail ?? '')))) {
    return [...errs, invalid('<nil>', 'null', 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation')];
  }
  const ratchet = old !== undefined && JSON.stringify(body(obj)) === JSON.stringify(body(old));
  return validateCel(cel, undefined, obj, old, errs, ratchet);
}

function safeText(p: JsonPath, obj: KubeObject): string {
  try {
    return p.execute(obj);
  } catch {
    return '';
  }
}

/**
 * The Warning a deprecated custom resource version adds to every response: the CRD's
 * deprecationWarning, else `<group>/<version> <Kind> is deprecated; use <group>/<newer> <Kind>`
 * (the highest-priority served, non-deprecated version above it; no "; use" part when none).
 */
export function deprecationWarning(s: ResourceStrategy): string | undefined {
  const info = infos.get(s);
  if (!info?.version.deprecated) return undefined;
  if (info.version.deprecationWarning !== undefined) return info.version.deprecationWarning;
  const { group, kind, version } = s.ref;
  const newer = (info.crd.spec?.versions ?? [])
    .filter((v) => v.served && !v.deprecated && v.name && compareKubeVersions(v.name, version) < 0)
    .map((v) => v.name!)
    .sort(compareKubeVersions);
  return `${group}/${version} ${kind} is deprecated${newer.length ? `; use ${group}/${newer[0]} ${kind}` : ''}`;
}
