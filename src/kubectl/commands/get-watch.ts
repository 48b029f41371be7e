import { resourcePath } from '../../api/resources';
import type { WatchEvent } from '../../api/protocol';
import type { CommandContext } from '../cli/command-context';
import { RawError } from '../cli/errors';
import { kindPrefix } from '../resource-mapper';
import { renderTables, type Table } from '../printers/table-printer';
import { RememberingTabwriter } from '../printers/tabwriter';
import { printObjects, type OutputFormat } from '../printers/print-objects';
import type { ResourceRequest } from './resource-args';
import { asTable, TABLE_ACCEPT, tableOptions } from './get-human';
import { flattenList, requestNamespace, selectorQuery } from './get';
import { stopOnAbort } from '../cli/stop-on-abort';

/**
 * kubectl get -w / --watch-only for one resource type. Prints the current state (unless --watch-only),
 * then one flush per watch event: human output prints the header once (with the first printed rows),
 * columns aligned with kubectl's width-remembering tabwriter (never narrower than before); AGE comes from the
 * server at event time. A collection watches from the list's resourceVersion; a named object watches
 * from "0" and skips the synthetic first ADDED. Resolves when io.signal aborts or the server ends the
 * watch; a watch error rejects.
 */
export async function runGetWatch(ctx: CommandContext, requests: ResourceRequest[], format: OutputFormat, human: boolean): Promise<void> {
  if (requests.length !== 1 || requests[0].names.length > 1) throw new RawError('error: you may only specify a single resource type');
  const req = requests[0];
  const name = req.names[0];
  const ns = requestNamespace(ctx, req, name);
  const events = ctx.bool('output-watch-events');
  const accept = human ? TABLE_ACCEPT : undefined;
  const query = name === undefined ? selectorQuery(ctx) : {};
  const initial = await ctx.io.client.call<unknown>({ method: 'GET', path: resourcePath(req.info, ns, name), query: Object.keys(query).length ? query : undefined, accept });

  const opts = { ...tableOptions(ctx, req.info, ctx.bool('show-kind') ? kindPrefix(req.info) : undefined), eventColumn: events };
  let headerShown = !!opts.noHeaders;
  const writer = new RememberingTabwriter();
  let printed = 0;
  const print = (body: unknown, type: string) => {
    if (human) {
      const table = asTable(body, ctx.io.clock.now());
      // kubectl pads the event type to 8 characters (the longest type, MODIFIED/BOOKMARK).
      for (const r of table.rows) r.eventType = type.padEnd(8);
      if (!table.rows.length) return;
      let text = renderTables([table], { ...opts, noHeaders: headerShown });
      if (!headerShown && events) text = text.replace(/^EVENT\t/, 'EVENT   \t');
      headerShown = true;
      ctx.out(writer.flush(text));
      return;
    }
    for (const obj of flattenList(body)) {
      const value = events ? { type, object: obj } : obj;
      const sep = format.format === 'yaml' && printed > 0 ? '---\n' : '';
      ctx.out(sep + printObjects([value], format, true, { noHeaders: ctx.bool('no-headers') || printed > 0 }));
      printed++;
    }
  };
  if (!ctx.bool('watch-only')) print(initial, 'ADDED');
  const rv = name === undefined ? String((initial as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion ?? '0') : '0';
  let skipFirst = name !== undefined;

  await new Promise<void>((resolve, reject) => {
    const watchQuery: Record<string, string> = { ...query, watch: 'true', resourceVersion: rv };
    if (name !== undefined) watchQuery.fieldSelector = `metadata.name=${name}`;
    const sub = ctx.io.client.openStream<WatchEvent<unknown>>(
      { method: 'GET', path: resourcePath(req.info, ns), query: watchQuery, accept },
      (ev) => {
        if (ev.type === 'BOOKMARK') return;
        if (ev.type === 'ERROR') {
          reject(new RawError(`error: ${(ev.object as { message?: string }).message ?? 'watch error'}`));
          return false;
        }
        if (skipFirst) {
          skipFirst = false;
          return;
        }
        print(ev.object as Table, ev.type);
      },
      (err) => (err ? reject(err) : resolve()),
    );
    stopOnAbort(ctx.io.signal, sub, resolve);
  });
}
