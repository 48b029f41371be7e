import { resourcePath } from '../../api/resources';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import type { CommandDef } from '../cli/commands-table';
import { formatError, SilentExit } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { loadApplyTargets, type ApplyTarget } from '../apply/apply-targets';
import { checkServerSideFlags, serverSideApply } from '../apply/server-side-apply';
import { unifiedDiff } from '../apply/unified-diff';
import { toGoYaml } from '../printers/go-yaml';
import { applyOne } from './apply';

const flags: FlagSpec[] = [
  { name: 'filename', short: 'f', type: 'stringSlice' },
  { name: 'recursive', short: 'R', type: 'bool' },
  { name: 'kustomize', short: 'k', type: 'string' },
  { name: 'server-side', type: 'bool' },
  { name: 'force-conflicts', type: 'bool' },
  { name: 'field-manager', type: 'string' },
  { name: 'show-managed-fields', type: 'bool' },
  { name: 'prune', type: 'bool' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'concurrency', type: 'int' },
];

type Obj = Record<string, unknown>;

/** diff's file name for an object: [group.]version.Kind.namespace.name. */
function fileName(t: ApplyTarget): string {
  return `${t.info.group ? `${t.info.group}.` : ''}${t.info.version}.${t.info.kind}.${t.namespace ?? ''}.${t.obj.metadata?.name ?? ''}`;
}

function yamlOf(obj: Obj | undefined, showManaged: boolean): string | undefined {
  if (!obj) return undefined;
  if (showManaged) return toGoYaml(obj);
  const { managedFields: _m, ...meta } = (obj.metadata as Obj) ?? {};
  return toGoYaml({ ...obj, metadata: meta });
}

function fileTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000000 +0000`;
}

async function liveObject(ctx: CommandContext, t: ApplyTarget): Promise<Obj | undefined> {
  const res = await ctx.io.client.raw({ method: 'GET', path: resourcePath(t.info, t.namespace, t.obj.metadata?.name ?? '') });
  if (res.status === 404) return undefined;
  if (res.status >= 200 && res.status < 300) return res.body as Obj;
  throw new ApiError(res.status, res.body as never);
}

/**
 * kubectl diff -f: per object the live version and the version apply would produce (computed by the
 * server with dryRun=All: client-side apply's patch, or server-side apply with --server-side), both as
 * YAML without managedFields, compared as `diff -u -N LIVE-dir MERGED-dir` does. Exit 0: no differences;
 * 1: differences (printed); 2: an error (printed as kubectl prints errors).
 */
export async function runDiff(ctx: CommandContext): Promise<void> {
  try {
    checkServerSideFlags(ctx, { client: false });
    const targets = await loadApplyTargets(ctx, 'diff');
    const now = ctx.io.clock.now();
    const suffix = String(Math.floor(now % 1_000_000_000));
    const files: { name: string; live?: string; merged?: string }[] = [];
    const show = ctx.bool('show-managed-fields');
    for (const t of targets) {
      const live = await liveObject(ctx, t);
      const merged = ctx.bool('server-side') ? await serverSideApply(ctx, t, true) : (await applyOne(ctx, t, { server: true, client: false }, false)).result;
      files.push({ name: fileName(t), live: yamlOf(live, show), merged: yamlOf(merged, show) });
    }
    files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let out = '';
    for (const f of files) {
      const time = fileTime(now);
      out += unifiedDiff({ path: `/tmp/LIVE-${suffix}/${f.name}`, text: f.live, time }, { path: `/tmp/MERGED-${suffix}/${f.name}`, text: f.merged, time });
    }
    ctx.out(out);
    if (out) throw new SilentExit(1);
  } catch (err) {
    if (err instanceof SilentExit) throw err;
    ctx.err(formatError(err));
    throw new SilentExit(2);
  }
}

export const diffCommand: CommandDef = {
  name: 'diff',
  short: 'Diff the live version against a would-be applied version.',
  usage: 'kubectl diff -f FILENAME [options]',
  flags,
  run: runDiff,
};
