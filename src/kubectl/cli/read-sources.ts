import type { CommandContext } from './command-context';
import { RawError } from './errors';
import { kustomizeObjects } from '../commands/kustomize';
import { parseManifests, validateManifest, type Manifest } from '../manifests/parse-manifests';

export interface SourcedManifest {
  obj: Manifest;
  /** The -f name as kubectl reports it: "STDIN" for "-". */
  source: string;
}

/**
 * Loads every -f source in order (or the -k kustomization's build). Throws RawError with kubectl's text on a missing file, a parse
 * error or a failed validation; nothing is returned (so nothing is applied) if any source fails.
 */
export async function readSources(ctx: CommandContext, filenames: string[]): Promise<SourcedManifest[]> {
  const out: SourcedManifest[] = [];
  const kustomization = ctx.str('kustomize');
  if (kustomization) {
    if (filenames.length) throw new RawError('error: only one of -f or -k can be specified');
    return (await kustomizeObjects(ctx, kustomization)).map((obj) => ({ obj: obj as Manifest, source: kustomization }));
  }
  for (const name of filenames) {
    let text: string | undefined;
    let source = name;
    if (name === '-') {
      text = ctx.io.stdin ?? '';
      source = 'STDIN';
    } else if (/^https?:\/\//.test(name)) {
      text = await fetchManifest(ctx, name);
    } else {
      text = ctx.io.readFile ? await ctx.io.readFile(name) : undefined;
      if (text === undefined) {
        const files = await manifestFiles(ctx, name, ctx.bool('recursive'));
        if (!files) throw new RawError(`error: the path "${name}" does not exist`);
        if (!files.length) throw new RawError(`error: error reading [${name}]: recognized file extensions are [.json .yaml .yml]`);
        for (const file of files) out.push(...parseSource((await ctx.io.readFile!(file)) ?? '', file));
        continue;
      }
    }
    out.push(...parseSource(text, source));
  }
  return out;
}

function parseSource(text: string, source: string): SourcedManifest[] {
  const parsed = parseManifests(text, source);
  if (!parsed.ok) throw new RawError(`error: ${parsed.error.message}`);
  return parsed.objects.map((obj) => {
    const invalid = validateManifest(obj, source);
    if (invalid) throw new RawError(`error: ${invalid}`);
    return { obj, source };
  });
}

/** kubectl's FileExtensions for a folder's manifests. */
const MANIFEST_EXTENSIONS = /\.(json|ya?ml)$/;

/**
 * The manifest files of folder dir in kubectl's walk order (names sorted lexically, a sub-folder's files at
 * its place in the order, visited only with -R); undefined when dir is not a folder.
 */
async function manifestFiles(ctx: CommandContext, dir: string, recursive: boolean): Promise<string[] | undefined> {
  const entries = ctx.io.listDir ? await ctx.io.listDir(dir) : undefined;
  if (!entries) return undefined;
  const out: string[] = [];
  for (const e of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = dir.endsWith('/') ? dir + e.name : `${dir}/${e.name}`;
    if (e.dir) {
      if (recursive) out.push(...((await manifestFiles(ctx, path, true)) ?? []));
    } else if (MANIFEST_EXTENSIONS.test(e.name)) out.push(path);
  }
  return out;
}

/**
 * `-f URL`: kubectl's texts for an HTTP failure and for an unreachable server (io.fetchUrl rejects with Go's
 * dial error text: "dial tcp HOST:PORT: connect: connection refused", "dial tcp: lookup HOST: no such host").
 */
async function fetchManifest(ctx: CommandContext, url: string): Promise<string> {
  let res: { status: number; statusText: string; body: string };
  try {
    if (!ctx.io.fetchUrl) throw new Error(`dial tcp: lookup ${hostPort(url).replace(/:\d+$/, '')}: no such host`);
    res = await ctx.io.fetchUrl(url);
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    if (text.endsWith('connect: connection refused')) throw new RawError(`The connection to the server ${hostPort(url)} was refused - did you specify the right host or port?`);
    throw new RawError(`Unable to connect to the server: ${text}`);
  }
  if (res.status !== 200) throw new RawError(`error: unable to read URL "${url}", server reported ${res.status} ${res.statusText}, status code=${res.status}`);
  return res.body;
}

/** host:port of a URL (the scheme's default port when none is given). */
function hostPort(url: string): string {
  const m = /^(https?):\/\/([^/?#]*)/.exec(url);
  const authority = (m?.[2] ?? '').replace(/^.*@/, '');
  return /:\d+$/.test(authority) ? authority : `${authority}:${m?.[1] === 'http' ? 80 : 443}`;
}
