import { CLUSTER_KINDS, meta, nameOf, type Res } from './kustomize-types';

type Obj = Record<string, unknown>;

/** A kustomize fieldSpec: a path (arrays are walked implicitly) in objects of kind (all kinds when absent). */
interface FieldSpec {
  kind?: string;
  path: string;
  create: boolean;
}

const WORKLOADS = ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job', 'ReplicationController'];
const AFFINITY = ['podAffinity', 'podAntiAffinity'].flatMap((a) => [
  `spec/template/spec/affinity/${a}/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels`,
  `spec/template/spec/affinity/${a}/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels`,
]);

/** kustomize's commonLabels field specs (selectors included). */
const COMMON_LABEL_SPECS: FieldSpec[] = [
  { path: 'metadata/labels', create: true },
  { kind: 'Service', path: 'spec/selector', create: true },
  { kind: 'ReplicationController', path: 'spec/selector', create: true },
  { kind: 'ReplicationController', path: 'spec/template/metadata/labels', create: true },
  ...['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'].flatMap((kind) => [
    { kind, path: 'spec/selector/matchLabels', create: true },
    { kind, path: 'spec/template/metadata/labels', create: true },
    ...AFFINITY.map((path) => ({ kind, path, create: false })),
    { kind, path: 'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels', create: false },
  ]),
  { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates/metadata/labels', create: true },
  { kind: 'Job', path: 'spec/selector/matchLabels', create: false },
  { kind: 'Job', path: 'spec/template/metadata/labels', create: true },
  ...AFFINITY.map((path) => ({ kind: 'Job', path, create: false })),
  { kind: 'CronJob', path: 'spec/jobTemplate/spec/selector/matchLabels', create: false },
  { kind: 'CronJob', path: 'spec/jobTemplate/metadata/labels', create: true },
  { kind: 'CronJob', path: 'spec/jobTemplate/spec/template/metadata/labels', create: true },
  { kind: 'PodDisruptionBudget', path: 'spec/selector/matchLabels', create: false },
  { kind: 'NetworkPolicy', path: 'spec/podSelector/matchLabels', create: false },
  { kind: 'NetworkPolicy', path: 'spec/ingress/from/podSelector/matchLabels', create: false },
  { kind: 'NetworkPolicy', path: 'spec/egress/to/podSelector/matchLabels', create: false },
];

const TEMPLATE_SPECS = (field: string): FieldSpec[] => [
  ...WORKLOADS.map((kind) => ({ kind, path: `spec/template/metadata/${field}`, create: true })),
  { kind: 'CronJob', path: `spec/jobTemplate/metadata/${field}`, create: true },
  { kind: 'CronJob', path: `spec/jobTemplate/spec/template/metadata/${field}`, create: true },
];

function walk(node: unknown, parts: string[], create: boolean, apply: (map: Obj) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walk(item, parts, create, apply);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Obj;
  const [head, ...rest] = parts;
  if (o[head] === undefined || o[head] === null) {
    if (!create) return;
    o[head] = {};
  }
  if (rest.length) walk(o[head], rest, create, apply);
  else if (typeof o[head] === 'object' && !Array.isArray(o[head])) apply(o[head] as Obj);
}

function addMap(resources: Res[], specs: FieldSpec[], pairs: Record<string, string>): void {
  for (const r of resources)
    for (const s of specs) if (!s.kind || s.kind === r.obj.kind) walk(r.obj, s.path.split('/'), s.create, (m) => Object.assign(m, pairs));
}

/** commonLabels: metadata, selectors and templates. */
export function commonLabels(resources: Res[], pairs: Record<string, string>): void {
  addMap(resources, COMMON_LABEL_SPECS, pairs);
}

/** labels: metadata only; with includeSelectors as commonLabels; with includeTemplates also the pod templates. */
export function labels(resources: Res[], entry: { pairs?: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }): void {
  const pairs = entry.pairs ?? {};
  if (entry.includeSelectors) return commonLabels(resources, pairs);
  addMap(resources, [{ path: 'metadata/labels', create: true }, ...(entry.includeTemplates ? TEMPLATE_SPECS('labels') : [])], pairs);
}

/** commonAnnotations: metadata and pod templates. */
export function commonAnnotations(resources: Res[], pairs: Record<string, string>): void {
  addMap(resources, [{ path: 'metadata/annotations', create: true }, ...TEMPLATE_SPECS('annotations')], pairs);
}

/** namespace: metadata.namespace of every namespaceable resource; ServiceAccount subjects of (Cluster)RoleBindings that name the old namespace or none. */
export function setNamespace(resources: Res[], namespace: string): void {
  const sas = new Set(resources.filter((r) => r.obj.kind === 'ServiceAccount').flatMap((r) => r.names));
  for (const r of resources) {
    const kind = String(r.obj.kind);
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      for (const s of (r.obj.subjects as Obj[] | undefined) ?? []) if (s.kind === 'ServiceAccount' && (sas.has(String(s.name)) || s.namespace === 'default')) s.namespace = namespace;
    }
    if (!CLUSTER_KINDS.has(kind)) meta(r.obj).namespace = namespace;
  }
}

/** namePrefix / nameSuffix on every resource but Namespaces, CRDs and APIServices. */
export function prefixSuffix(resources: Res[], prefix: string, suffix: string): void {
  for (const r of resources) {
    if (['Namespace', 'CustomResourceDefinition', 'APIService'].includes(String(r.obj.kind))) continue;
    const name = `${prefix}${nameOf(r.obj)}${suffix}`;
    meta(r.obj).name = name;
    r.names.push(name);
  }
}

export interface ImageEntry {
  name?: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** Splits an image reference into name and its ":tag" / "@digest" tail. */
function splitImage(image: string): [string, string] {
  const at = image.indexOf('@');
  if (at >= 0) return [image.slice(0, at), image.slice(at)];
  const colon = image.lastIndexOf(':');
  if (colon > image.lastIndexOf('/')) return [image.slice(0, colon), image.slice(colon)];
  return [image, ''];
}

/** images: every containers/initContainers image whose name matches gets newName, newTag or digest (a digest replaces the tag). */
export function images(resources: Res[], entries: ImageEntry[]): void {
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node as Obj)) {
      if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
        for (const c of v as Obj[]) if (c && typeof c.image === 'string') c.image = retag(c.image, entries);
      }
      visit(v);
    }
  };
  for (const r of resources) visit(r.obj);
}

function retag(image: string, entries: ImageEntry[]): string {
  const [name, tail] = splitImage(image);
  const e = entries.find((x) => x.name === name);
  if (!e) return image;
  const newName = e.newName || name;
  if (e.digest) return `${newName}@${e.digest}`;
  if (e.newTag) return `${newName}:${e.newTag}`;
  return newName + tail;
}

/** replicas: spec.replicas of the Deployment/ReplicaSet/StatefulSet/ReplicationController with that (any former) name. */
export function replicas(resources: Res[], entries: { name?: string; count?: number }[]): void {
  for (const e of entries)
    for (const r of resources)
      if (['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(String(r.obj.kind)) && r.names.includes(String(e.name))) {
        ((r.obj.spec ??= {}) as Obj).replicas = e.count ?? 0;
      }
}
