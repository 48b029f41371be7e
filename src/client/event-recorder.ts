import type { Event, ObjectReference } from 'kubernetes-types/core/v1';
import type { Clock } from '../api/clock';
import { rfc3339, rfc3339Micro } from '../api/clock';
import type { IdSource } from '../api/ids';
import { Events } from '../api/resources';
import type { Disposable } from '../api/disposable';
import { ApiError } from '../api/status';
import type { ApiClient } from './api-client';
import { createEventCorrelator } from './event-correlator';
import { CORE_RETRY_DELAY, EVENT_MAX_QUEUED, V1_RETRY_DELAY, createEventWriteRetrier, triageWriteError, type RetryDelay, type WriteFailure } from './event-recorder-retry';
import { createEventSeriesCache } from './event-series';

export type EventType = 'Normal' | 'Warning';

/** The object an event is about: anything with kind and metadata (apiVersion is inferred for built-in kinds). */
export interface EventSubject {
  kind?: string;
  apiVersion?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string };
}

export interface EventSource {
  component: string;
  host?: string;
  /** reportingInstance; defaults to host (kube-scheduler uses "default-scheduler-<hostname>"). */
  instance?: string;
}

export interface EventOptions {
  /** events.k8s.io "action" (kube-scheduler writes "Binding" for Scheduled, "Scheduling" for FailedScheduling). */
  action?: string;
  /**
   * Write the event as the events.k8s.io/v1 recorder does (kube-scheduler): eventTime (MicroTime), action,
   * reportingComponent/reportingInstance, and no source, firstTimestamp, lastTimestamp or count. Repeats (same
   * type, action, reason, reporter and object, whatever the message) form a series {count, lastObservedTime}.
   */
  eventsV1?: boolean;
}

export interface EventRecorder {
  /**
   * Records an event. Fire-and-forget: never throws, never rejects. Writes are sent one at a time in call order;
   * a write that fails without an answer from the server (transport error) is retried as client-go does
   * (event-recorder-retry.ts: up to 12 attempts, 10 s of cluster time apart, the first sleep of core/v1 events
   * randomized), holding back the later ones; a refusal by the server (any ApiError) is final. While the
   * apiserver is unreachable, new events beyond 1000 waiting writes are dropped. Write errors are logged once per outage (re-armed by a successful
   * write), and so is the first event dropped after its last attempt. core/v1 events pass client-go's EventCorrelator (event-correlator.ts):
   * similar events aggregated into "(combined from similar events): …", an identical event PATCHes the first
   * one's count/lastTimestamp/message (recreated under its name and count if it is gone: 404), and a
   * (source, object) beyond 25 events (refill 1 per 5 minutes) is dropped. eventsV1 events follow
   * tools/events instead (event-series.ts): isomorphic events form a series, no aggregation, no spam filter.
   */
  event(obj: EventSubject, type: EventType, reason: string, message: string, fieldPath?: string, opts?: EventOptions): void;
  /**
   * Resolves when every event recorded so far has been written or given up (after its retries: a FakeClock must
   * be advanced past them). For tests and orderly shutdown; dispose() ends the retries' sleeps at once.
   */
  flush(): Promise<void>;
}

const BUILTIN_API_VERSIONS: Record<string, string> = {
  Pod: 'v1', Node: 'v1', Namespace: 'v1', Service: 'v1', ConfigMap: 'v1', Secret: 'v1', Endpoints: 'v1',
  PersistentVolume: 'v1', PersistentVolumeClaim: 'v1', ServiceAccount: 'v1', ReplicationController: 'v1',
  Deployment: 'apps/v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1',
  Job: 'batch/v1', CronJob: 'batch/v1',
};

/** Builds the involvedObject reference client-go's GetReference would produce. */
export function objectReference(obj: EventSubject, fieldPath?: string): ObjectReference {
  const ref: ObjectReference = {};
  if (obj.kind) ref.kind = obj.kind;
  const apiVersion = obj.apiVersion ?? (obj.kind ? BUILTIN_API_VERSIONS[obj.kind] : undefined);
  if (apiVersion) ref.apiVersion = apiVersion;
  const m = obj.metadata ?? {};
  if (m.name !== undefined) ref.name = m.name;
  if (m.namespace) ref.namespace = m.namespace;
  if (m.uid) ref.uid = m.uid;
  if (m.resourceVersion) ref.resourceVersion = m.resourceVersion;
  if (fieldPath) ref.fieldPath = fieldPath;
  return ref;
}

export function createEventRecorder(client: ApiClient, clock: Clock, ids: IdSource, source: EventSource): EventRecorder & Disposable {
  const correlator = createEventCorrelator(clock);
  const retrier = createEventWriteRetrier(clock, ids);
  let lastNanos = 0n;
  let tail: Promise<void> = Promise.resolve();
  let queued = 0;
  // One warning per outage: the first failure, and the first event dropped after EVENT_MAX_TRIES; both re-armed by a successful write.
  let failureLogged = false;
  let exhaustedLogged = false;
  // A write failed without an answer from the server and none succeeded since: the apiserver is unreachable.
  let outage = false;
  const describe = (err: unknown) => (err instanceof Error ? err.message : err);

  const onFailure = (err: unknown, f: WriteFailure) => {
    if (f.retry) outage = true;
    if (f.quiet || failureLogged) return;
    failureLogged = true;
    const what = f.retry ? 'may retry after sleeping' : 'will not retry';
    console.warn(`${source.component}: unable to write event (${what}; further errors suppressed):`, describe(err));
  };
  const onOutcome = (outcome: string) => {
    if (outcome === 'written') failureLogged = exhaustedLogged = outage = false;
    if (outcome !== 'exhausted' || exhaustedLogged) return;
    exhaustedLogged = true;
    console.warn(`${source.component}: unable to write event (retry limit exceeded!); the event is dropped (further drops suppressed)`);
  };

  /**
   * The name suffix is the event time in nanoseconds (client-go: UnixNano). Cluster time has millisecond
   * resolution, so the sub-millisecond part is random (recorders of different components must not collide)
   * and bumped past the previous value (events of one recorder stay in order).
   */
  const nextNanos = (ms: number) => {
    const [a, b, c] = ids.bytes(3);
    let n = BigInt(Math.floor(ms)) * 1_000_000n + BigInt(((a << 16) | (b << 8) | c) % 1_000_000);
    if (n <= lastNanos) n = lastNanos + 1n;
    lastNanos = n;
    return n;
  };
  const nameFor = (ev: Event) => (ms: number) => `${ev.involvedObject.name ?? ''}.${nextNanos(ms).toString(16)}`;

  /**
   * Creates ev. A fresh event's name colliding with another recorder's (renameOnConflict) is retried once under
   * a fresh name; otherwise AlreadyExists is the caller's to triage. Returns the name.
   */
  async function create(ev: Event, renameOnConflict: boolean): Promise<string> {
    try {
      return (await client.create<Event>(Events, ev, ev.metadata?.namespace)).metadata?.name ?? ev.metadata!.name!;
    } catch (err) {
      if (!(renameOnConflict && err instanceof ApiError && err.code === 409)) throw err;
      ev.metadata!.name = nameFor(ev)(clock.now());
      return (await client.create<Event>(Events, ev, ev.metadata?.namespace)).metadata?.name ?? ev.metadata!.name!;
    }
  }

  /** PATCHes ev when patch is given: true when done, false when the event is gone (404: the caller creates it). */
  async function patchExisting(ev: Event, patch: object): Promise<boolean> {
    try {
      await client.patch<Event>(Events, ev.metadata!.name!, ev.metadata!.namespace!, 'strategic', patch);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return false;
      throw err;
    }
  }

  /** client-go record recordEvent: PATCH when there is a patch, and create when there is none or the event is gone (404). */
  async function writeCore(ev: Event, key: string, patch: object | undefined, first: boolean): Promise<void> {
    if (patch && (await patchExisting(ev, patch))) return;
    const name = await create(ev, first && !patch);
    correlator.updateState(key, name);
  }

  /** tools/events recordEvent: a series is PATCHed ({series}); created when new or gone (404). */
  async function writeV1(ev: Event, first: boolean): Promise<void> {
    if (ev.series && (await patchExisting(ev, { series: ev.series }))) return;
    await create(ev, first && !ev.series);
  }

  /**
   * Queues a write (one at a time, in call order: a write being retried holds back the later ones, as client-go
   * record's sink loop does). `write(first)` is one attempt. `retries`: client-go's retry loop, else one attempt
   * (tools/events' series refresh and finish writes). `series`: AlreadyExists is retried (tools/events).
   */
  const enqueue = (write: (first: boolean) => Promise<void>, delay: RetryDelay, series = false, retries = true) => {
    queued++;
    tail = tail
      .then(async () => {
        let first = true;
        const attempt = () => write(first).finally(() => void (first = false));
        const triage = (err: unknown) => {
          const f = triageWriteError(err, series);
          return retries ? f : { ...f, retry: false };
        };
        onOutcome(await retrier.run(attempt, triage, delay, onFailure));
      })
      .catch((err) => onFailure(err, { retry: false, quiet: false }))
      .finally(() => void queued--);
  };
  /**
   * client-go's broadcaster queue holds EVENT_MAX_QUEUED events and drops new ones (before correlation) when full,
   * which happens when the sink loop is stuck retrying. Our writes are sequential even when healthy (client-go's
   * tools/events writes concurrently), so the bound applies only during an outage.
   */
  const full = () => outage && queued >= EVENT_MAX_QUEUED;
  const seriesCache = createEventSeriesCache(clock, (ev) => enqueue((first) => writeV1(ev, first), V1_RETRY_DELAY, !!ev.series, false));

  return {
    event(obj, type, reason, message, fieldPath, opts) {
      if (full()) return;
      const now = clock.now();
      const ref = objectReference(obj, fieldPath);
      const namespace = ref.namespace || 'default';
      const ev: Event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: '', namespace },
        involvedObject: ref,
        reason,
        message,
        type,
        reportingComponent: source.component,
        reportingInstance: source.instance ?? source.host ?? '',
      };
      if (opts?.action) ev.action = opts.action;
      ev.metadata!.name = nameFor(ev)(now);
      if (opts?.eventsV1) {
        ev.eventTime = rfc3339Micro(now);
        const out = seriesCache.observe(ev);
        if (out) enqueue((first) => writeV1(out, first), V1_RETRY_DELAY, !!out.series);
        return;
      }
      const ts = rfc3339(now);
      ev.source = source.host ? { component: source.component, host: source.host } : { component: source.component };
      ev.firstTimestamp = ts;
      ev.lastTimestamp = ts;
      ev.count = 1;
      const c = correlator.correlate(ev, nameFor(ev));
      if (c.skip) return;
      enqueue((first) => writeCore(c.event, c.key, c.patch, first), CORE_RETRY_DELAY);
    },
    flush() {
      return tail;
    },
    dispose() {
      seriesCache.dispose();
      retrier.dispose();
    },
  };
}
