import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import { dryRunMode } from '../apply/apply-targets';
import { kindPrefix } from '../resource-mapper';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { visitObjects, type KubeObj } from './visit-objects';

type Mode = 'label' | 'annotate';

/** Splits arguments into resources and key=value / key- updates (kubectl's parseLabels). */
function parseUpdates(args: string[], mode: Mode): { resources: string[]; set: Record<string, string>; remove: string[] } {
  const resources: string[] = [];
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const a of args) {
    if (a.includes('=')) {
      const parts = a.split('=');
      if (mode === 'label' && parts.length !== 2) throw new RawError(`error: invalid label spec: ${a}`);
      set[parts[0]] = a.slice(parts[0].length + 1);
    } else if (a.endsWith('-')) remove.push(a.slice(0, -1));
    else resources.push(a);
  }
  for (const r of remove) if (Object.hasOwn(set, r)) throw new RawError(`error: can not both modify and remove ${mode === 'label' ? 'a label' : 'an annotation'} in the same command`);
  return { resources, set, remove };
}

/**
 * kubectl label / annotate: adds, overwrites (--overwrite) and removes (key-) labels or annotations on
 * objects by name, -l, --all or -f (--local: print only). Sends a JSON merge patch of the metadata
 * change; prints "kind/name labeled|not labeled|unlabeled" (annotate: always "annotated").
 */
export async function runLabel(ctx: CommandContext, mode: Mode): Promise<void> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  const field = mode === 'label' ? 'labels' : 'annotations';
  const { resources, set, remove } = parseUpdates(ctx.args, mode);
  if (!Object.keys(set).length && !remove.length && !ctx.bool('list')) throw new RawError(`error: at least one ${mode === 'label' ? 'label' : 'annotation'} update is required`);
  if (!resources.length && !ctx.list('filename').length) {
    throw new RawError(`error: one or more resources must be specified as <resource> <name> or <resource>/<name>`);
  }
  const local = ctx.bool('local');
  const dry = dryRunMode(ctx);
  const { targets, errors } = await visitObjects(ctx, resources, { local });
  for (const t of targets) {
    const current = { ...((t.obj.metadata?.[field] as Record<string, string> | undefined) ?? {}) };
    if (!ctx.bool('overwrite')) {
      const clashes = Object.entries(set)
        .filter(([k, v]) => Object.hasOwn(current, k) && current[k] !== v)
        .map(([k]) => `'${k}' already has a value (${current[k]})`);
      if (clashes.length && mode === 'label') throw new RawError(clashes.map((c) => `error: ${c}, and --overwrite is false`).join('\n'));
      if (clashes.length) throw new RawError(`error: --overwrite is false but found the following declared annotation(s): ${clashes.join('; ')}`);
    }
    const next = { ...current, ...set };
    for (const r of remove) delete next[r];
    const oldJson = JSON.stringify(t.obj);
    const updated: KubeObj = { ...t.obj, metadata: { ...t.obj.metadata, [field]: next } };
    const changed = JSON.stringify(updated) !== oldJson;
    let result: KubeObj = updated;
    if (!local && !dry.client && t.info) {
      for (const r of remove) if (!Object.hasOwn(current, r)) ctx.out(`${mode === 'label' ? 'label' : 'annotation'} "${r}" not found.\n`);
      const patch: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(set)) if (current[k] !== v) patch[k] = v;
      for (const r of remove) if (Object.hasOwn(current, r)) patch[r] = null;
      const body = Object.keys(patch).length ? { metadata: { [field]: patch } } : {};
      result = await ctx.io.client.call<KubeObj>({
        method: 'PATCH',
        path: resourcePath(t.info, t.namespace, t.name),
        body,
        contentType: 'application/merge-patch+json',
        query: { fieldManager: ctx.str('field-manager') || `kubectl-${mode}`, ...(dry.server ? { dryRun: 'All' } : {}) },
      });
    }
    if (format.format) {
      ctx.out(printObjects([result], format, true));
      continue;
    }
    let msg = 'annotated';
    if (mode === 'label') msg = !changed ? 'not labeled' : !ctx.bool('overwrite') && JSON.stringify(updated).length < oldJson.length ? 'unlabeled' : 'labeled';
    ctx.out(`${kindPrefix({ kind: t.kind, group: t.group })}/${t.name} ${msg}${dry.suffix}\n`);
  }
  if (errors.length) throw new ErrorList(errors);
}
