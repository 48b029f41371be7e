import { sha256 } from '../../../workers/apiserver/authz/hmac-sha256';
import { encodeHash } from '../../kustomize/kustomize-hash';
import { toGoJsonCompact } from '../../printers/go-json';

type Obj = Record<string, unknown>;

/**
 * --append-hash as kubectl's util/hash computes it: sha256 of Go's json.Marshal of {kind, name, data[, binaryData]}
 * (Secret: {kind, name, type, data}) with data base64 for Secrets, encoded like kustomize; the name gets "-<hash>".
 */
export function appendHash(obj: Obj): Obj {
  const meta = obj.metadata as { name: string };
  const data = (obj.data as Record<string, string> | undefined) ?? null;
  const encoded = obj.kind === 'Secret' ? { kind: 'Secret', type: obj.type ?? '', name: meta.name, data } : { kind: obj.kind, name: meta.name, data };
  const digest = sha256(new TextEncoder().encode(toGoJsonCompact(encoded)));
  meta.name = `${meta.name}-${encodeHash([...digest].map((x) => x.toString(16).padStart(2, '0')).join(''))}`;
  return obj;
}

