import type { KeyValue } from '../../storage/store';
import { groupVersion } from '../../api/resources';
import type { KubeObject, ResourceStrategy } from './registry/strategy';
import { badRequest } from './errors';

/**
 * How objects sit in the store: JSON under /registry/<resource>/[<namespace>/]<name>, without
 * metadata.resourceVersion (the kv's modRevision is the resourceVersion, added on every read).
 */
export function keyPrefix(s: ResourceStrategy, namespace?: string): string {
  const base = s.storage?.base ?? (s.ref.group ? `/registry/${s.ref.group}/${s.ref.resource}/` : `/registry/${s.ref.resource}/`);
  return s.ref.namespaced && namespace ? `${base}${namespace}/` : base;
}

export function objectKey(s: ResourceStrategy, namespace: string | undefined, name: string): string {
  return `${keyPrefix(s, s.ref.namespaced ? namespace : undefined)}${name}`;
}

export function decodeKv(kv: KeyValue, revision = kv.modRevision): KubeObject {
  const obj = JSON.parse(kv.value) as KubeObject;
  (obj.metadata ??= {}).resourceVersion = String(revision);
  return obj;
}

/** decodeKv plus the strategy's conversion from the stored form. */
export function decodeFor(s: ResourceStrategy, kv: KeyValue, revision = kv.modRevision): KubeObject {
  const obj = decodeKv(kv, revision);
  return s.storage ? s.storage.decode(obj) : obj;
}

/** encodeObject after the strategy's conversion to the stored form. */
export function encodeFor(s: ResourceStrategy, obj: KubeObject): string {
  return encodeObject(s.storage ? s.storage.encode(obj) : obj);
}

export function encodeObject(obj: KubeObject): string {
  const copy = { ...obj, metadata: { ...(obj.metadata ?? {}) } };
  delete copy.metadata.resourceVersion;
  return JSON.stringify(copy);
}

/** kind/apiVersion as the server writes them on single objects and watch events. */
export function withTypeMeta(s: ResourceStrategy, obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return { apiVersion: groupVersion(s.ref), kind: s.ref.kind, ...rest };
}

/** List items carry no kind/apiVersion on the wire (kube's typed lists omit them). */
export function stripTypeMeta(obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, ...rest } = obj;
  return rest as KubeObject;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

/** storage.EncodeContinue: base64url(JSON {v, rv, start}) where start is the next key relative to the prefix. */
export function encodeContinue(lastKey: string, prefix: string, revision: number): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv: revision, start: `${lastKey.slice(prefix.length)}\u0000` };
  return base64UrlEncode(new TextEncoder().encode(JSON.stringify(token)));
}

/** storage.DecodeContinue; throws 400 BadRequest for a malformed token. Returns the key to start after and the revision. */
export function decodeContinue(token: string, prefix: string): { after: string; revision: number } {
  let parsed: ContinueToken;
  try {
    parsed = JSON.parse(new TextDecoder().decode(base64UrlDecode(token))) as ContinueToken;
  } catch {
    throw badRequest(`continue key is not valid: illegal base64 data at input byte 0`);
  }
  if (parsed.v !== 'meta.k8s.io/v1') throw badRequest('continue key is not valid: server does not recognize this encoded key');
  if (typeof parsed.start !== 'string' || parsed.start.startsWith('/') || parsed.start.includes('..')) {
    throw badRequest('continue key is not valid: continue key is not valid');
  }
  if (typeof parsed.rv !== 'number' || parsed.rv === 0) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  const start = parsed.start.endsWith('\u0000') ? parsed.start.slice(0, -1) : parsed.start;
  return { after: prefix + start, revision: parsed.rv };
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function base64UrlEncode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63];
    if (i + 1 < bytes.length) out += B64[(n >> 6) & 63];
    if (i + 2 < bytes.length) out += B64[n & 63];
  }
  return out;
}

function base64UrlDecode(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  const out: number[] = [];
  let buf = 0;
  let bits = 0;
  for (const c of clean) {
    const v = B64.indexOf(c === '+' ? '-' : c === '/' ? '_' : c);
    if (v < 0) throw new Error('bad base64');
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((buf >> bits) & 0xff);
    }
  }
  return new Uint8Array(out);
}
