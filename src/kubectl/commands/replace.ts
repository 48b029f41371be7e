import { fieldValidation } from '../cli/field-validation';
import { resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { addSourceToErr, ErrorList } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { dryRunMode, loadApplyTargets } from '../apply/apply-targets';
import { kindPrefix } from '../resource-mapper';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { fileFlags, printFlags, dryRunFlag } from '../cli/commands-table';

export const replaceFlags: FlagSpec[] = [
  ...fileFlags, ...printFlags, dryRunFlag, { name: 'force', type: 'bool' }, { name: 'grace-period', type: 'int' }, { name: 'cascade', type: 'string', noOptDefault: 'background' },
  { name: 'timeout', type: 'string' }, { name: 'wait', type: 'bool' }, { name: 'validate', type: 'string' }, { name: 'save-config', type: 'bool' },
  { name: 'field-manager', type: 'string' }, { name: 'raw', type: 'string' }, { name: 'subresource', type: 'string' },
];

/**
 * kubectl replace -f: PUT every object as given ("kind/name replaced"); --force deletes then creates
 * ("kind "name" deleted" then "kind/name replaced"). Errors carry the source ("error when replacing").
 */
export async function runReplace(ctx: CommandContext): Promise<void> {
  const format = checkOutputFormat(ctx.str('output'), ctx.str('template'));
  const targets = await loadApplyTargets(ctx, 'replace');
  const dry = dryRunMode(ctx);
  const query = { fieldManager: ctx.str('field-manager') || 'kubectl-replace', fieldValidation: fieldValidation(ctx), ...(dry.server ? { dryRun: 'All' } : {}) };
  const errors: unknown[] = [];
  for (const t of targets) {
    const name = String(t.obj.metadata?.name ?? '');
    try {
      let result: Record<string, unknown> = t.obj;
      if (ctx.bool('force') && !dry.client) {
        await ctx.io.client.call({ method: 'DELETE', path: resourcePath(t.info, t.namespace, name), query: dry.server ? { dryRun: 'All' } : undefined });
        ctx.out(`${kindPrefix(t.info)} "${name}" deleted\n`);
        result = await ctx.io.client.call({ method: 'POST', path: resourcePath(t.info, t.namespace), body: t.obj, query });
      } else if (!dry.client) {
        result = await ctx.io.client.call({ method: 'PUT', path: resourcePath(t.info, t.namespace, name), body: t.obj, query });
      }
      if (format.format) ctx.out(printObjects([result], format, true));
      else ctx.out(`${kindPrefix(t.info)}/${name} replaced${dry.suffix}\n`);
    } catch (err) {
      errors.push(addSourceToErr('replacing', t.source, err));
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ErrorList(errors);
}
