import type { Event } from 'kubernetes-types/core/v1';
import { humanDuration } from '../../api/duration';
import type { PrefixWriter } from './prefix-writer';

function since(ts: string | undefined, now: number): string {
  if (!ts) return '<unknown>';
  const t = Date.parse(ts);
  return Number.isNaN(t) || t <= 0 ? '<unknown>' : humanDuration(now - t);
}

/** kubectl 1.32's SortableEvents orders by lastTimestamp alone (events.k8s.io events have none, so they sort first). */
function lastTimestamp(e: Event): number {
  return e.lastTimestamp ? Date.parse(e.lastTimestamp) : 0;
}

/** kubectl's DescribeEvents: "Events:  <none>" or a flushed Type/Reason/Age/From/Message table, oldest first. */
export function describeEvents(events: Event[], w: PrefixWriter, now: number): void {
  if (events.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const sorted = [...events].sort((a, b) => lastTimestamp(a) - lastTimestamp(b));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    let interval: string;
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    else interval = first;
    const source = e.source?.component || e.reportingComponent || '';
    w.write(1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${(e.message ?? '').trim()}\n`);
  }
}
