import type { Event } from 'kubernetes-types/core/v1';
import type { Clock } from '../api/clock';
import { rfc3339 } from '../api/clock';

/** client-go record: maxLruCacheEntries, the size of each of the correlator's three LRU caches. */
export const EVENT_CACHE_SIZE = 4096;
/** Events alike but for the message, seen this many distinct times within the interval, are aggregated. */
export const AGGREGATE_MAX_EVENTS = 10;
export const AGGREGATE_INTERVAL_MS = 600_000;
/** Token bucket per (source, involvedObject): burst 25, refilled at one event every 5 minutes. */
export const SPAM_BURST = 25;
export const SPAM_QPS = 1 / 300;
export const AGGREGATE_MESSAGE_PREFIX = '(combined from similar events): ';

/** A Map in recency order holding at most `size` entries; get() and set() make an entry the most recent. */
export class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(readonly size: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.delete(key);
    this.map.set(key, v);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as string);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  get length(): number {
    return this.map.size;
  }
}

/** A token bucket (golang.org/x/time/rate as client-go's flowcontrol uses it): starts full, refills qps per second. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(private readonly qps: number, private readonly burst: number, now: number) {
    this.tokens = burst;
    this.last = now;
  }
  tryAccept(now: number): boolean {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

// The keys are client-go's: the parts joined with no separator.
const src = (e: Event) => [e.source?.component ?? '', e.source?.host ?? ''];
const obj = (e: Event) => [e.involvedObject.kind ?? '', e.involvedObject.namespace ?? '', e.involvedObject.name ?? ''];

/** getEventKey: source, involvedObject (with fieldPath), type, reason, message. */
export function eventKey(e: Event): string {
  const o = e.involvedObject;
  return [...src(e), ...obj(e), o.fieldPath ?? '', o.uid ?? '', o.apiVersion ?? '', e.type ?? '', e.reason ?? '', e.message ?? ''].join('');
}

/** getSpamKey: source and involvedObject (without fieldPath). */
export function spamKey(e: Event): string {
  const o = e.involvedObject;
  return [...src(e), ...obj(e), o.uid ?? '', o.apiVersion ?? ''].join('');
}

/** EventAggregatorByReasonFunc's aggregate key: source, involvedObject, type, reason, reportingController/Instance. */
export function aggregateKey(e: Event): string {
  const o = e.involvedObject;
  return [...src(e), ...obj(e), o.uid ?? '', o.apiVersion ?? '', e.type ?? '', e.reason ?? '', e.reportingComponent ?? '', e.reportingInstance ?? ''].join('');
}

interface AggregateRecord {
  localKeys: Set<string>;
  last: number;
}

/** What the logger remembers of an event already written: where it is and how often it occurred. */
export interface EventLog {
  name: string;
  count: number;
  firstTimestamp: string;
}

export type Correlation =
  | { skip: true }
  /** `patch` set: PATCH (strategic) the event named event.metadata.name; on 404 create `event` instead. */
  | { skip: false; event: Event; key: string; patch?: { count: number; lastTimestamp: string; message: string } };

export interface EventCorrelator {
  /**
   * client-go EventCorrelate, in its order: aggregate (the 10th distinct message of alike events within 10
   * minutes becomes one "(combined from similar events): …" event keyed by the aggregate key), then observe
   * (a repeat of a cached key becomes a count/lastTimestamp/message patch of the event first written, and the
   * count is recorded even if the event is then dropped), then the spam filter (drops the event when the
   * (source, object) token bucket is empty). `newName(ms)` names a fresh aggregate event.
   */
  correlate(ev: Event, newName: (ms: number) => string): Correlation;
  /** The server's state after a write (client-go UpdateState): the name the event was written under. */
  updateState(key: string, name: string): void;
}

export function createEventCorrelator(clock: Clock): EventCorrelator {
  const aggregates = new LruCache<AggregateRecord>(EVENT_CACHE_SIZE);
  const logs = new LruCache<EventLog>(EVENT_CACHE_SIZE);
  const spam = new LruCache<TokenBucket>(EVENT_CACHE_SIZE);

  function aggregate(ev: Event, newName: (ms: number) => string): { ev: Event; key: string } {
    const now = clock.now();
    const full = eventKey(ev);
    const aKey = aggregateKey(ev);
    let rec = aggregates.get(aKey);
    if (!rec || now - rec.last > AGGREGATE_INTERVAL_MS) rec = { localKeys: new Set(), last: now };
    rec.localKeys.add(ev.message ?? '');
    rec.last = now;
    aggregates.set(aKey, rec);
    if (rec.localKeys.size < AGGREGATE_MAX_EVENTS) return { ev, key: full };
    rec.localKeys.delete(rec.localKeys.values().next().value as string);
    const ts = rfc3339(now);
    const combined: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: newName(now), namespace: ev.metadata?.namespace },
      involvedObject: ev.involvedObject,
      reason: ev.reason,
      message: AGGREGATE_MESSAGE_PREFIX + (ev.message ?? ''),
      type: ev.type,
      count: 1,
      firstTimestamp: ts,
      lastTimestamp: ts,
    };
    if (ev.source) combined.source = ev.source;
    return { ev: combined, key: aKey };
  }

  return {
    correlate(input, newName) {
      const { ev, key } = aggregate(input, newName);
      const prev = logs.get(key);
      let out = ev;
      let patch: { count: number; lastTimestamp: string; message: string } | undefined;
      if (prev) {
        const count = prev.count + 1;
        out = { ...ev, metadata: { ...ev.metadata, name: prev.name }, firstTimestamp: prev.firstTimestamp, count };
        patch = { count, lastTimestamp: out.lastTimestamp ?? '', message: out.message ?? '' };
      }
      logs.set(key, { name: out.metadata!.name!, count: out.count ?? 1, firstTimestamp: out.firstTimestamp ?? '' });
      const sKey = spamKey(out);
      const now = clock.now();
      let bucket = spam.get(sKey);
      if (!bucket) bucket = new TokenBucket(SPAM_QPS, SPAM_BURST, now);
      spam.set(sKey, bucket);
      if (!bucket.tryAccept(now)) return { skip: true };
      return { skip: false, event: out, key, patch };
    },
    updateState(key, name) {
      const prev = logs.get(key);
      if (prev) prev.name = name;
    },
  };
}
