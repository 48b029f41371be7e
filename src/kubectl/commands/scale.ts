import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import { flagInt } from '../cli/parse-flags';
import { dryRunMode } from '../apply/apply-targets';
import { kindPrefix } from '../resource-mapper';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { visitObjects } from './visit-objects';

/**
 * kubectl scale --replicas=N (TYPE NAME | TYPE/NAME | -l | --all | -f): a merge patch of spec.replicas
 * on the scale subresource; --current-replicas checks the live count first ("Expected replicas to be
 * X, was Y"). Prints "kind.group/name scaled"; -o prints the object as read before the scale, as kubectl does.
 */
export async function runScale(ctx: CommandContext): Promise<void> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  if (!ctx.flags.set.has('replicas')) throw new RawError('error: required flag(s) "replicas" not set');
  const replicas = flagInt(ctx.flags, 'replicas', -1);
  if (replicas < 0) throw new RawError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (ctx.args.length === 0 && !ctx.list('filename').length) {
    throw new RawError(`error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`);
  }
  const dry = dryRunMode(ctx);
  const { targets, errors } = await visitObjects(ctx, ctx.args);
  const current = ctx.flags.set.has('current-replicas') ? flagInt(ctx.flags, 'current-replicas', -1) : -1;
  for (const t of targets) {
    if (!t.info) continue;
    const live = (t.obj.spec as { replicas?: number } | undefined)?.replicas ?? 0;
    if (current >= 0 && live !== current) {
      errors.push(new RawError(`error: Expected replicas to be ${current}, was ${live}`));
      continue;
    }
    if (!dry.client) {
      await ctx.io.client.call({
        method: 'PATCH',
        path: resourcePath(t.info, t.namespace, t.name, 'scale'),
        body: { spec: { replicas } },
        contentType: 'application/merge-patch+json',
        query: dry.server ? { dryRun: 'All' } : undefined,
      });
    }
    // kubectl prints the object as its builder read it, before scaling (so -o shows the old replicas).
    if (format.format) ctx.out(printObjects([t.obj], format, true));
    else ctx.out(`${kindPrefix(t.info)}/${t.name} scaled${dry.suffix}\n`);
  }
  if (errors.length) throw new ErrorList(errors);
}
