import type { StreamOpen, WatchEvent, WatchEventType } from '../../../api/protocol';
import { DisposableStore } from '../../../api/disposable';
import { groupVersion } from '../../../api/resources';
import type { StoreError, StoreEvent } from '../../../storage/store';
import type { ApiContext, ResourceRequest } from '../context';
import { badRequest, expired } from '../errors';
import { decodeFor, decodeKv, keyPrefix, withTypeMeta } from '../object-codec';
import { outputKind } from '../printers/table';
import { sharedProbe, type Probe } from '../shared-decodes';
import type { KubeObject, ResourceStrategy } from '../registry/strategy';
import { predicateFor, type Predicate } from '../selection';
import { renderObject } from './respond';

/** How often a watch with allowWatchBookmarks=true gets a BOOKMARK (kube-apiserver: about once a minute). */
export const BOOKMARK_INTERVAL_MS = 60_000;

/**
 * Translates one store event into the watch event this watcher sees, as kube's watch cache does with a
 * selector: an object that starts matching is ADDED, one that stops matching is DELETED (with its new
 * state), a deleted object is DELETED with resourceVersion = the deletion's revision. Selectors are checked
 * on `probe`'s shared decodes; the emitted object is this watcher's own decode, or with `shared` (every
 * consumer gets a structured clone of what it is sent, as over postMessage) the probe's shared one.
 */
export function translate(ev: StoreEvent, predicate: Predicate, s?: ResourceStrategy, probe?: Probe, shared = false): { type: WatchEventType; obj: KubeObject } | undefined {
  // A deletion's kv carries the deletion's revision as modRevision, so the probe's decode is the same object.
  const decode = shared && probe ? (kv: StoreEvent['kv']) => probe(kv) : (kv: StoreEvent['kv'], rev?: number) => (s ? decodeFor(s, kv, rev) : decodeKv(kv, rev));
  // An empty predicate matches every state: nothing is decoded only to be checked.
  if (predicate.empty) return { type: ev.type === 'DELETE' ? 'DELETED' : ev.prevKv ? 'MODIFIED' : 'ADDED', obj: decode(ev.kv, ev.kv.modRevision) };
  const check = probe ?? ((kv: StoreEvent['kv']) => decode(kv));
  if (ev.type === 'DELETE') return predicate.matches(check(ev.kv)) ? { type: 'DELETED', obj: decode(ev.kv, ev.kv.modRevision) } : undefined;
  const curMatch = predicate.matches(check(ev.kv));
  if (!ev.prevKv) return curMatch ? { type: 'ADDED', obj: decode(ev.kv) } : undefined;
  const prevMatch = predicate.matches(check(ev.prevKv));
  if (curMatch && prevMatch) return { type: 'MODIFIED', obj: decode(ev.kv) };
  if (curMatch) return { type: 'ADDED', obj: decode(ev.kv) };
  if (prevMatch) return { type: 'DELETED', obj: decode(ev.kv) };
  return undefined;
}

/** The JSON of withTypeMeta(s, obj), once per object: the objects are the shared, never-changed probe decodes. */
const encoded = new WeakMap<KubeObject, string>();
function objectJson(s: ResourceStrategy, obj: KubeObject): string {
  let json = encoded.get(obj);
  if (json === undefined) encoded.set(obj, (json = JSON.stringify(withTypeMeta(s, obj))));
  return json;
}

/**
 * GET …?watch=true as a stream of WatchEvents. resourceVersion "" or "0": ADDED for every existing match,
 * then changes; N: every change after N, exactly once, in revision order; a compacted N: one ERROR event
 * (410 Expired `too old resource version: N (C)`) then the end. allowWatchBookmarks: periodic BOOKMARK with
 * the last revision this watch is known to have seen (an event, or the store's progress notification);
 * sendInitialEvents=true adds the `k8s.io/initial-events-end` bookmark.
 * timeoutSeconds ends the stream. Cancelling the stream releases the store watch and timers.
 */
export async function watchHandler(ctx: ApiContext, rr: ResourceRequest): Promise<StreamOpen> {
  const s = rr.strategy;
  const predicate = predicateFor(s, rr.query, rr.name);
  const probe = sharedProbe(ctx.store, s);
  const prefix = keyPrefix(s, rr.namespace);
  const rvParam = rr.query.resourceVersion ?? '';
  if (rvParam !== '' && !/^\d+$/.test(rvParam)) throw badRequest(`invalid resource version: ${rvParam}`);
  const bookmarks = rr.query.allowWatchBookmarks === 'true' || rr.query.allowWatchBookmarks === '1';
  const sendInitial = rr.query.sendInitialEvents === 'true';
  const timeout = rr.query.timeoutSeconds ? Number(rr.query.timeoutSeconds) : 0;

  const owned = new DisposableStore();
  const sink = ctx.streams.open(() => owned.dispose());
  const now = () => ctx.clock.now();
  // Chunks are cloned per client (postMessage) and the client takes JSON text: each shared object is encoded
  // once for every such watch (plain objects only; Tables carry the time they were printed).
  const asJson = ctx.shareWatchObjects === true && rr.req.watchEventsAsJson === true && outputKind(rr.req.accept).as === 'Object';
  const emit = (type: WatchEventType, obj: KubeObject) => {
    if (asJson) return sink.push(`{"type":"${type}","object":${objectJson(s, obj)}}`);
    const ev: WatchEvent = { type, object: renderObject(rr, obj, now()) };
    sink.push(ev);
  };
  const bookmark = (rev: number, initialEnd = false) => {
    const metadata: Record<string, unknown> = { resourceVersion: String(rev) };
    if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    sink.push({ type: 'BOOKMARK', object: { kind: s.ref.kind, apiVersion: groupVersion(s.ref), metadata } });
  };
  const fail = (requested: number) => {
    const e = expired(`too old resource version: ${requested} (${Math.max(0, ctx.store.compactedRevision() - 1)})`);
    sink.push({ type: 'ERROR', object: e.status });
    sink.end();
  };

  let last: number;
  if (rvParam === '' || rvParam === '0') {
    const listed = await ctx.store.list(prefix);
    for (const kv of listed.kvs) {
      const obj = decodeFor(s, kv);
      if (predicate.matches(obj)) emit('ADDED', obj);
    }
    last = listed.revision;
    if (sendInitial && bookmarks) bookmark(last, true);
  } else {
    last = Number(rvParam);
    if (last + 1 < ctx.store.compactedRevision()) {
      fail(last);
      return { status: 200, body: undefined, streamId: sink.id };
    }
  }

  owned.add(
    ctx.store.watch(prefix, last + 1, {
      onEvents(events) {
        if (sink.ended) return;
        for (const ev of events) {
          const t = translate(ev, predicate, s, probe, ctx.shareWatchObjects === true);
          if (t) emit(t.type, t.obj);
          last = Math.max(last, ev.kv.modRevision);
        }
      },
      // A store progress notification: every revision up to `revision` has been offered to this watch,
      // so a BOOKMARK may carry it even when none of those revisions matched this watch's selector.
      onProgress(revision) {
        last = Math.max(last, revision);
      },
      onError(err: StoreError) {
        if (sink.ended) return;
        if (err.code === 'Compacted') fail(last);
        else {
          sink.push({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: err.message, reason: 'InternalError', code: 500 } });
          sink.end();
        }
      },
    }),
  );
  if (bookmarks) owned.add(ctx.clock.every(BOOKMARK_INTERVAL_MS, () => bookmark(last)));
  if (timeout > 0) owned.add(ctx.clock.after(timeout * 1000, () => sink.end()));
  return { status: 200, body: undefined, streamId: sink.id };
}
