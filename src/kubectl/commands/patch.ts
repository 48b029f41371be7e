import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import { dryRunMode } from '../apply/apply-targets';
import { kindPrefix } from '../resource-mapper';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { visitObjects } from './visit-objects';
import { yamlToJsonValue } from '../manifests/parse-manifests';

const CONTENT_TYPES: Record<string, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/**
 * The patch as the JSON text kubectl sends (apimachinery's yaml.ToJSON): text starting with `{` (after white
 * space) as it is, even when it is not JSON, so the server answers malformed input; anything else converted from
 * YAML, failing with kubectl's `unable to parse "<--patch>": yaml: …` (it quotes the flag, empty with --patch-file).
 */
function patchBody(text: string, flag: string): string {
  if (/^[\s\u0085\u00a0]*\{/.test(text)) return text;
  const r = yamlToJsonValue(text);
  if (!r.ok) throw new RawError(`error: unable to parse ${JSON.stringify(flag)}: ${r.message}`);
  return JSON.stringify(r.value);
}

/**
 * kubectl patch (TYPE NAME | TYPE/NAME | -f) -p PATCH [--type strategic|merge|json]: the patch may be
 * JSON or YAML and is sent as JSON text (patchBody; the request body is that string); prints
 * "kind/name patched", or "patched (no change)" when the server returned the object unchanged.
 */
export async function runPatch(ctx: CommandContext): Promise<void> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  const type = ctx.str('type') || 'strategic';
  if (!CONTENT_TYPES[type]) throw new RawError(`error: --type must be one of [json merge strategic], not "${type}"`);
  let text = ctx.str('patch');
  if (ctx.str('patch-file')) {
    const file = await ctx.io.readFile?.(ctx.str('patch-file'));
    if (file === undefined) throw new RawError(`error: unable to read patch file: open ${ctx.str('patch-file')}: no such file or directory`);
    text = file;
  }
  if (!text) throw new RawError('error: must specify --patch or --patch-file containing the contents of the patch');
  const body = patchBody(text, ctx.str('patch'));
  if (ctx.bool('local')) throw new RawError('error: --local is not supported yet by this kubectl');
  const dry = dryRunMode(ctx);
  const { targets, errors } = await visitObjects(ctx, ctx.args);
  for (const t of targets) {
    if (!t.info) continue;
    const patched = await ctx.io.client.call<Record<string, unknown>>({
      method: 'PATCH',
      path: resourcePath(t.info, t.namespace, t.name, ctx.str('subresource') || undefined),
      body,
      contentType: CONTENT_TYPES[type],
      query: { fieldManager: ctx.str('field-manager') || 'kubectl-patch', ...(dry.server || dry.client ? { dryRun: 'All' } : {}) },
    });
    if (format.format) {
      ctx.out(printObjects([patched], format, true));
      continue;
    }
    const changed = JSON.stringify(patched) !== JSON.stringify(t.obj);
    ctx.out(`${kindPrefix(t.info)}/${t.name} patched${changed ? '' : ' (no change)'}${dry.suffix}\n`);
  }
  if (errors.length) throw new ErrorList(errors);
}
