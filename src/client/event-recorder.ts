import type { Event, ObjectReference } from 'kubernetes-types/core/v1';
import type { Clock } from '../api/clock';
import { rfc3339, rfc3339Micro } from '../api/clock';
import type { IdSource } from '../api/ids';
import { Events } from '../api/resources';
import type { Disposable } from '../api/disposable';
import { ApiError } from '../api/status';
import type { ApiClient } from './api-client';
import { createEventCorrelator } from './event-correlator';
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
   * Records an event. Fire-and-forget: never throws, never rejects; write errors are logged once per recorder.
   * Writes are sent in call order. core/v1 events pass client-go's EventCorrelator (event-correlator.ts):
   * similar events aggregated into "(combined from similar events): …", an identical event PATCHes the first
   * one's count/lastTimestamp/message (recreated under its name and count if it is gone: 404), and a
   * (source, object) beyond 25 events (refill 1 per 5 minutes) is dropped. eventsV1 events follow
   * tools/events instead (event-series.ts): isomorphic events form a series, no aggregation, no spam filter.
   */
  event(obj: EventSubject, type: EventType, reason: string, message: string, fieldPath?: string, opts?: EventOptions): void;
  /** Resolves when every event recorded so far has been written (or failed). For tests and orderly shutdown. */
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
  let lastNanos = 0n;
  let tail: Promise<void> = Promise.resolve();
  let logged = false;

  const logOnce = (err: unknown) => {
    if (logged) return;
    logged = true;
    console.warn(`${source.component}: unable to write event (further errors suppressed):`, err instanceof Error ? err.message : err);
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

  /** Creates ev; a name collision with another recorder is retried once under a fresh name. Returns the name. */
  async function create(ev: Event): Promise<string> {
    try {
      return (await client.create<Event>(Events, ev, ev.metadata?.namespace)).metadata?.name ?? ev.metadata!.name!;
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409)) throw err;
      ev.metadata!.name = nameFor(ev)(clock.now());
      return (await client.create<Event>(Events, ev, ev.metadata?.namespace)).metadata?.name ?? ev.metadata!.name!;
    }
  }

  /** client-go recordEvent: PATCH when there is a patch, and create when there is none or the event is gone (404). */
  async function writeCore(ev: Event, key: string, patch: object | undefined): Promise<void> {
    if (patch) {
      try {
        await client.patch<Event>(Events, ev.metadata!.name!, ev.metadata!.namespace!, 'strategic', patch);
        return;
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    const name = await create(ev);
    correlator.updateState(key, name);
  }

  /** tools/events recordEvent: a series is PATCHed ({series}); created when new or gone (404). */
  async function writeV1(ev: Event): Promise<void> {
    if (ev.series) {
      try {
        await client.patch<Event>(Events, ev.metadata!.name!, ev.metadata!.namespace!, 'strategic', { series: ev.series });
        return;
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    await create(ev);
  }

  const enqueue = (fn: () => Promise<void>) => {
    tail = tail.then(fn).catch(logOnce);
  };
  const series = createEventSeriesCache(clock, (ev) => enqueue(() => writeV1(ev)));

  return {
    event(obj, type, reason, message, fieldPath, opts) {
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
        const out = series.observe(ev);
        if (out) enqueue(() => writeV1(out));
        return;
      }
      const ts = rfc3339(now);
      ev.source = source.host ? { component: source.component, host: source.host } : { component: source.component };
      ev.firstTimestamp = ts;
      ev.lastTimestamp = ts;
      ev.count = 1;
      const c = correlator.correlate(ev, nameFor(ev));
      if (c.skip) return;
      enqueue(() => writeCore(c.event, c.key, c.patch));
    },
    flush() {
      return tail;
    },
    dispose() {
      series.dispose();
    },
  };
}
