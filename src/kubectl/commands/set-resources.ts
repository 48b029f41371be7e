import { parseQuantity, QuantityFormatError } from '../../api/quantity';
import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import type { FlagSpec } from '../cli/parse-flags';
import { dryRunFlag, fileFlags, printFlags } from '../cli/commands-table';
import { editPodTemplates, matchContainer } from './pod-template-edit';

export const setResourcesFlags: FlagSpec[] = [
  ...fileFlags, ...printFlags, dryRunFlag, { name: 'containers', short: 'c', type: 'string' }, { name: 'limits', type: 'string' },
  { name: 'requests', type: 'string' }, { name: 'local', type: 'bool' }, { name: 'all', type: 'bool' }, { name: 'field-manager', type: 'string' },
  { name: 'selector', short: 'l', type: 'string' }, { name: 'all-namespaces', short: 'A', type: 'bool' }, { name: 'record', type: 'bool' },
];

/** kubectl's HandleResourceRequirements for one flag: "cpu=100m,memory=64Mi" → a ResourceList (quantities validated). */
export function parseResourceList(spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!spec) return out;
  for (const part of spec.split(',')) {
    const kv = part.split('=');
    if (kv.length !== 2) throw new RawError(`error: Invalid argument syntax ${part}, expected <resource>=<value>`);
    try {
      parseQuantity(kv[1]);
    } catch (err) {
      if (err instanceof QuantityFormatError) throw new RawError(`error: ${err.message}`);
      throw err;
    }
    out[kv[0]] = kv[1];
  }
  return out;
}

/**
 * kubectl set resources (TYPE NAME | -l | --all | -f) [--limits=…] [--requests=…] [-c glob]: merges the
 * given limits and requests into every selected container (init containers too); prints
 * "kind.group/name resource requirements updated" for each changed object.
 */
export async function runSetResources(ctx: CommandContext): Promise<void> {
  if (ctx.bool('all') && ctx.str('selector')) throw new RawError('error: cannot set --all and --selector at the same time');
  if (!ctx.args.length && !ctx.list('filename').length) {
    throw new RawError(
      `error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`,
    );
  }
  const limitsFlag = ctx.str('limits');
  const requestsFlag = ctx.str('requests');
  if (!limitsFlag && !requestsFlag) throw new RawError('error: you must specify an update to requests or limits (in the form of --requests/--limits)');
  const limits = parseResourceList(limitsFlag);
  const requests = parseResourceList(requestsFlag);
  const selector = ctx.str('containers') || '*';
  await editPodTemplates(ctx, ctx.args, 'resource requirements updated', (spec) => {
    const selected = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter((c) => matchContainer(selector, c.name));
    if (!selected.length) throw new RawError(`error: unable to find container named ${selector}`);
    for (const c of selected) {
      const r = (c.resources ??= {});
      if (limitsFlag) r.limits = { ...r.limits, ...limits };
      if (requestsFlag) r.requests = { ...r.requests, ...requests };
    }
  });
}
