import type { ApiResponse } from '../../../api/protocol';
import { groupVersion } from '../../../api/resources';
import type { ResourceRequest } from '../context';
import { withTypeMeta, stripTypeMeta } from '../object-codec';
import { outputKind, partialObject, toTable, type ListMeta } from '../printers/table';
import type { KubeObject } from '../registry/strategy';

/** Encodes one object for the client's Accept (object, Table or PartialObjectMetadata). */
export function objectResponse(rr: ResourceRequest, obj: KubeObject, status: number, nowMs: number): ApiResponse {
  return { status, body: renderObject(rr, obj, nowMs) };
}

export function renderObject(rr: ResourceRequest, obj: KubeObject, nowMs: number): unknown {
  const s = rr.strategy;
  const typed = withTypeMeta(s, obj);
  const out = outputKind(rr.req.accept);
  if (out.as === 'Table') return toTable(s, [typed], { resourceVersion: obj.metadata?.resourceVersion }, nowMs, rr.query.includeObject, out.version);
  if (out.as === 'PartialObjectMetadata') return partialObject(typed, out.version);
  return typed;
}

export function listResponse(rr: ResourceRequest, items: KubeObject[], meta: ListMeta, nowMs: number): ApiResponse {
  const s = rr.strategy;
  const out = outputKind(rr.req.accept);
  const metadata: ListMeta = { resourceVersion: meta.resourceVersion };
  if (meta.continue) metadata.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) metadata.remainingItemCount = meta.remainingItemCount;
  if (out.as === 'Table') {
    return { status: 200, body: toTable(s, items.map((o) => withTypeMeta(s, o)), metadata, nowMs, rr.query.includeObject, out.version) };
  }
  if (out.as === 'PartialObjectMetadata') {
    return {
      status: 200,
      body: { kind: 'PartialObjectMetadataList', apiVersion: `meta.k8s.io/${out.version}`, metadata, items: items.map((o) => partialObject(o, out.version)) },
    };
  }
  return { status: 200, body: { kind: `${s.ref.kind}List`, apiVersion: groupVersion(s.ref), metadata, items: items.map(stripTypeMeta) } };
}
