import type { ConfigMap, Secret } from 'kubernetes-types/core/v1';
import type { Lease } from 'kubernetes-types/coordination/v1';
import { timestampSince } from '../../../api/duration';
import { nameIsDNSSubdomain, regexError } from '../../../api/label-validation';
import type { ResourceRef } from '../../../api/resources';
import { invalid, type FieldError } from '../field-errors';
import { badRequest } from '../errors';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta';
import { ageColumn, ALL_VERBS, column, nameColumn, type KubeObject, type ResourceStrategy } from './strategy';

/** ConfigMaps, Secrets (core/v1) and Leases (coordination.k8s.io/v1): plain data objects, no status. */
const ConfigMaps: ResourceRef = { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true };
const Secrets: ResourceRef = { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true };
export const Leases: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', kind: 'Lease', namespaced: true };

const KEY_RE = /^[-._a-zA-Z0-9]+$/;

function validateKeys(obj: KubeObject, fields: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const f of fields) {
    for (const k of Object.keys((obj[f] as Record<string, unknown> | undefined) ?? {})) {
      if (k.length > 253) errs.push(invalid(`${f}[${k}]`, k, 'must be no more than 253 characters'));
      if (!KEY_RE.test(k)) {
        errs.push(invalid(`${f}[${k}]`, k, regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", '[-._a-zA-Z0-9]+', 'key.name', 'KEY_NAME', 'key-name')));
      }
      if (seen.has(k)) errs.push(invalid(`${f}[${k}]`, k, 'duplicate of key present in data'));
      seen.add(k);
    }
  }
  return errs;
}

function immutableData(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push({ type: 'Forbidden', field: 'immutable', detail: 'field is immutable when `immutable` is set' });
  for (const f of fields) if (JSON.stringify(obj[f] ?? null) !== JSON.stringify(old[f] ?? null)) errs.push({ type: 'Forbidden', field: f, detail: 'field is immutable when `immutable` is set' });
  return errs;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function base64(text: string): string {
  const b = new TextEncoder().encode(text);
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
  }
  return out;
}

function dataObject(ref: ResourceRef, singular: string, fields: string[], extra: Partial<ResourceStrategy>): ResourceStrategy {
  return {
    ref,
    singularName: singular,
    verbs: ALL_VERBS,
    subresources: {},
    hasGeneration: false,
    nameValidator: nameIsDNSSubdomain,
    returnDeletedObject: false,
    prepareForCreate() {},
    validate: (obj) => [...validateObjectMeta(obj.metadata, true, nameIsDNSSubdomain), ...validateKeys(obj, fields)],
    prepareForUpdate() {},
    validateUpdate: (obj, old) => [...validateObjectMetaUpdate(obj.metadata, old.metadata, true, nameIsDNSSubdomain), ...validateKeys(obj, fields), ...immutableData(obj, old, fields)],
    selectableFields: () => ({}),
    table: { columns: [], row: () => [] },
    ...extra,
  };
}

const countKeys = (...maps: Array<Record<string, unknown> | undefined>) => maps.reduce((n, m) => n + Object.keys(m ?? {}).length, 0);

export const configMapStrategy = dataObject(ConfigMaps, 'configmap', ['data', 'binaryData'], {
  shortNames: ['cm'],
  table: {
    columns: [nameColumn, column('Data', 'string', 'Data contains the configuration data.'), ageColumn],
    row: (o, now) => {
      const cm = o as unknown as ConfigMap;
      return [cm.metadata?.name ?? '', countKeys(cm.data, cm.binaryData), timestampSince(cm.metadata?.creationTimestamp, now)];
    },
  },
});

/** Where Go's base64.StdEncoding rejects s (CorruptInputError offset), or -1 when it decodes. */
export function base64ErrorOffset(s: string): number {
  const body = s.replace(/=+$/, (pad) => (pad.length <= 2 ? '' : pad));
  for (let i = 0; i < body.length; i++) if (!B64.includes(body[i])) return i;
  const quantumStart = body.length - (body.length % 4);
  if (body.length % 4 === 1 || (s.length % 4 !== 0)) return quantumStart;
  return -1;
}

export const secretStrategy = dataObject(Secrets, 'secret', ['data'], {
  defaults(obj) {
    const s = obj as unknown as { type?: string; data?: Record<string, string>; stringData?: Record<string, string> };
    for (const v of Object.values(s.data ?? {})) {
      const at = typeof v === 'string' ? base64ErrorOffset(v) : 0;
      if (at >= 0) throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`);
    }
    s.type ||= 'Opaque';
    if (s.stringData) {
      s.data = { ...(s.data ?? {}) };
      for (const [k, v] of Object.entries(s.stringData)) s.data[k] = base64(v);
      delete s.stringData;
    }
  },
  validateUpdate: (obj, old) => {
    const errs = [...validateObjectMetaUpdate(obj.metadata, old.metadata, true, nameIsDNSSubdomain), ...validateKeys(obj, ['data']), ...immutableData(obj, old, ['data'])];
    const t = (obj as unknown as Secret).type;
    if (t !== (old as unknown as Secret).type) errs.push(invalid('type', t ?? '', 'field is immutable'));
    return errs;
  },
  selectableFields: (o) => ({ type: (o as unknown as Secret).type ?? '' }),
  table: {
    columns: [nameColumn, column('Type', 'string', 'The type of the secret'), column('Data', 'string', 'Data contains the secret data.'), ageColumn],
    row: (o, now) => {
      const s = o as unknown as Secret;
      return [s.metadata?.name ?? '', s.type ?? '', countKeys(s.data), timestampSince(s.metadata?.creationTimestamp, now)];
    },
  },
});

export const leaseStrategy = dataObject(Leases, 'lease', [], {
  table: {
    columns: [nameColumn, column('Holder', 'string', 'Name of the Lease holder'), ageColumn],
    row: (o, now) => {
      const l = o as unknown as Lease;
      return [l.metadata?.name ?? '', l.spec?.holderIdentity ?? '', timestampSince(l.metadata?.creationTimestamp, now)];
    },
  },
});
