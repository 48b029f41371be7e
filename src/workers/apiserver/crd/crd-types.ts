import type { ResourceRef } from '../../../api/resources';
import type { KubeObject } from '../registry/strategy';
import type { JsonSchema } from './json-schema';

/** apiextensions.k8s.io/v1 CustomResourceDefinition, as far as this server reads it. */
export interface CrdNames {
  plural?: string;
  singular?: string;
  kind?: string;
  listKind?: string;
  shortNames?: string[];
  categories?: string[];
}

export interface CrdColumn {
  name?: string;
  type?: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath?: string;
}

export interface CrdVersion {
  name?: string;
  served?: boolean;
  storage?: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: JsonSchema };
  subresources?: { status?: object; scale?: { specReplicasPath?: string; statusReplicasPath?: string; labelSelectorPath?: string } };
  additionalPrinterColumns?: CrdColumn[];
  selectableFields?: Array<{ jsonPath?: string }>;
}

export interface CrdCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface Crd extends KubeObject {
  spec?: { group?: string; names?: CrdNames; scope?: string; versions?: CrdVersion[]; conversion?: { strategy?: string }; preserveUnknownFields?: boolean };
  status?: { acceptedNames?: CrdNames; conditions?: CrdCondition[]; storedVersions?: string[] };
}

export const CustomResourceDefinitions: ResourceRef = {
  group: 'apiextensions.k8s.io',
  version: 'v1',
  resource: 'customresourcedefinitions',
  kind: 'CustomResourceDefinition',
  namespaced: false,
};

/** The store prefix of CRDs (keyPrefix of the CRD strategy). */
export const CRD_PREFIX = '/registry/apiextensions.k8s.io/customresourcedefinitions/';

export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export function crdCondition(crd: Crd, type: string): CrdCondition | undefined {
  return crd.status?.conditions?.find((c) => c.type === type);
}

export function isEstablished(crd: Crd): boolean {
  return crdCondition(crd, 'Established')?.status === 'True';
}

/** Sets (or replaces) a condition; lastTransitionTime changes only when status changes (SetCRDCondition). */
export function setCrdCondition(crd: Crd, cond: CrdCondition): void {
  const status = (crd.status ??= {});
  const list = (status.conditions ??= []);
  const i = list.findIndex((c) => c.type === cond.type);
  if (i < 0) list.push(cond);
  else list[i] = { ...cond, lastTransitionTime: list[i].status === cond.status ? list[i].lastTransitionTime : cond.lastTransitionTime };
}

/**
 * Kubernetes version priority (version.CompareKubeAwareVersionStrings): GA > beta > alpha, higher
 * numbers first, non-kube-like names last in alphabetical order. Negative when a sorts first.
 */
export function compareKubeVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return { major: Number(m[1]), rank: m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, minor: Number(m[3] ?? 0) };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : a < b ? -1 : a > b ? 1 : 0;
  if (pa.rank !== pb.rank) return pb.rank - pa.rank;
  if (pa.major !== pb.major) return pb.major - pa.major;
  return pb.minor - pa.minor;
}
