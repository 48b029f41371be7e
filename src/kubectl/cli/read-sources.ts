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
    } else {
      text = ctx.io.readFile ? await ctx.io.readFile(name) : undefined;
      if (text === undefined) throw new RawError(`error: the path "${name}" does not exist`);
    }
    const parsed = parseManifests(text, source);
    if (!parsed.ok) throw new RawError(`error: ${parsed.error.message}`);
    for (const obj of parsed.objects) {
      const invalid = validateManifest(obj, source);
      if (invalid) throw new RawError(`error: ${invalid}`);
      out.push({ obj, source });
    }
  }
  return out;
}
