import { base64 } from '../../workers/apiserver/registry/config-strategies';
import { baseName, joinPath, type KustomizeFs } from './kustomize-fs';
import { KustomizeError, type Res } from './kustomize-types';

type Obj = Record<string, unknown>;

export interface GeneratorArgs {
  name?: string;
  namespace?: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
  envs?: string[];
  env?: string;
  type?: string;
  options?: GeneratorOptions;
}

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

/** `k=v` → [k, v]; a value wrapped in one pair of matching quotes loses them (kustomize's parseLiteralSource). */
function literal(source: string): [string, string] {
  const at = source.indexOf('=');
  if (at < 0) throw new KustomizeError(`invalid literal source ${source}, expected key=value`);
  let v = source.slice(at + 1);
  if (v.length >= 2 && ((v[0] === '"' && v.endsWith('"')) || (v[0] === "'" && v.endsWith("'")))) v = v.slice(1, -1);
  return [source.slice(0, at), v];
}

/** An env file: KEY=VALUE lines; blank and # lines skipped; a leading BOM dropped. */
function envFile(text: string, path: string): [string, string][] {
  const out: [string, string][] = [];
  text.replace(/^\uFEFF/, '').split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/^[ \t]+/, '');
    if (!line || line.startsWith('#')) return;
    const at = line.indexOf('=');
    if (at < 0) throw new KustomizeError(`line ${i + 1} has no value: ${line} in ${path}`);
    out.push([line.slice(0, at), line.slice(at + 1)]);
  });
  return out;
}

async function readRequired(fs: KustomizeFs, path: string): Promise<string> {
  const text = await fs.readFile(path);
  if (text === undefined) throw new KustomizeError(`evalsymlink failure on '${path}' : lstat ${path}: no such file or directory`);
  return text;
}

async function keyValues(args: GeneratorArgs, dir: string, fs: KustomizeFs): Promise<[string, string][]> {
  const kv: [string, string][] = [];
  for (const l of args.literals ?? []) kv.push(literal(l));
  for (const f of args.files ?? []) {
    const at = f.indexOf('=');
    const [key, path] = at >= 0 ? [f.slice(0, at), f.slice(at + 1)] : [baseName(f), f];
    kv.push([key, await readRequired(fs, joinPath(dir, path))]);
  }
  for (const e of [...(args.envs ?? []), ...(args.env ? [args.env] : [])]) kv.push(...envFile(await readRequired(fs, joinPath(dir, e)), e));
  return kv;
}

/**
 * A configMapGenerator or secretGenerator entry as kustomize builds it: data from literals, files and env
 * files (Secret values base64), labels/annotations from the global then the entry's options; the hash
 * suffix is added at the end of the top-level build unless disableNameSuffixHash.
 */
export async function generate(kind: 'ConfigMap' | 'Secret', args: GeneratorArgs, global: GeneratorOptions | undefined, dir: string, fs: KustomizeFs): Promise<Res> {
  const name = args.name ?? '';
  const data: Record<string, string> = {};
  for (const [k, v] of await keyValues(args, dir, fs)) {
    if (k in data) throw new KustomizeError(`cannot add key ${k}, another key by that name already exists in ${kind === 'ConfigMap' ? 'configmap' : 'secret'}; ${kind === 'ConfigMap' ? 'configmap' : 'secret'} is ${name}`);
    data[k] = kind === 'Secret' ? base64(v) : v;
  }
  const labels = { ...global?.labels, ...args.options?.labels };
  const annotations = { ...global?.annotations, ...args.options?.annotations };
  const metadata: Obj = { name };
  if (args.namespace) metadata.namespace = args.namespace;
  if (Object.keys(labels).length) metadata.labels = labels;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  const obj: Obj = { apiVersion: 'v1', kind, metadata };
  if (Object.keys(data).length) obj.data = data;
  if (kind === 'Secret') obj.type = args.type || 'Opaque';
  if (args.options?.immutable ?? global?.immutable) obj.immutable = true;
  const noHash = args.options?.disableNameSuffixHash ?? global?.disableNameSuffixHash ?? false;
  return { obj, origName: name, names: [name], hash: !noHash, behavior: args.behavior ?? 'create' };
}
