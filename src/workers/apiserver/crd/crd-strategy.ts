import { rfc3339 } from '../../../api/clock';
import { validateObjectMeta, validateObjectMetaUpdate } from '../registry/object-meta';
import { createdAt, createdAtColumn, defineStrategy, named } from '../registry/define-strategy';
import type { KubeObject, ResourceStrategy } from '../registry/strategy';
import type { ApiContext } from '../context';
import { decodeKv } from '../object-codec';
import { CRD_PREFIX, crdCondition, CustomResourceDefinitions, isEstablished, setCrdCondition, type Crd, type CrdNames } from './crd-types';
import { crdNameValidator, validateCrdSpec, validateCrdUpdate } from './crd-validation';
import { crdUnknownFields } from './crd-fields';

/** SetDefaults_CustomResourceDefinitionSpec: singular = lower-case kind, listKind = kind + "List", conversion None. */
function defaults(obj: KubeObject): void {
  const crd = obj as Crd;
  const spec = crd.spec;
  if (!spec || typeof spec !== 'object') return;
  const names = spec.names;
  if (names?.kind) {
    names.singular ||= names.kind.toLowerCase();
    names.listKind ||= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: 'None' };
}

function acceptedNames(n: CrdNames | undefined): CrdNames {
  const out: CrdNames = { plural: n?.plural ?? '', singular: n?.singular, kind: n?.kind ?? '', listKind: n?.listKind };
  if (n?.shortNames?.length) out.shortNames = [...n.shortNames];
  if (n?.categories?.length) out.categories = [...n.categories];
  return out;
}

function storageVersion(crd: Crd): string | undefined {
  return crd.spec?.versions?.find((v) => v.storage)?.name;
}

/**
 * The naming and establishing controllers' effect, applied synchronously on writes of the main
 * resource: status.acceptedNames follows spec.names, NamesAccepted and Established are True, and the
 * storage version is recorded in status.storedVersions.
 */
function acceptAndEstablish(crd: Crd, now: string): void {
  const status = (crd.status ??= {});
  status.acceptedNames = acceptedNames(crd.spec?.names);
  setCrdCondition(crd, { type: 'NamesAccepted', status: 'True', lastTransitionTime: now, reason: 'NoConflicts', message: 'no conflicts found' });
  if (!isEstablished(crd)) setCrdCondition(crd, { type: 'Established', status: 'True', lastTransitionTime: now, reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' });
  const stored = storageVersion(crd);
  status.storedVersions ??= [];
  if (stored && !status.storedVersions.includes(stored)) status.storedVersions.push(stored);
}

/**
 * The naming controller's conflict check against the other CRDs of the group (their accepted names):
 * a conflict sets NamesAccepted False (PluralConflict … ListKindConflict, `"x" is already in use`),
 * keeps the previous acceptedNames, and leaves a CRD that was never established NotAccepted (not served).
 */
async function checkNameConflicts(ctx: ApiContext, crd: Crd, old: Crd | undefined): Promise<void> {
  const names = crd.spec?.names ?? {};
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const kv of (await ctx.store.list(CRD_PREFIX)).kvs) {
    const other = decodeKv(kv) as Crd;
    if (other.metadata?.name === crd.metadata?.name || other.spec?.group !== crd.spec?.group) continue;
    const a = other.status?.acceptedNames ?? {};
    for (const r of [a.plural, a.singular, ...(a.shortNames ?? [])]) if (r) resources.add(r);
    for (const k of [a.kind, a.listKind]) if (k) kinds.add(k);
  }
  const conflict: [string, string] | undefined =
    names.plural && resources.has(names.plural) ? ['PluralConflict', names.plural]
    : names.singular && resources.has(names.singular) ? ['SingularConflict', names.singular]
    : (names.shortNames ?? []).some((n) => resources.has(n)) ? ['ShortNamesConflict', names.shortNames!.find((n) => resources.has(n))!]
    : names.kind && kinds.has(names.kind) ? ['KindConflict', names.kind]
    : names.listKind && kinds.has(names.listKind) ? ['ListKindConflict', names.listKind]
    : undefined;
  if (!conflict) return;
  const status = (crd.status ??= {});
  const now = crdCondition(crd, 'NamesAccepted')?.lastTransitionTime;
  status.acceptedNames = old?.status?.acceptedNames ?? { plural: '', kind: '' };
  setCrdCondition(crd, { type: 'NamesAccepted', status: 'False', lastTransitionTime: now, reason: conflict[0], message: `"${conflict[1]}" is already in use` });
  if (!old || !isEstablished(old)) setCrdCondition(crd, { type: 'Established', status: 'False', lastTransitionTime: now, reason: 'NotAccepted', message: 'not all names are accepted' });
}

const base = defineStrategy({
  ref: CustomResourceDefinitions,
  singularName: 'customresourcedefinition',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  status: true,
  generation: true,
  defaults,
  columns: [createdAtColumn],
  row: (o) => named(o, createdAt(o)),
});

/**
 * apiextensions.k8s.io/v1 CustomResourceDefinitions: defaulting, validation with kube's messages
 * (metadata.name must be `<plural>.<group>`), and NamesAccepted/Established set on create and kept
 * current on update (there is no separate naming controller; admit checks name conflicts). Deletion is
 * crd-cleanup.ts's.
 */
export const crdStrategy: ResourceStrategy = {
  ...base,
  unknownFields: (obj, prune) => crdUnknownFields(obj, prune),
  prepareForCreate(obj, clock) {
    base.prepareForCreate(obj, clock);
    acceptAndEstablish(obj as Crd, rfc3339(clock.now()));
  },
  validate: (obj) => [...validateObjectMeta(obj.metadata, false, crdNameValidator(obj as Crd)), ...validateCrdSpec(obj as Crd)],
  async admit(ctx, obj, old) {
    await checkNameConflicts(ctx, obj as Crd, old as Crd | undefined);
    return () => {};
  },
  prepareForUpdate(obj, old) {
    base.prepareForUpdate(obj, old);
    const crd = obj as Crd;
    const time = (old as Crd).status?.conditions?.[0]?.lastTransitionTime ?? '';
    if (!(old as Crd).metadata?.deletionTimestamp) acceptAndEstablish(crd, time);
  },
  validateUpdate: (obj, old) => [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata, false, crdNameValidator(obj as Crd)),
    ...validateCrdSpec(obj as Crd),
    ...validateCrdUpdate(obj as Crd, old as Crd, isEstablished(old as Crd)),
  ],
};
