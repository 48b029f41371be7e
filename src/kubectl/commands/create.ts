import { fieldValidation } from '../cli/field-validation';
import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { addSourceToErr, ErrorList, RawError } from '../cli/errors';
import { dryRunMode, loadApplyTargets } from '../apply/apply-targets';
import { kindPrefix } from '../resource-mapper';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { withLastApplied } from './apply';

/** kubectl create -f: POST every object in order ("kind/name created"); errors collected, reported at the end. */
export async function runCreate(ctx: CommandContext): Promise<void> {
  if (ctx.args.length) throw new RawError(`error: Unexpected args: [${ctx.args.join(' ')}]\nSee 'kubectl create -h' for help and examples`);
  const output = ctx.str('output');
  const format = checkOutputFormat(output, ctx.str('template'));
  const targets = await loadApplyTargets(ctx, 'create');
  const dry = dryRunMode(ctx);
  const validation = fieldValidation(ctx);
  const errors: unknown[] = [];
  for (const t of targets) {
    const body = ctx.bool('save-config') ? withLastApplied(t.obj) : t.obj;
    try {
      const result = dry.client
        ? body
        : await ctx.io.client.call<Record<string, unknown>>({
            method: 'POST',
            path: resourcePath(t.info, t.namespace),
            body,
            query: { fieldManager: 'kubectl-create', fieldValidation: validation, ...(dry.server ? { dryRun: 'All' } : {}) },
          });
      if (output) ctx.out(printObjects([result], format, true));
      else ctx.out(`${kindPrefix(t.info)}/${(result.metadata as { name?: string })?.name ?? ''} created${dry.suffix}\n`);
    } catch (err) {
      errors.push(addSourceToErr('creating', t.source, err));
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ErrorList(errors);
}
