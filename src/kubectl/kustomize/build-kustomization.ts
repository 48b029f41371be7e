import { parseManifests } from '../manifests/parse-manifests';
import { kustomizeHash } from './kustomize-hash';
import { joinPath, type KustomizeFs } from './kustomize-fs';
import { generate, type GeneratorArgs, type GeneratorOptions } from './generators';
import { applyPatch, type PatchEntry, type PatchTarget } from './patches';
import { fixNameReferences } from './name-references';
import { commonAnnotations, commonLabels, images, labels, prefixSuffix, replicas, setNamespace, type ImageEntry } from './transformers';
import { KustomizeError, meta, nameOf, nsOf, type Res } from './kustomize-types';
import { legacyOrder } from './legacy-order';

type Obj = Record<string, unknown>;

interface Kustomization {
  resources?: string[];
  bases?: string[];
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  commonLabels?: Record<string, string>;
  labels?: { pairs?: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  commonAnnotations?: Record<string, string>;
  images?: ImageEntry[];
  replicas?: { name?: string; count?: number }[];
  configMapGenerator?: GeneratorArgs[];
  secretGenerator?: GeneratorArgs[];
  generatorOptions?: GeneratorOptions;
  patches?: PatchEntry[];
  patchesStrategicMerge?: string[];
  patchesJson6902?: (PatchEntry & { target?: PatchTarget })[];
}

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kustomization file of dir, or undefined when dir has none (or is not a directory). */
export async function readKustomization(dir: string, fs: KustomizeFs): Promise<{ path: string; text: string } | undefined> {
  for (const f of KUSTOMIZATION_FILES) {
    const path = joinPath(dir, f);
    const text = await fs.readFile(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

/** Fields kustomize 5.5 warns about, in its order, with its message (printed for every kustomization that has them, on stderr). */
const DEPRECATED: [keyof Kustomization, string][] = [
  ['bases', "# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' to update your Kustomization automatically."],
  ['commonLabels', "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically."],
  ['patchesJson6902', "# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically."],
  ['patchesStrategicMerge', "# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. Run 'kustomize edit fix' to update your Kustomization automatically."],
];

interface BuildState {
  fs: KustomizeFs;
  warnings: string[];
  visiting: string[];
}

function mergeGenerated(resources: Res[], gen: Res): void {
  const i = resources.findIndex((r) => r.obj.kind === gen.obj.kind && r.origName === gen.origName && nsOf(r.obj) === nsOf(gen.obj));
  if (gen.behavior === 'create' || gen.behavior === undefined) {
    if (i >= 0) throw new KustomizeError(`may not add resource with an already registered id: ${gen.obj.kind}.v1.[noGrp]/${gen.origName}.${nsOf(gen.obj) || '[noNs]'}`);
    resources.push(gen);
    return;
  }
  if (i < 0) throw new KustomizeError(`id resid.ResId{Gvk:resid.Gvk{Group:"", Version:"v1", Kind:"${gen.obj.kind}", isClusterScoped:false}, Name:"${gen.origName}", Namespace:"${nsOf(gen.obj)}"} does not exist; cannot merge or replace`);
  const base = resources[i];
  if (gen.behavior === 'replace') {
    meta(gen.obj).name = nameOf(base.obj);
    resources[i] = { ...gen, names: base.names, hash: base.hash && gen.hash };
    return;
  }
  const o = base.obj;
  for (const f of ['data', 'binaryData'] as const) if (gen.obj[f]) o[f] = { ...(o[f] as Obj), ...(gen.obj[f] as Obj) };
  const gm = meta(gen.obj);
  const bm = meta(o);
  if (gm.labels) bm.labels = { ...(bm.labels as Obj), ...(gm.labels as Obj) };
  if (gm.annotations) bm.annotations = { ...(bm.annotations as Obj), ...(gm.annotations as Obj) };
}

async function accumulate(dir: string, st: BuildState): Promise<Res[]> {
  const found = await readKustomization(dir, st.fs);
  if (!found) throw new KustomizeError(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`);
  if (st.visiting.includes(dir)) throw new KustomizeError(`cycle detected: candidate root '${dir}' contains visited root '${st.visiting[st.visiting.length - 1]}'`);
  const parsed = parseManifests(found.text, found.path);
  if (!parsed.ok) throw new KustomizeError(parsed.error.message);
  const k = (parsed.objects[0] ?? {}) as Kustomization;
  for (const [field, text] of DEPRECATED) if (k[field] !== undefined) st.warnings.push(text);
  st.visiting.push(dir);
  let resources: Res[] = [];
  for (const entry of [...(k.bases ?? []), ...(k.resources ?? [])]) {
    const path = joinPath(dir, entry);
    const text = await st.fs.readFile(path);
    if (text !== undefined) {
      const docs = parseManifests(text, path);
      if (!docs.ok) throw new KustomizeError(docs.error.message);
      for (const obj of docs.objects) resources.push({ obj, origName: nameOf(obj), names: [nameOf(obj)], hash: false });
    } else if (await readKustomization(path, st.fs)) {
      resources.push(...(await accumulate(path, st)));
    } else {
      const missing = `evalsymlink failure on '${path}' : lstat ${path}: no such file or directory`;
      throw new KustomizeError(`accumulating resources: accumulation err='accumulating resources from '${entry}': ${missing}': must build at directory: not a valid directory: ${missing}`);
    }
  }
  for (const g of k.configMapGenerator ?? []) mergeGenerated(resources, await generate('ConfigMap', g, k.generatorOptions, dir, st.fs));
  for (const g of k.secretGenerator ?? []) mergeGenerated(resources, await generate('Secret', g, k.generatorOptions, dir, st.fs));
  for (const p of k.patchesStrategicMerge ?? []) {
    const isPath = !p.includes('\n') && (await st.fs.readFile(joinPath(dir, p))) !== undefined;
    resources = await applyPatch(resources, isPath ? { path: p } : { patch: p }, dir, st.fs);
  }
  for (const p of k.patches ?? []) resources = await applyPatch(resources, p, dir, st.fs);
  if (k.namespace) setNamespace(resources, k.namespace);
  if (k.namePrefix || k.nameSuffix) prefixSuffix(resources, k.namePrefix ?? '', k.nameSuffix ?? '');
  if (k.commonLabels) commonLabels(resources, k.commonLabels);
  for (const l of k.labels ?? []) labels(resources, l);
  if (k.commonAnnotations) commonAnnotations(resources, k.commonAnnotations);
  for (const p of k.patchesJson6902 ?? []) resources = await applyPatch(resources, p, dir, st.fs);
  if (k.replicas) replicas(resources, k.replicas);
  if (k.images) images(resources, k.images);
  st.visiting.pop();
  return resources;
}

/**
 * `kustomize build dir` as kubectl 1.32 embeds it (kustomize 5.5): the resources of dir's kustomization
 * (files, and sub-directories built recursively), its generators, patches and transformers in kustomize's
 * order, then the content-hash suffixes of generated ConfigMaps/Secrets, the name back-references, and the
 * legacy kind order. Rejects KustomizeError with kustomize's message; warnings are its deprecation notes.
 */
export async function buildKustomization(dir: string, fs: KustomizeFs): Promise<{ objects: Obj[]; warnings: string[] }> {
  const st: BuildState = { fs, warnings: [], visiting: [] };
  const resources = await accumulate(dir, st);
  for (const r of resources) {
    if (!r.hash) continue;
    const name = `${nameOf(r.obj)}-${kustomizeHash(r.obj)}`;
    meta(r.obj).name = name;
    r.names.push(name);
  }
  fixNameReferences(resources);
  return { objects: legacyOrder(resources.map((r) => r.obj)), warnings: st.warnings };
}
