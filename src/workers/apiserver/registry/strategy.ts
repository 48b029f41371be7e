import type { ResourceRef } from '../../../api/resources';
import type { Clock } from '../../../api/clock';
import type { FieldError } from '../field-errors';
import type { NameValidator } from '../../../api/label-validation';
import type { ApiContext } from '../context';

/** A Kubernetes object as the apiserver handles it: plain JSON with metadata. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [k: string]: unknown;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string | null;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean; blockOwnerDeletion?: boolean }>;
  managedFields?: unknown[];
  [k: string]: unknown;
}

export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface SubresourceInfo {
  kind: string;
  verbs: string[];
  /** The group/version of kind when it differs from the resource's (pods/eviction: policy/v1 Eviction). */
  group?: string;
  version?: string;
}

/**
 * One per resource (kube's registry strategy + printer + field-label conversion). Hooks mutate the object
 * in place; validate* return field errors (empty = valid). Ordering per write: prepareFor* → validate*.
 */
export interface ResourceStrategy {
  ref: ResourceRef;
  singularName: string;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources: Record<string, SubresourceInfo>;
  /** metadata.generation is maintained (1 on create, +1 when spec changes). */
  hasGeneration: boolean;
  /** Names checked by ValidateObjectMeta. */
  nameValidator: NameValidator;
  /** DELETE answers with the object (pods, namespaces) instead of a Success Status. */
  returnDeletedObject: boolean;
  /** Create: defaults, resets status, etc. (runs after metadata is filled in). */
  prepareForCreate(obj: KubeObject, now: Clock): void;
  validate(obj: KubeObject): FieldError[];
  /** Update of the main resource: typically keeps old status. */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** Update through /status: keeps old spec and metadata except labels/annotations etc. */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject): void;
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Updates through other subresources (pods/ephemeralcontainers): prepare keeps what the subresource may not change, then validate. */
  subresourceUpdates?: Record<string, { prepare(obj: KubeObject, old: KubeObject): void; validate(obj: KubeObject, old: KubeObject): FieldError[] }>;
  /** Field selector values for this object (metadata.name and metadata.namespace are added by the caller). */
  selectableFields(obj: KubeObject): Record<string, string>;
  table: { columns: TableColumn[]; row(obj: KubeObject, nowMs: number): unknown[] };
  /** Extra condition for deleting an object with deletionTimestamp once its finalizers are gone (namespaces: spec.finalizers empty). */
  readyToDelete?(obj: KubeObject): boolean;
  /** Server-side defaulting shared by create and update (SetDefaults_*). */
  defaults?(obj: KubeObject): void;
  /**
   * Storage sharing/conversion (events.k8s.io Events live with core Events; autoscaling/v1 HPAs with v2):
   * the store key base (default /registry/[<group>/]<resource>/) and conversions between the stored form
   * and this endpoint's form. Conversions must keep metadata as is.
   */
  storage?: { base: string; decode(stored: KubeObject): KubeObject; encode(obj: KubeObject): KubeObject };
  /**
   * Async admission after validation, before the write (Service IP/NodePort allocation). Throws an
   * ApiServerError to refuse. Returns a callback the caller runs once the write has finished or failed
   * (allocations become visible through the store and are no longer held in memory).
   */
  admit?(ctx: ApiContext, obj: KubeObject, old: KubeObject | undefined): Promise<() => void>;
  /**
   * Unknown field paths for fieldValidation (custom resources: fields outside the schema), removed from
   * obj when prune. Absent: the built-in table in known-fields.ts applies.
   */
  unknownFields?(obj: KubeObject, prune: boolean): string[];
}

export const nameColumn: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

export const ageColumn: TableColumn = {
  name: 'Age',
  type: 'string',
  format: '',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
};

export function column(name: string, type: string, description: string, priority = 0): TableColumn {
  return { name, type, format: '', description, priority };
}

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
