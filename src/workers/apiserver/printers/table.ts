import type { ResourceStrategy, KubeObject } from '../registry/strategy';
import { podRowConditions } from './pod-printer';
import type { Pod } from 'kubernetes-types/core/v1';

/**
 * Server-side printing (meta.k8s.io Table and PartialObjectMetadata), chosen by the Accept header the
 * way kubectl asks: `application/json;as=Table;v=v1;g=meta.k8s.io` (v1beta1 also accepted).
 */
export type OutputKind = { as: 'Table'; version: string } | { as: 'PartialObjectMetadata'; version: string } | { as: 'Object' };

export function outputKind(accept: string | undefined): OutputKind {
  for (const part of (accept ?? '').split(',')) {
    const params = new Map<string, string>();
    for (const p of part.split(';').slice(1)) {
      const [k, v] = p.split('=').map((x) => x.trim());
      if (k) params.set(k, v ?? '');
    }
    if (params.get('g') !== 'meta.k8s.io') continue;
    const version = params.get('v') ?? 'v1';
    if (version !== 'v1' && version !== 'v1beta1') continue;
    if (params.get('as') === 'Table') return { as: 'Table', version };
    if (params.get('as') === 'PartialObjectMetadata' || params.get('as') === 'PartialObjectMetadataList') return { as: 'PartialObjectMetadata', version };
  }
  return { as: 'Object' };
}

export function partialObject(obj: KubeObject, version = 'v1'): KubeObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** includeObject: None | Metadata (default) | Object. Objects keep their kind/apiVersion. */
export function toTable(s: ResourceStrategy, objs: KubeObject[], meta: ListMeta, nowMs: number, includeObject = 'Metadata', version = 'v1'): KubeObject {
  const rows = objs.map((o) => {
    const row: Record<string, unknown> = { cells: s.table.row(o, nowMs) };
    if (s.ref.resource === 'pods') {
      const conds = podRowConditions(o as unknown as Pod);
      if (conds) row.conditions = conds;
    }
    if (includeObject === 'Object') row.object = o;
    else if (includeObject !== 'None') row.object = partialObject(o, version);
    return row;
  });
  return { kind: 'Table', apiVersion: `meta.k8s.io/${version}`, metadata: meta as KubeObject['metadata'], columnDefinitions: s.table.columns, rows };
}
