import type { Event, ObjectReference } from 'kubernetes-types/core/v1';
import type { Clock } from '../api/clock';
import { rfc3339, rfc3339Micro } from '../api/clock';
import type { IdSource } from '../api/ids';
import { Events } from '../api/resources';
import { ApiError } from '../api/status';
import type { ApiClient } from './api-client';

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
   * reportingComponent/reportingInstance, and no source, firstTimestamp, lastTimestamp or count. Repeats are
   * aggregated into series {count, lastObservedTime} instead of count.
   */
  eventsV1?: boolean;
}

export interface EventRecorder {
  /**
   * Records an event. Fire-and-forget: never throws, never rejects; write errors are logged once per recorder.
   * Writes are sent in call order. An event identical to one already recorded (same source, object, fieldPath,
   * type, reason, message) PATCHes that event's count/lastTimestamp instead of creating another, as client-go's
   * EventCorrelator does; if that event is gone (404) a new one is created.
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

/** client-go's eventLogger cache size (an LRU of the last distinct events). */
const CACHE_SIZE = 4096;

interface Observed {
  name: string;
  namespace: string;
  count: number;
  firstTimestamp: string;
}

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

export function createEventRecorder(client: ApiClient, clock: Clock, ids: IdSource, source: EventSource): EventRecorder {
  const seen = new Map<string, Observed>(); // insertion order = LRU order
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

  const remember = (key: string, o: Observed) => {
    seen.delete(key);
    seen.set(key, o);
    if (seen.size > CACHE_SIZE) seen.delete(seen.keys().next().value as string);
  };

  async function write(key: string, ev: Event): Promise<void> {
    const prev = seen.get(key);
    if (prev) {
      const count = prev.count + 1;
      const patch = ev.eventTime
        ? { series: { count, lastObservedTime: ev.eventTime } }
        : { count, lastTimestamp: ev.lastTimestamp, message: ev.message };
      try {
        await client.patch<Event>(Events, prev.name, prev.namespace, 'strategic', patch);
        remember(key, { ...prev, count });
        return;
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
        seen.delete(key);
      }
    }
    let created: Event;
    try {
      created = await client.create<Event>(Events, ev, ev.metadata?.namespace);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409)) throw err;
      // A name collision with another recorder: one retry under a fresh name.
      ev.metadata!.name = `${ev.involvedObject.name ?? ''}.${nextNanos(clock.now()).toString(16)}`;
      created = await client.create<Event>(Events, ev, ev.metadata?.namespace);
    }
    remember(key, { name: created.metadata?.name ?? ev.metadata!.name!, namespace: ev.metadata!.namespace!, count: 1, firstTimestamp: ev.firstTimestamp ?? '' });
  }

  return {
    event(obj, type, reason, message, fieldPath, opts) {
      const now = clock.now();
      const ref = objectReference(obj, fieldPath);
      const namespace = ref.namespace || 'default';
      const ts = rfc3339(now);
      const ev: Event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${ref.name ?? ''}.${nextNanos(now).toString(16)}`, namespace },
        involvedObject: ref,
        reason,
        message,
        type,
        reportingComponent: source.component,
        reportingInstance: source.instance ?? source.host ?? '',
      };
      if (opts?.action) ev.action = opts.action;
      if (opts?.eventsV1) {
        ev.eventTime = rfc3339Micro(now);
      } else {
        ev.source = source.host ? { component: source.component, host: source.host } : { component: source.component };
        ev.firstTimestamp = ts;
        ev.lastTimestamp = ts;
        ev.count = 1;
      }
      const key = JSON.stringify([!!opts?.eventsV1, opts?.action ?? '', source.component, source.host ?? '', ref.kind, ref.namespace, ref.name, ref.fieldPath, ref.uid, ref.apiVersion, type, reason, message]);
      tail = tail.then(() => write(key, ev)).catch(logOnce);
    },
    flush() {
      return tail;
    },
  };
}
