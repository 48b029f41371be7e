import type { Event, Pod } from 'kubernetes-types/core/v1';
import { Events, Pods, resourcePath } from '../../api/resources';
import type { CommandContext } from '../cli/command-context';
import { ErrorList, RawError } from '../cli/errors';
import { describePod } from '../describe/describe-pod';
import { resolveResourceArgs } from './resource-args';

/**
 * kubectl describe TYPE NAME… / TYPE/NAME / TYPE (all in the namespace): pods only for now. Several
 * objects are separated by a blank line, as kubectl does. Events are listed with the field selector
 * involvedObject.name=…,involvedObject.namespace=…,involvedObject.uid=….
 */
export async function runDescribe(ctx: CommandContext): Promise<void> {
  if (ctx.args.length === 0 && ctx.list('filename').length === 0) {
    throw new RawError('error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.');
  }
  const { requests } = await resolveResourceArgs(ctx, ctx.args);
  const showEvents = !ctx.flags.set.has('show-events') || ctx.bool('show-events');
  const errors: unknown[] = [];
  let first = true;
  for (const req of requests) {
    if (req.info.group !== '' || req.info.resource !== 'pods') throw new RawError(`error: describe is not supported yet for ${req.info.resource}`);
    const ns = req.namespace ?? ctx.namespace;
    let pods: Pod[];
    if (req.names.length) {
      pods = [];
      for (const name of req.names) {
        try {
          pods.push(await ctx.io.client.call<Pod>({ method: 'GET', path: resourcePath(Pods, ns, name) }));
        } catch (err) {
          errors.push(err);
        }
      }
    } else {
      const query: Record<string, string> = {};
      if (ctx.str('selector')) query.labelSelector = ctx.str('selector');
      const list = await ctx.io.client.call<{ items: Pod[] }>({ method: 'GET', path: resourcePath(Pods, ctx.bool('all-namespaces') ? undefined : ns), query });
      pods = list.items;
      if (pods.length === 0 && errors.length === 0) ctx.err(`No resources found in ${ns} namespace.\n`);
    }
    for (const pod of pods) {
      let events: Event[] | undefined;
      if (showEvents) {
        const m = pod.metadata ?? {};
        const fieldSelector = `involvedObject.name=${m.name},involvedObject.namespace=${m.namespace},involvedObject.uid=${m.uid}`;
        const list = await ctx.io.client
          .call<{ items: Event[] }>({ method: 'GET', path: resourcePath(Events, m.namespace), query: { fieldSelector } })
          .catch(() => ({ items: [] as Event[] }));
        events = list.items;
      }
      ctx.out((first ? '' : '\n\n') + describePod(pod, events, ctx.io.clock.now()));
      first = false;
    }
  }
  if (errors.length) throw new ErrorList(errors);
}
