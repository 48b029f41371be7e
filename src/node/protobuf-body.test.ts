import { describe, expect, it } from 'vitest';
import { decodeProtobufObject } from './protobuf-body';

// A minimal protobuf writer for building envelopes as client-go does.
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n > 127) (out.push((n % 128) | 128), (n = Math.floor(n / 128)));
  return [...out, n];
};
const field = (num: number, bytes: number[]): number[] => [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
const str = (num: number, s: string) => field(num, [...Buffer.from(s)]);
const int = (num: number, n: number) => [...varint(num << 3), ...varint(n)];
const envelope = (apiVersion: string, kind: string, raw: number[]) => new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...field(1, [...str(1, apiVersion), ...str(2, kind)]), ...field(2, raw), ...str(4, '')]);

describe('decodeProtobufObject', () => {
  it('decodes known kinds by schema, dropping empty strings as omitempty would', () => {
    const ssar = envelope('authorization.k8s.io/v1', 'SelfSubjectAccessReview', [
      ...field(1, [...str(1, ''), ...str(3, '')]),
      ...field(2, field(1, [...str(1, 'default'), ...str(2, 'list'), ...str(3, ''), ...str(5, 'pods'), ...str(6, '')])),
    ]);
    expect(decodeProtobufObject(ssar)).toEqual({ apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: {}, spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } } });
    const tr = envelope('authentication.k8s.io/v1', 'TokenRequest', [...field(1, str(1, 'bot')), ...field(2, [...str(1, 'a'), ...str(1, 'b'), ...int(4, 5_000_000_000)])]);
    expect(decodeProtobufObject(tr)).toEqual({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: { name: 'bot' }, spec: { audiences: ['a', 'b'], expirationSeconds: 5_000_000_000 } });
    const cm = envelope('v1', 'ConfigMap', [...field(1, [...str(1, 'c'), ...field(11, [...str(1, 'app'), ...str(2, 'web')])]), ...field(2, [...str(1, 'k'), ...str(2, 'v')]), ...field(3, [...str(1, 'b'), ...field(2, [0, 255])])]);
    expect(decodeProtobufObject(cm)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { app: 'web' } }, data: { k: 'v' }, binaryData: { b: 'AP8=' } });
  });

  it('returns undefined for unknown kinds or a missing magic, and throws on truncated bytes', () => {
    expect(decodeProtobufObject(envelope('apps/v1', 'ControllerRevision', []))).toBeUndefined();
    expect(decodeProtobufObject(new Uint8Array([1, 2, 3, 4, 5]))).toBeUndefined();
    expect(() => decodeProtobufObject(new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x50]))).toThrow('truncated field');
  });
});
