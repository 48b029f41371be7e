import type { KeyValue, StoreEvent } from '../../storage/store';
import type { ApiContext } from './context';
import { decodeFor, decodeKv } from './object-codec';
import type { KubeObject, ResourceStrategy } from './registry/strategy';

/** Decodes a stored state for reading only: the object is shared and must never be changed or emitted where it could be. */
export type Probe = (kv: StoreEvent['kv']) => KubeObject;

/**
 * A Probe that decodes each (key, revision) once for every reader of one store (one JSON.parse per event
 * instead of one per watcher with a selector); bounded, oldest entries dropped first.
 */
export function probeCache(s: ResourceStrategy | undefined, max = 512): Probe {
  const cache = new Map<string, KubeObject>();
  const tag = s ? `${s.ref.group}/${s.ref.version}/${s.ref.resource}` : '';
  return (kv) => {
    const k = `${tag}\u0000${kv.key}\u0000${kv.modRevision}`;
    let obj = cache.get(k);
    if (!obj) {
      obj = s ? decodeFor(s, kv) : decodeKv(kv);
      cache.set(k, obj);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
    }
    return obj;
  };
}

/**
 * One probe cache per store and resource: every watch of that resource on that store shares it, and so do
 * the watch-fed authorizer indexes (authz/node-authorizer), so a write is parsed once for all of them.
 */
const probes = new WeakMap<object, Map<string, Probe>>();
export function sharedProbe(store: object, s: ResourceStrategy): Probe {
  let byResource = probes.get(store);
  if (!byResource) probes.set(store, (byResource = new Map()));
  const k = `${s.ref.group}/${s.ref.version}/${s.ref.resource}`;
  let p = byResource.get(k);
  if (!p) byResource.set(k, (p = probeCache(s)));
  return p;
}

/**
 * The stored object a request is answered with. With shareWatchObjects (every answer is structured-cloned for
 * its client) it is the shared decode, which the watches of the write have usually made already: the caller
 * may render it but never change it. Otherwise a fresh decode.
 */
export function answerDecode(ctx: Pick<ApiContext, 'store' | 'shareWatchObjects'>, s: ResourceStrategy, kv: KeyValue): KubeObject {
  return ctx.shareWatchObjects ? sharedProbe(ctx.store, s)(kv) : decodeFor(s, kv);
}
