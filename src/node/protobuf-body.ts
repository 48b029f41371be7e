// Node-only: decodes the Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf) that real
// kubectl sends for typed-client calls (auth can-i/whoami, create token/serviceaccount/namespace/configmap/
// secret, the generators in protobuf/kinds.ts, drain's Eviction and DeleteOptions) into the JSON object the
// apiserver takes. Only the kinds in KINDS (and any */DeleteOptions) are known; others are undefined.
import { decodeMessage, Reader, type Schema } from './protobuf/wire';
import { objectMeta, objectReference } from './protobuf/meta';
import { DELETE_OPTIONS, WORKLOAD_KINDS } from './protobuf/kinds';

const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

const resourceAttributes: Schema = { 1: ['namespace', 'string'], 2: ['verb', 'string'], 3: ['group', 'string'], 4: ['version', 'string'], 5: ['resource', 'string'], 6: ['subresource', 'string'], 7: ['name', 'string'] };
const nonResourceAttributes: Schema = { 1: ['path', 'string'], 2: ['verb', 'string'] };
const sarSpec: Schema = { 1: ['resourceAttributes', resourceAttributes], 2: ['nonResourceAttributes', nonResourceAttributes], 3: ['user', 'string'], 4: ['groups', 'string', true], 6: ['uid', 'string'] };

const KINDS: Record<string, Schema> = {
  'authorization.k8s.io/v1/SelfSubjectAccessReview': { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['resourceAttributes', resourceAttributes], 2: ['nonResourceAttributes', nonResourceAttributes] }] },
  'authorization.k8s.io/v1/SubjectAccessReview': { 1: ['metadata', objectMeta], 2: ['spec', sarSpec] },
  'authorization.k8s.io/v1/LocalSubjectAccessReview': { 1: ['metadata', objectMeta], 2: ['spec', sarSpec] },
  'authorization.k8s.io/v1/SelfSubjectRulesReview': { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['namespace', 'string'] }] },
  'authentication.k8s.io/v1/SelfSubjectReview': { 1: ['metadata', objectMeta] },
  'authentication.k8s.io/v1/TokenReview': { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['token', 'string'], 2: ['audiences', 'string', true] }] },
  'authentication.k8s.io/v1/TokenRequest': {
    1: ['metadata', objectMeta],
    2: ['spec', { 1: ['audiences', 'string', true], 3: ['boundObjectRef', { 1: ['kind', 'string'], 2: ['apiVersion', 'string'], 3: ['name', 'string'], 4: ['uid', 'string'] }], 4: ['expirationSeconds', 'int*'] }],
  },
  'v1/ServiceAccount': { 1: ['metadata', objectMeta], 2: ['secrets', objectReference, true], 3: ['imagePullSecrets', { 1: ['name', 'string'] }, true], 4: ['automountServiceAccountToken', 'bool*'] },
  'v1/Namespace': { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['finalizers', 'string', true] }] },
  'v1/ConfigMap': { 1: ['metadata', objectMeta], 2: ['data', 'map'], 3: ['binaryData', 'bytesMap'], 4: ['immutable', 'bool*'] },
  'v1/Secret': { 1: ['metadata', objectMeta], 2: ['data', 'bytesMap'], 3: ['type', 'string'], 4: ['stringData', 'map'], 5: ['immutable', 'bool*'] },
  ...WORKLOAD_KINDS,
};

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
  const schema = typeMeta.kind === 'DeleteOptions' ? DELETE_OPTIONS : KINDS[`${typeMeta.apiVersion}/${typeMeta.kind}`];
  if (!schema || !raw) return undefined;
  return { apiVersion: typeMeta.apiVersion, kind: typeMeta.kind, ...decodeMessage(raw, schema) };
}
