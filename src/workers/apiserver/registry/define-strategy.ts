import { nameIsDNSSubdomain, type NameValidator } from '../../../api/label-validation';
import type { ResourceRef } from '../../../api/resources';
import { timestampSince } from '../../../api/duration';
import type { FieldError } from '../field-errors';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta';
import { ageColumn, ALL_VERBS, nameColumn, type KubeObject, type ResourceStrategy, type SubresourceInfo, type TableColumn } from './strategy';

/** What a kind declares; defineStrategy turns it into a ResourceStrategy. */
export interface KindSpec {
  ref: ResourceRef;
  singularName: string;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  /** A status subresource: main-resource writes keep status, /status writes keep spec and most metadata. */
  status?: boolean;
  /** A scale subresource (autoscaling/v1 Scale over spec.replicas / status.replicas / status.selector). */
  scale?: boolean;
  /** metadata.generation maintained (spec-bearing kinds). */
  generation?: boolean;
  nameValidator?: NameValidator;
  /** SetDefaults_<Kind>, run on every write. */
  defaults?(obj: KubeObject): void;
  /** Create-only preparation after metadata is filled (uid is set): e.g. generated selectors, initial status. */
  prepareForCreate?(obj: KubeObject): void;
  /** Initial status on create when the kind has a status subresource (default {}). */
  initialStatus?(obj: KubeObject): unknown;
  /** Update-only preparation before validation (after status is kept), e.g. carrying allocated values over. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Spec validation for create and update (metadata is validated by the builder). */
  validate?(obj: KubeObject): FieldError[];
  /** Extra rules on update only (immutable fields). */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  selectableFields?(obj: KubeObject): Record<string, string>;
  /** Columns after Name (Age is not implied: list it where printers.go puts it). Default: Name, Age. */
  columns?: TableColumn[];
  row?(obj: KubeObject, nowMs: number): unknown[];
  storage?: ResourceStrategy['storage'];
  admit?: ResourceStrategy['admit'];
}

export const STATUS_VERBS = ['get', 'patch', 'update'];

/** Resets status-update metadata the way ResetObjectMetaForStatus does (labels, annotations, finalizers, owners stay old). */
function resetMetaForStatus(obj: KubeObject, old: KubeObject): void {
  const m = (obj.metadata ??= {});
  const o = old.metadata ?? {};
  for (const f of ['labels', 'annotations', 'finalizers', 'ownerReferences'] as const) {
    if (o[f] === undefined) delete m[f];
    else m[f] = structuredClone(o[f]) as never;
  }
}

export function defineStrategy(k: KindSpec): ResourceStrategy {
  const nameFn = k.nameValidator ?? nameIsDNSSubdomain;
  const ns = k.ref.namespaced;
  const subresources: Record<string, SubresourceInfo> = {};
  if (k.scale) subresources.scale = { kind: 'Scale', verbs: STATUS_VERBS };
  if (k.status) subresources.status = { kind: k.ref.kind, verbs: STATUS_VERBS };
  const s: ResourceStrategy = {
    ref: k.ref,
    singularName: k.singularName,
    shortNames: k.shortNames,
    categories: k.categories,
    verbs: k.verbs ?? ALL_VERBS,
    subresources,
    hasGeneration: k.generation ?? false,
    nameValidator: nameFn,
    returnDeletedObject: false,
    defaults: k.defaults,
    prepareForCreate(obj) {
      if (k.status) obj.status = k.initialStatus ? k.initialStatus(obj) : {};
      k.prepareForCreate?.(obj);
    },
    validate: (obj) => [...validateObjectMeta(obj.metadata, ns, nameFn), ...(k.validate?.(obj) ?? [])],
    prepareForUpdate(obj, old) {
      if (k.status) {
        if (old.status === undefined) delete obj.status;
        else obj.status = structuredClone(old.status);
      }
      k.prepareForUpdate?.(obj, old);
    },
    validateUpdate: (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata, ns, nameFn), ...(k.validate?.(obj) ?? []), ...(k.validateUpdate?.(obj, old) ?? [])],
    selectableFields: k.selectableFields ?? (() => ({})),
    table: {
      columns: k.columns ? [nameColumn, ...k.columns] : [nameColumn, ageColumn],
      row: k.row ?? ((o, now) => [o.metadata?.name ?? '', timestampSince(o.metadata?.creationTimestamp, now)]),
    },
    storage: k.storage,
    admit: k.admit,
  };
  if (k.status) {
    s.prepareForStatusUpdate = (obj, old) => {
      if (old.spec === undefined) delete obj.spec;
      else obj.spec = structuredClone(old.spec);
      resetMetaForStatus(obj, old);
    };
    s.validateStatusUpdate = (obj, old) => validateObjectMetaUpdate(obj.metadata, old.metadata, ns, nameFn);
  }
  return s;
}

/** The Name cell followed by the kind's cells: rows in printers.go always start with the name. */
export const named = (o: KubeObject, ...cells: unknown[]): unknown[] => [o.metadata?.name ?? '', ...cells];

/** translateTimestamp(creationTimestamp) for the Age column. */
export const age = (o: KubeObject, nowMs: number): string => timestampSince(o.metadata?.creationTimestamp, nowMs);

/** "Created At" cells (roles, cluster roles, limit ranges): the RFC 3339 creation time in UTC. */
export const createdAt = (o: KubeObject): string => o.metadata?.creationTimestamp ?? '';

export const createdAtColumn: TableColumn = { ...ageColumn, name: 'Created At', type: 'date' };

/** layoutContainerCells: container names and images, comma-joined. */
export function containerCells(spec: { containers?: Array<{ name?: string; image?: string }> } | undefined): [string, string] {
  const cs = spec?.containers ?? [];
  return [cs.map((c) => c.name ?? '').join(','), cs.map((c) => c.image ?? '').join(',')];
}
