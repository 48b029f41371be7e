import { parseAllDocuments } from 'yaml';
import { parseLabelSelector } from '../../api/label-selector';
import { applyJsonPatch, type PatchError } from '../../workers/apiserver/patch/json-patch';
import { kyamlMerge } from './kyaml-merge';
import { joinPath, type KustomizeFs } from './kustomize-fs';
import { groupOf, KustomizeError, nameOf, nsOf, versionOf, type Res } from './kustomize-types';

type Obj = Record<string, unknown>;
type Json = Parameters<typeof applyJsonPatch>[0];

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface PatchEntry {
  path?: string;
  patch?: string;
  target?: PatchTarget;
}

const anchored = (re: string, value: string) => new RegExp(`^(?:${re})$`).test(value);

function selects(t: PatchTarget, r: Res): boolean {
  const o = r.obj;
  if (t.group !== undefined && t.group !== '' && groupOf(o) !== t.group) return false;
  if (t.version && versionOf(o) !== t.version) return false;
  if (t.kind && !anchored(t.kind, String(o.kind))) return false;
  if (t.name && !r.names.some((n) => anchored(t.name!, n))) return false;
  if (t.namespace && !anchored(t.namespace, nsOf(o))) return false;
  const md = (o.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  if (t.labelSelector && !parseLabelSelector(t.labelSelector).matches(md.labels ?? {})) return false;
  if (t.annotationSelector && !parseLabelSelector(t.annotationSelector).matches(md.annotations ?? {})) return false;
  return true;
}

async function patchText(p: PatchEntry, dir: string, fs: KustomizeFs): Promise<string> {
  if (p.patch !== undefined) return p.patch;
  if (!p.path) throw new KustomizeError('must specify one of patch and path in patches');
  const text = await fs.readFile(joinPath(dir, p.path));
  if (text === undefined) throw new KustomizeError(`trouble configuring builtin PatchTransformer with config: \`\npath: ${p.path}\n\`: failed to get the patch file from path(${p.path}): evalsymlink failure on '${joinPath(dir, p.path)}' : lstat ${joinPath(dir, p.path)}: no such file or directory`);
  return text;
}

function smpId(patch: Obj): string {
  const md = (patch.metadata ?? {}) as { name?: string; namespace?: string };
  return `${patch.kind}.${versionOf(patch)}.${groupOf(patch) || '[noGrp]'}/${md.name ?? ''}.${md.namespace || '[noNs]'}`;
}

/**
 * One `patches` entry (or a patchesStrategicMerge / patchesJson6902 one): a YAML list is a JSON 6902 patch
 * for the target's resources; a map (or several documents) is a strategic merge patch, for the target's
 * resources or, without target, for the resource with its kind and (former) name. `$patch: delete` at the
 * top removes the resources. Errors: no target for a JSON patch, no resource for an untargeted patch.
 */
export async function applyPatch(resources: Res[], p: PatchEntry, dir: string, fs: KustomizeFs): Promise<Res[]> {
  const text = await patchText(p, dir, fs);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown).filter((d) => d !== null && d !== undefined);
  if (docs.length === 1 && Array.isArray(docs[0])) {
    if (!p.target) throw new KustomizeError('unable to apply JSON6902 patch: no target');
    for (const r of resources.filter((x) => selects(p.target!, x))) {
      try {
        r.obj = applyJsonPatch(r.obj as Json, docs[0] as Json) as Obj;
      } catch (err) {
        throw new KustomizeError(`unable to apply JSON6902 patch: ${(err as PatchError).message}`);
      }
    }
    return resources;
  }
  for (const doc of docs as Obj[]) {
    let matched: Res[];
    if (p.target) matched = resources.filter((x) => selects(p.target!, x));
    else {
      const name = nameOf(doc);
      const ns = nsOf(doc);
      matched = resources.filter((x) => x.obj.kind === doc.kind && x.names.includes(name) && (!ns || nsOf(x.obj) === ns) && (!doc.apiVersion || x.obj.apiVersion === doc.apiVersion));
      if (!matched.length) throw new KustomizeError(`no resource matches strategic merge patch "${smpId(doc)}"`);
    }
    if (doc.$patch === 'delete') {
      resources = resources.filter((x) => !matched.includes(x));
      continue;
    }
    for (const r of matched) {
      const body = structuredClone(doc);
      const md = (body.metadata ?? {}) as Obj;
      delete md.name;
      delete md.namespace;
      if (p.target) delete body.kind, delete body.apiVersion;
      r.obj = kyamlMerge(r.obj, body) as Obj;
    }
  }
  return resources;
}
