// Node-only: decodes the Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf) that real
// kubectl sends for typed-client calls (auth can-i/whoami, create token/serviceaccount/namespace/configmap/
// secret) into the JSON object the apiserver takes. Only the kinds in KINDS are known; others are undefined.

/** A message schema: field number → [JSON name, type, repeated]. */
type FieldType = 'string' | 'int' | 'bool' | 'bytes' | 'map' | 'bytesMap' | Schema;
interface Schema {
  [field: number]: [name: string, type: FieldType, repeated?: boolean];
}

const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

const objectMeta: Schema = { 1: ['name', 'string'], 2: ['generateName', 'string'], 3: ['namespace', 'string'], 5: ['uid', 'string'], 6: ['resourceVersion', 'string'], 11: ['labels', 'map'], 12: ['annotations', 'map'], 14: ['finalizers', 'string', true] };
const resourceAttributes: Schema = { 1: ['namespace', 'string'], 2: ['verb', 'string'], 3: ['group', 'string'], 4: ['version', 'string'], 5: ['resource', 'string'], 6: ['subresource', 'string'], 7: ['name', 'string'] };
const nonResourceAttributes: Schema = { 1: ['path', 'string'], 2: ['verb', 'string'] };
const sarSpec: Schema = { 1: ['resourceAttributes', resourceAttributes], 2: ['nonResourceAttributes', nonResourceAttributes], 3: ['user', 'string'], 4: ['groups', 'string', true], 6: ['uid', 'string'] };
const objectReference: Schema = { 1: ['kind', 'string'], 2: ['namespace', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'], 5: ['apiVersion', 'string'], 6: ['resourceVersion', 'string'], 7: ['fieldPath', 'string'] };

const KINDS: Record<string, Schema> = {
  'authorization.k8s.io/v1/SelfSubjectAccessReview': { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['resourceAttributes', resourceAttributes], 2: ['nonResourceAttributes', nonResourceAttributes] }] },
  'authorization.k8s.io/v1/SubjectAccessReview': { 1: ['metadata', objectMeta], 2: ['spec', sarSpec] },
  'authorization.k8s.io/v1/LocalSubjectAccessReview': { 1: ['metadata', objectMeta], 2: ['spec', sarSpec] },
  'authorization.k8s.io/v1/SelfSubjectRulesReview': { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['namespace', 'string'] }] },
  'authentication.k8s.io/v1/SelfSubjectReview': { 1: ['metadata', objectMeta] },
  'authentication.k8s.io/v1/TokenReview': { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['token', 'string'], 2: ['audiences', 'string', true] }] },
  'authentication.k8s.io/v1/TokenRequest': {
    1: ['metadata', objectMeta],
    2: ['spec', { 1: ['audiences', 'string', true], 3: ['boundObjectRef', { 1: ['kind', 'string'], 2: ['apiVersion', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'] }], 4: ['expirationSeconds', 'int'] }],
  },
  'v1/ServiceAccount': { 1: ['metadata', objectMeta], 2: ['secrets', objectReference, true], 3: ['imagePullSecrets', { 1: ['name', 'string'] }, true], 4: ['automountServiceAccountToken', 'bool'] },
  'v1/Namespace': { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['finalizers', 'string', true] }] },
  'v1/ConfigMap': { 1: ['metadata', objectMeta], 2: ['data', 'map'], 3: ['binaryData', 'bytesMap'], 4: ['immutable', 'bool'] },
  'v1/Secret': { 1: ['metadata', objectMeta], 2: ['data', 'bytesMap'], 3: ['type', 'string'], 4: ['stringData', 'map'], 5: ['immutable', 'bool'] },
};

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if (!(b & 0x80)) return result;
      mul *= 128;
    }
  }
  bytes(): Uint8Array {
    const n = this.varint();
    if (this.pos + n > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
}

const utf8 = new TextDecoder();

/** map<string, string|bytes> entry: key = 1, value = 2. */
function mapEntry(bytes: Uint8Array, valueAsBase64: boolean): [string, string] {
  const r = new Reader(bytes);
  let key = '';
  let value = '';
  while (r.pos < bytes.length) {
    const tag = r.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) key = utf8.decode(r.bytes());
    else if (tag >>> 3 === 2 && (tag & 7) === 2) {
      const b = r.bytes();
      value = valueAsBase64 ? Buffer.from(b).toString('base64') : utf8.decode(b);
    } else r.skip(tag & 7);
  }
  return [key, value];
}

/** Decodes a message by schema; empty strings and empty messages are dropped (Go's omitempty). */
function decodeMessage(bytes: Uint8Array, schema: Schema): Record<string, unknown> {
  const r = new Reader(bytes);
  const out: Record<string, unknown> = {};
  while (r.pos < bytes.length) {
    const tag = r.varint();
    const spec = schema[tag >>> 3];
    if (!spec) {
      r.skip(tag & 7);
      continue;
    }
    const [name, type, repeated] = spec;
    let value: unknown;
    if (type === 'int') value = r.varint();
    else if (type === 'bool') value = r.varint() !== 0;
    else if (type === 'string') value = utf8.decode(r.bytes());
    else if (type === 'bytes') value = Buffer.from(r.bytes()).toString('base64');
    else if (type === 'map' || type === 'bytesMap') {
      const [k, v] = mapEntry(r.bytes(), type === 'bytesMap');
      out[name] = { ...((out[name] as object) ?? {}), [k]: v };
      continue;
    } else value = decodeMessage(r.bytes(), type);
    if (repeated) (out[name] = (out[name] as unknown[]) ?? []), (out[name] as unknown[]).push(value);
    else if (value !== '' && !(typeof value === 'object' && value && !Object.keys(value).length)) out[name] = value;
  }
  return out;
}

/**
 * The JSON form of a protobuf-encoded object ("k8s\0" + runtime.Unknown{typeMeta, raw}), or undefined
 * when the bytes are not such an envelope or the kind is not one this decoder knows. Throws on malformed bytes.
 */
export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> | undefined {
  if (body.length < 4 || MAGIC.some((b, i) => body[i] !== b)) return undefined;
  const r = new Reader(body.subarray(4));
  let typeMeta: Record<string, unknown> = {};
  let raw: Uint8Array | undefined;
  while (r.pos < r.buf.length) {
    const tag = r.varint();
    if (tag >>> 3 === 1 && (tag & 7) === 2) typeMeta = decodeMessage(r.bytes(), { 1: ['apiVersion', 'string'], 2: ['kind', 'string'] });
    else if (tag >>> 3 === 2 && (tag & 7) === 2) raw = r.bytes();
    else r.skip(tag & 7);
  }
  const schema = KINDS[`${typeMeta.apiVersion}/${typeMeta.kind}`];
  if (!schema || !raw) return undefined;
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...decodeMessage(raw, schema) };
}
