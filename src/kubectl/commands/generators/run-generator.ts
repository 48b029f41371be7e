import { resourcePath } from '../../../api/resources';
import { ApiError } from '../../../api/status';
import { RawError } from '../../cli/errors';
import type { CommandContext } from '../../cli/command-context';
import { dryRunMode } from '../../apply/apply-targets';
import { kindPrefix } from '../../resource-mapper';
import { checkOutputFormat, printObjects } from '../../printers/print-objects';
import { hasTypedOrder, typedOrder } from '../../printers/typed-order';
import { withLastApplied } from '../apply';
import type { Generator } from './generator';

/**
 * Builds the generator's object and creates it (POST with fieldManager kubectl-<command>), or with
 * --dry-run=client only prints it; an API error of the POST gets gen.createError before it; prints "kind.group/name created[ (dry run)]" or the object with -o
 * (nothing with print=false, as `run --attach`). With typedClient (kubectl create's typed clients; run's is
 * dynamic) -o json prints the server's answer in its kind's Go struct order (printers/typed-order). Resolves with the created object.
 */
export async function runGenerator(ctx: CommandContext, gen: Generator, fieldManager = 'kubectl-create', print = true, typedClient = false): Promise<Record<string, unknown>> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  const dry = dryRunMode(ctx);
  let obj = await gen.build(ctx, ctx.args[0] ?? '');
  if (ctx.bool('save-config')) obj = withLastApplied(obj);
  const kind = String(obj.kind);
  const ref = { ...gen.resource, kind };
  const result = dry.client
    ? obj
    : await ctx.io.client
        .call<Record<string, unknown>>({
          method: 'POST',
          path: resourcePath(ref, gen.resource.namespaced ? ctx.namespace : undefined),
          body: obj,
          query: { fieldManager: ctx.str('field-manager') || fieldManager, fieldValidation: 'Strict', ...(dry.server ? { dryRun: 'All' } : {}) },
        })
        .catch((err: unknown) => {
          throw gen.createError && err instanceof ApiError ? new RawError(`error: ${gen.createError}${err.message}`) : err;
        });
  if (!print) return result;
  const typed = typedClient && hasTypedOrder(kind);
  const shown = typed ? (typedOrder(result, kind) as Record<string, unknown>) : result;
  if (format.format) ctx.out(printObjects([shown], format, true, { typed: dry.client || typed }));
  else ctx.out(`${kindPrefix(ref)}/${(result.metadata as { name?: string }).name ?? ''} created${dry.suffix}\n`);
  return result;
}
