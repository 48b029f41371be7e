import type { CommandDef } from '../cli/commands-table';
import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import { buildKustomization, KustomizeError } from '../kustomize';
import { toGoYaml } from '../printers/go-yaml';

type Obj = Record<string, unknown>;

/**
 * Builds the kustomization in dir through io.readFile; kustomize's deprecation warnings go to stderr.
 * Throws RawError `error: <kustomize message>` on a failed build.
 */
export async function kustomizeObjects(ctx: CommandContext, dir: string): Promise<Obj[]> {
  const read = ctx.io.readFile;
  try {
    const { objects, warnings } = await buildKustomization(dir, { readFile: (p) => read?.(p) });
    for (const w of warnings) ctx.err(`${w}\n`);
    return objects;
  } catch (err) {
    if (err instanceof KustomizeError) throw new RawError(`error: ${err.message}`);
    throw err;
  }
}

/** `kubectl kustomize [DIR]`: the build as YAML documents separated by `---`, or to -o FILE (not supported here). */
export const kustomizeCommand: CommandDef = {
  name: 'kustomize',
  short: 'Build a kustomization target from a directory or URL',
  usage: 'kubectl kustomize <dir> [flags] [options]',
  flags: [
    { name: 'output', short: 'o', type: 'string' },
    { name: 'enable-helm', type: 'bool' },
    { name: 'enable-alpha-plugins', type: 'bool' },
    { name: 'enable-exec', type: 'bool' },
    { name: 'load-restrictor', type: 'string' },
    { name: 'reorder', type: 'string' },
    { name: 'env', short: 'e', type: 'stringSlice' },
    { name: 'helm-command', type: 'string' },
    { name: 'mount', type: 'stringSlice' },
    { name: 'network', type: 'bool' },
  ],
  async run(ctx) {
    if (ctx.args.length > 1) throw new RawError('error: specify one path to a kustomization directory');
    const objects = await kustomizeObjects(ctx, ctx.args[0] ?? '.');
    ctx.out(objects.map((o) => toGoYaml(o)).join('---\n'));
  },
};
