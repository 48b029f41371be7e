import type { Node } from 'kubernetes-types/core/v1';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { dryRunFlag } from '../cli/commands-table';
import { dryRunMode } from '../apply/apply-targets';
import type { CommandDef } from '../cli/commands-table';
import { visitObjects } from './visit-objects';

export const cordonFlags: FlagSpec[] = [dryRunFlag, { name: 'selector', short: 'l', type: 'string' }];

/**
 * The nodes a cordon/uncordon/drain command names: NODE… (also node/NODE) or -l. "USAGE: <cmd> NODE
 * [flags]" without either; NotFound errors come back in `errors` for the caller to report last.
 */
export async function visitNodes(ctx: CommandContext, cmd: string): Promise<{ nodes: Node[]; errors: unknown[] }> {
  if (!ctx.args.length && !ctx.str('selector')) throw new RawError(`error: USAGE: ${cmd} NODE [flags]\nSee 'kubectl ${cmd} -h' for help and examples`);
  const args = ctx.args.length ? (ctx.args.some((a) => a.includes('/')) ? ctx.args : ['nodes', ...ctx.args]) : ['nodes'];
  const { targets, errors } = await visitObjects(ctx, args);
  return { nodes: targets.map((t) => t.obj as Node), errors };
}

/**
 * kubectl's CordonHelper: sets spec.unschedulable with a strategic merge patch (null to clear) unless it
 * already has the desired value. Prints "node/x cordoned|uncordoned[ (dry run)]" or "node/x already …".
 */
export async function cordonNode(ctx: CommandContext, node: Node, desired: boolean, verb: string): Promise<void> {
  const dry = dryRunMode(ctx);
  const name = node.metadata?.name ?? '';
  if (!!node.spec?.unschedulable === desired) {
    ctx.out(`node/${name} already ${verb}${dry.suffix}\n`);
    return;
  }
  if (!dry.client) {
    await ctx.io.client.call({
      method: 'PATCH',
      path: `/api/v1/nodes/${name}`,
      body: { spec: { unschedulable: desired ? true : null } },
      contentType: 'application/strategic-merge-patch+json',
      query: dry.server ? { dryRun: 'All' } : undefined,
    });
  }
  ctx.out(`node/${name} ${verb}${dry.suffix}\n`);
}

function cordonCommand(name: 'cordon' | 'uncordon'): CommandDef {
  const desired = name === 'cordon';
  return {
    name,
    short: desired ? 'Mark node as unschedulable' : 'Mark node as schedulable',
    usage: `kubectl ${name} NODE [options]`,
    flags: cordonFlags,
    async run(ctx) {
      const { nodes, errors } = await visitNodes(ctx, name);
      for (const node of nodes) {
        try {
          await cordonNode(ctx, node, desired, `${name}ed`);
        } catch (err) {
          errors.push(err);
        }
      }
      if (errors.length) throw new ErrorList(errors);
    },
  };
}

export const cordonCommands: CommandDef[] = [cordonCommand('cordon'), cordonCommand('uncordon')];
