import type { Event } from 'kubernetes-types/core/v1';
import { humanDuration } from '../../api/duration';
import type { CommandDef } from '../cli/commands-table';
import type { CommandContext } from '../cli/command-context';
import { NoResourceMatchError, RawError } from '../cli/errors';
import { checkOutputFormat, printObjects } from '../printers/print-objects';
import { tableTabOptions, tabwrite } from '../printers/tabwriter';
import type { ResourceMapper } from '../resource-mapper';
import { typedEvent } from './typed-event';
import { stopOnAbort } from '../cli/stop-on-abort';

/** --for's resource: an unknown type is kubectl's bare `the server doesn't have a resource type` (no "error: "). */
function resolveOrRaw(mapper: ResourceMapper, resource: string) {
  try {
    return mapper.resolve(resource);
  } catch (err) {
    if (err instanceof NoResourceMatchError) throw new RawError(`the server doesn't have a resource type "${resource.toLowerCase()}"`);
    throw err;
  }
}

const since = (ts: string | undefined, now: number): string => {
  const t = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(t) || t <= 0 ? '<unknown>' : humanDuration(now - t);
};

/** kubectl events' LAST SEEN: "<age of last> (xN over <age of first>)" for repeated events, else the first's age. */
function interval(e: Event, now: number): string {
  const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
  if (e.series) return `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
  if ((e.count ?? 0) > 1) return `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  return first;
}

/** kubectl 1.32.5 prints cells as they are (a newline in a message ends the tabwriter's block). */
const cell = (s: string | undefined): string => s ?? '';

/** The time kubectl events sorts by: series.lastObservedTime, else lastTimestamp, else eventTime. */
function sortTime(e: Event): number {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

function rows(events: Event[], allNamespaces: boolean, header: boolean, now: number): string {
  let text = header ? `${allNamespaces ? 'NAMESPACE\t' : ''}LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n` : '';
  for (const e of events) {
    text += `${allNamespaces ? `${e.metadata?.namespace ?? ''}\t` : ''}${interval(e, now)}\t${cell(e.type)}\t${cell(e.reason)}\t${cell(e.involvedObject?.kind)}/${cell(e.involvedObject?.name)}\t${cell((e.message ?? '').trim())}\n`;
  }
  return tabwrite(text, tableTabOptions);
}

/**
 * kubectl 1.32's `events`: lists core/v1 events (of -n, or -A), optionally only those --for TYPE/NAME
 * (involvedObject.kind and name field selectors) and of --types (Normal, Warning; any case), sorted by
 * time (stable), in its LAST SEEN / TYPE / REASON / OBJECT / MESSAGE table or -o. -w watches instead of
 * listing (the server's initial ADDED events first), printing each event as it comes (each flush aligned on
 * its own, as Go's tabwriter does) until io.signal aborts; DELETED events are not printed.
 */
async function runEvents(ctx: CommandContext): Promise<void> {
  const types = [...new Set(ctx.list('types'))].sort();
  for (const t of types) if (t.toLowerCase() !== 'normal' && t.toLowerCase() !== 'warning') throw new RawError('error: valid --types are Normal or Warning');
  const all = ctx.bool('all-namespaces');
  const output = ctx.str('output');
  const format = output ? checkOutputFormat(output, ctx.str('template')) : undefined;
  const mapper = await ctx.mapper();
  let fieldSelector: string | undefined;
  const forObject = ctx.str('for');
  if (forObject) {
    if (!forObject.includes('/')) throw new RawError('error: --for must be in resource/name form');
    const seg = forObject.split('/');
    if (seg.length !== 2) throw new RawError('error: arguments in resource/name form may not have more than one slash');
    const target = resolveOrRaw(mapper, seg[0]);
    fieldSelector = `involvedObject.kind=${target.kind},involvedObject.apiVersion=${target.group ? `${target.group}/` : ''}${target.version},involvedObject.name=${seg[1]}`;
  }
  const info = mapper.resolve('events');
  const ref = info.group === '' ? info : mapper.forKind('v1', 'Event') ?? info;
  const namespace = all ? undefined : ctx.namespace;
  const wanted = (e: Event) => !types.length || types.some((t) => t.toLowerCase() === (e.type ?? '').toLowerCase());
  const showMf = ctx.bool('show-managed-fields');
  const withKind = (e: Event): Event => typedEvent(e as unknown as Record<string, unknown>, showMf) as unknown as Event;
  const noHeaders = ctx.bool('no-headers');
  // kubectl's name printer prints nothing for the EventList it is given.
  const printFormatted = (o: Record<string, unknown>) => (format?.format === 'name' ? '' : printObjects([o], format!, true, { typed: true, showManagedFields: true }));
  if (ctx.bool('watch')) return watchEvents(ctx, ref, namespace, fieldSelector, (e) => wanted(e), (e, first) => {
    if (format) ctx.out(printFormatted(withKind(e) as unknown as Record<string, unknown>));
    else ctx.out(rows([e], all, first && !noHeaders, ctx.io.clock.now()));
  });
  const items: Event[] = [];
  let cont: string | undefined;
  do {
    const page = await ctx.io.client.list<Event>(ref, namespace, { limit: 500, fieldSelector, continue: cont });
    items.push(...page.items);
    cont = page.metadata.continue || undefined;
  } while (cont);
  const events = items.filter(wanted).map(withKind);
  if (!events.length) {
    ctx.err(all ? 'No events found.\n' : `No events found in ${ctx.namespace} namespace.\n`);
    return;
  }
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => sortTime(a.e) - sortTime(b.e) || a.i - b.i).map((x) => x.e);
  if (format) ctx.out(printFormatted({ kind: 'EventList', apiVersion: 'v1', metadata: {}, items: sorted }));
  else ctx.out(rows(sorted, all, !noHeaders, ctx.io.clock.now()));
}

function watchEvents(
  ctx: CommandContext,
  ref: Parameters<CommandContext['io']['client']['watch']>[0],
  namespace: string | undefined,
  fieldSelector: string | undefined,
  wanted: (e: Event) => boolean,
  print: (e: Event, first: boolean) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let first = true;
    const sub = ctx.io.client.watch<Event>(ref, namespace, { fieldSelector }, {
      onEvent: (ev) => {
        if (ev.type === 'DELETED' || ev.type === 'BOOKMARK' || !wanted(ev.object)) return;
        print(ev.object, first);
        first = false;
      },
      onClose: (err) => (err ? reject(err) : resolve()),
    });
    stopOnAbort(ctx.io.signal, sub, resolve);
  });
}

export const eventsCommand: CommandDef = {
  name: 'events',
  short: 'List events',
  usage: 'kubectl events [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file] [--for TYPE/NAME] [--watch] [--event=Normal,Warning]',
  flags: [
    { name: 'watch', short: 'w', type: 'bool' },
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'for', type: 'string' },
    { name: 'types', type: 'stringSlice' },
    { name: 'no-headers', type: 'bool' },
    { name: 'chunk-size', type: 'int' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'template', type: 'string' },
    { name: 'allow-missing-template-keys', type: 'bool' },
    { name: 'show-managed-fields', type: 'bool' },
  ],
  run: runEvents,
};
