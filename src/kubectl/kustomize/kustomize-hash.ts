import { sha256 } from '../../workers/apiserver/authz/hmac-sha256';
import { toGoJsonCompact } from '../printers/go-json';

type Obj = Record<string, unknown>;

/** kustomize's hasher.encode: the first 10 hex digits of sha256 with 0,1,3,a,e mapped to g,h,k,m,t (no vowels, no look-alikes). */
export function encodeHash(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

function hex256(text: string): string {
  return [...sha256(new TextEncoder().encode(text))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const mapOrEmpty = (v: unknown): unknown => (v && typeof v === 'object' && !Array.isArray(v) ? v : '');

/**
 * The name suffix kustomize 5.5 (kubectl 1.32) appends to generated ConfigMaps and Secrets: sha256 of Go's
 * json.Marshal of {kind, name, data[, binaryData]} (Secret: {kind, name, type, data[, stringData]}). The
 * name is always "" there: kustomize looks "metadata/name" up as one field name, which never exists.
 * Other kinds hash their whole object.
 */
export function kustomizeHash(obj: Obj): string {
  let encoded: unknown;
  if (obj.kind === 'ConfigMap') {
    encoded = { kind: 'ConfigMap', name: '', data: mapOrEmpty(obj.data), ...(mapOrEmpty(obj.binaryData) ? { binaryData: obj.binaryData } : {}) };
  } else if (obj.kind === 'Secret') {
    encoded = { kind: 'Secret', type: typeof obj.type === 'string' ? obj.type : '', name: '', data: mapOrEmpty(obj.data), ...(mapOrEmpty(obj.stringData) ? { stringData: obj.stringData } : {}) };
  } else encoded = obj;
  return encodeHash(hex256(toGoJsonCompact(encoded)));
}
