import { resourcePath } from '../../api/resources';
import { listError } from './visit-objects';
import { ApiError } from '../../api/status';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import { flagInt } from '../cli/parse-flags';
import { kindPrefix, type ApiResourceInfo } from '../resource-mapper';
import { resolveResourceArgs } from './resource-args';

const NO_RESOURCES = `error: You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

export const FORCE_WARNING =
  'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n';

interface Victim {
  info: ApiResourceInfo;
  name: string;
  namespace?: string;
  /** The deleted object's UID (from the DELETE response), so a same-named replacement does not count as it. */
  uid?: string;
}

/**
 * kubectl delete: by names, TYPE/NAME, -f, -l or --all. Prints `kind "name" deleted` per object as it
 * goes, then (unless --wait=false) waits until every deleted object is gone, polling once per
 * cluster second and stopping early if io.signal aborts. NotFound errors are collected and reported last.
 */
export async function runDelete(ctx: CommandContext): Promise<void> {
  const all = ctx.bool('all');
  const selector = ctx.str('selector');
  if (ctx.args.length === 0 && ctx.list('filename').length === 0) throw new RawError(NO_RESOURCES);
  const { requests } = await resolveResourceArgs(ctx, ctx.args);
  const named = requests.some((r) => r.names.length > 0);
  if (!named && !all && !selector && !ctx.str('field-selector') && !ctx.list('filename').length) {
    throw new RawError(`error: resource(s) were provided, but no name was specified`);
  }
  let grace = ctx.flags.set.has('grace-period') ? flagInt(ctx.flags, 'grace-period', -1) : -1;
  const force = ctx.bool('force');
  if (ctx.bool('now')) grace = 1;
  if (grace === 0 && !force) grace = 1;
  if (force && grace < 0) grace = 0;
  if (grace === 0 && force) ctx.err(FORCE_WARNING);
  const allNs = ctx.bool('all-namespaces');
  const victims: Victim[] = [];
  const errors: unknown[] = [];
  for (const req of requests) {
    const ns = req.info.namespaced ? (req.namespace ?? ctx.namespace) : undefined;
    if (req.names.length) {
      for (const name of req.names) victims.push({ info: req.info, name, namespace: ns });
      continue;
    }
    const query: Record<string, string> = {};
    if (selector) query.labelSelector = selector;
    if (ctx.str('field-selector')) query.fieldSelector = ctx.str('field-selector');
    const list = await ctx.io.client
      .call<{ items: { metadata: { name: string; namespace?: string } }[] }>({
        method: 'GET',
        path: resourcePath(req.info, allNs ? undefined : ns),
        query: Object.keys(query).length ? query : undefined,
      })
      .catch((err: unknown) => {
        throw listError(err, req.info, query);
      });
    for (const item of list.items) victims.push({ info: req.info, name: item.metadata.name, namespace: item.metadata.namespace });
  }
  if (victims.length === 0 && !named) {
    ctx.out('No resources found\n');
    return;
  }
  const dryRun = ctx.str('dry-run', 'none');
  const suffix = dryRun === 'server' ? ' (server dry run)' : dryRun === 'client' || dryRun === 'unchanged' ? ' (dry run)' : '';
  const gone: Victim[] = [];
  for (const v of victims) {
    try {
      if (dryRun !== 'client' && dryRun !== 'unchanged') {
        const body: { propagationPolicy: string; gracePeriodSeconds?: number } = { propagationPolicy: cascadePolicy(ctx) };
        if (grace >= 0) body.gracePeriodSeconds = grace;
        const res = await ctx.io.client.call<{ kind?: string; metadata?: { uid?: string } }>({ method: 'DELETE', path: resourcePath(v.info, v.namespace, v.name), body, query: dryRun === 'server' ? { dryRun: 'All' } : undefined });
        if (res?.kind !== 'Status') v.uid = res?.metadata?.uid;
      }
      const kind = kindPrefix(v.info);
      if (ctx.str('output') === 'name') ctx.out(`${kind}/${v.name}\n`);
      else ctx.out(`${kind} "${v.name}" ${grace === 0 ? 'force deleted' : 'deleted'}${suffix}\n`);
      gone.push(v);
    } catch (err) {
      if (err instanceof ApiError && err.code === 404 && ctx.bool('ignore-not-found')) continue;
      errors.push(err);
    }
  }
  const wait = !ctx.flags.set.has('wait') || ctx.bool('wait');
  if (wait && !suffix) await waitGone(ctx, gone);
  if (errors.length) throw new ErrorList(errors);
}

function cascadePolicy(ctx: CommandContext): string {
  const c = ctx.str('cascade', 'background');
  if (c === 'orphan' || c === 'false') return 'Orphan';
  if (c === 'foreground') return 'Foreground';
  return 'Background';
}

async function waitGone(ctx: CommandContext, victims: Victim[]): Promise<void> {
  for (const v of victims) {
    for (;;) {
      if (ctx.io.signal?.aborted) return;
      const res = await ctx.io.client.raw({ method: 'GET', path: resourcePath(v.info, v.namespace, v.name) });
      if (res.status === 404) break;
      // As kubectl's wait --for=delete: an object of the same name but another UID (a StatefulSet's
      // replacement pod) means the deleted one is gone.
      const uid = (res.body as { metadata?: { uid?: string } } | undefined)?.metadata?.uid;
      if (v.uid && uid && uid !== v.uid) break;
      await ctx.io.clock.sleep(1000);
    }
  }
}
