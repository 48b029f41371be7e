import { invalid, required, forbidden, type FieldError } from '../field-errors';
import { isQualifiedName, isValidLabelValue, nameIsDNSLabel, type NameValidator } from '../../../api/label-validation';
import type { KubeObject, ObjectMeta } from './strategy';

/** ValidateLabels: keys are qualified names, values label values; field is `<path>` with the key or value as the bad value. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of isQualifiedName(k)) errs.push(invalid(path, k, m));
    for (const m of isValidLabelValue(String(v))) errs.push(invalid(path, v, m));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(path, k, m));
    total += k.length + String(v).length;
  }
  if (total > 256 * 1024) errs.push({ type: 'TooLong', field: path, detail: `may not be more than ${256 * 1024} bytes` });
  return errs;
}

/** ValidateObjectMeta for create (and the metadata part of update). */
export function validateObjectMeta(meta: ObjectMeta | undefined, namespaced: boolean, nameFn: NameValidator): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) for (const msg of nameFn(m.generateName, true)) errs.push(invalid('metadata.generateName', m.generateName, msg));
  if (!m.name) errs.push(required('metadata.name', 'name or generateName is required'));
  else for (const msg of nameFn(m.name, false)) errs.push(invalid('metadata.name', m.name, msg));
  if (namespaced) {
    if (!m.namespace) errs.push(required('metadata.namespace'));
    else for (const msg of nameIsDNSLabel(m.namespace, false)) errs.push(invalid('metadata.namespace', m.namespace, msg));
  } else if (m.namespace) {
    errs.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }
  if (m.generation !== undefined && m.generation < 0) errs.push(invalid('metadata.generation', m.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(m.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(m.annotations, 'metadata.annotations'));
  (m.finalizers ?? []).forEach((f, i) => {
    for (const msg of isQualifiedName(f)) errs.push(invalid(`metadata.finalizers[${i}]`, f, msg));
  });
  (m.ownerReferences ?? []).forEach((r, i) => {
    const p = `metadata.ownerReferences[${i}]`;
    if (!r.apiVersion) errs.push(invalid(`${p}.apiVersion`, r.apiVersion ?? '', 'version must not be empty'));
    if (!r.kind) errs.push(invalid(`${p}.kind`, r.kind ?? '', 'kind must not be empty'));
    if (!r.name) errs.push(invalid(`${p}.name`, r.name ?? '', 'name must not be empty'));
    if (!r.uid) errs.push(invalid(`${p}.uid`, r.uid ?? '', 'uid must not be empty'));
  });
  return errs;
}

/** ValidateObjectMetaUpdate: immutable identity fields plus the create checks on the new metadata. */
export function validateObjectMetaUpdate(meta: ObjectMeta | undefined, old: ObjectMeta | undefined, namespaced: boolean, nameFn: NameValidator): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs = validateObjectMeta(m, namespaced, nameFn).filter((e) => e.field !== 'metadata.generateName');
  const immutable = (field: keyof ObjectMeta) => {
    if ((m[field] ?? '') !== (o[field] ?? '')) errs.push(invalid(`metadata.${String(field)}`, m[field] ?? '', 'field is immutable'));
  };
  immutable('name');
  immutable('namespace');
  immutable('uid');
  immutable('creationTimestamp');
  if (o.deletionTimestamp && m.deletionTimestamp !== o.deletionTimestamp) errs.push(invalid('metadata.deletionTimestamp', m.deletionTimestamp ?? null, 'field is immutable; may only be changed via deletion'));
  return errs;
}

/** Clears fields clients may not set and that the server owns on update (uid, creationTimestamp, deletion*). */
export function keepSystemMeta(obj: KubeObject, old: KubeObject): void {
  const m = (obj.metadata ??= {});
  const o = old.metadata ?? {};
  m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  if (o.deletionTimestamp) m.deletionTimestamp = o.deletionTimestamp;
  else delete m.deletionTimestamp;
  if (o.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
  else delete m.deletionGracePeriodSeconds;
  if (o.generation !== undefined) m.generation = o.generation;
  else delete m.generation;
  if (o.generateName !== undefined && m.generateName === undefined) m.generateName = o.generateName;
}
