import type { Event } from 'kubernetes-types/core/v1';
import type { Clock } from '../api/clock';
import { rfc3339Micro } from '../api/clock';
import type { Disposable } from '../api/disposable';

/** client-go tools/events: a series' final count is written once it has been quiet this long. */
export const SERIES_FINISH_MS = 6 * 60_000;
/** client-go tools/events: open series are re-written this often. */
export const SERIES_REFRESH_MS = 30 * 60_000;

/** tools/events getKey: type, action, reason, reportingController/Instance, regarding, related (not the note). */
export function isomorphicKey(e: Event): string {
  return JSON.stringify([e.type ?? '', e.action ?? '', e.reason ?? '', e.reportingComponent ?? '', e.reportingInstance ?? '', e.involvedObject, e.related ?? null]);
}

export interface EventSeriesCache extends Disposable {
  /**
   * The events.k8s.io/v1 recorder's isomorphic-event cache: the first event is written as is; the second
   * isomorphic one writes the first with series {count: 2, lastObservedTime}; later ones only bump the cached
   * series, written every SERIES_REFRESH_MS and once more when the series has been quiet SERIES_FINISH_MS
   * (then it is dropped, as is a single event older than SERIES_FINISH_MS, so the next one starts afresh).
   * Returns the event to write now, or undefined. Written events are copies; the cache is never updated
   * from the server's answer.
   */
  observe(ev: Event): Event | undefined;
}

export function createEventSeriesCache(clock: Clock, record: (ev: Event) => void): EventSeriesCache {
  const cache = new Map<string, { ev: Event; last: number }>(); // last: cluster ms of the last occurrence
  let timers: Disposable[] = [];
  let disposed = false;

  const copy = (ev: Event): Event => {
    const out: Event = { ...ev, metadata: { ...ev.metadata } };
    if (ev.series) out.series = { ...ev.series };
    return out;
  };
  const quietSince = (ms: number) => clock.now() - SERIES_FINISH_MS > ms;

  function refresh(): void {
    for (const { ev } of cache.values()) if (ev.series) record(copy(ev));
  }

  function finish(): void {
    for (const [k, { ev, last }] of [...cache]) {
      if (!quietSince(last)) continue;
      if (ev.series) record(copy(ev));
      cache.delete(k);
    }
    if (cache.size === 0) disarm();
  }

  function arm(): void {
    if (timers.length || disposed) return;
    timers = [clock.every(SERIES_REFRESH_MS, refresh), clock.every(SERIES_FINISH_MS, finish)];
  }

  function disarm(): void {
    for (const t of timers) t.dispose();
    timers = [];
  }

  return {
    observe(ev) {
      const key = isomorphicKey(ev);
      const entry = cache.get(key);
      if (entry) {
        const prev = entry.ev;
        entry.last = clock.now();
        const lastObservedTime = rfc3339Micro(entry.last);
        if (prev.series) {
          prev.series = { count: (prev.series.count ?? 1) + 1, lastObservedTime };
          return undefined;
        }
        prev.series = { count: 2, lastObservedTime };
        return copy(prev);
      }
      cache.set(key, { ev, last: clock.now() });
      arm();
      return copy(ev);
    },
    dispose() {
      disposed = true;
      disarm();
      cache.clear();
    },
  };
}
