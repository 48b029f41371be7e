import type { WatchEvent } from '../api/protocol';
import type { Clock } from '../api/clock';
import { toDisposable, type Disposable } from '../api/disposable';
import { metaKey, type ResourceRef } from '../api/resources';
import { ApiError } from '../api/status';
import type { ApiClient } from './api-client';
import { parseLabelSelector } from './labels';
import { ObjectIndex } from './object-index';

export interface KubeObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
}

/**
 * Handlers see the informer's cached objects: treat them as read-only (copy before mutating, as in client-go).
 * onDelete receives the last known state of the object.
 */
export interface ResourceEventHandler<T> {
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T): void;
}

export interface Lister<T> {
  /** By cache key: "namespace/name" or "name". */
  get(key: string): T | undefined;
  /** Objects in namespace (all when omitted) matching the label selector string, in key order. */
  list(namespace?: string, labelSelector?: string): T[];
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface SharedInformer<T> extends Disposable {
  readonly ref: ResourceRef;
  readonly options: InformerOptions;
  /** Starts list+watch (idempotent). */
  run(): void;
  /** Registers handlers; current cache items are replayed synchronously as onAdd(obj, true). */
  addEventHandler(h: ResourceEventHandler<T>): Disposable;
  /** True once the first list has been applied to the cache and delivered to handlers. */
  hasSynced(): boolean;
  /** Resolves when hasSynced(); rejects if the informer is disposed first. */
  synced(): Promise<void>;
  lister(): Lister<T>;
  /** The resourceVersion of the last list, watch event or bookmark applied. */
  lastSyncResourceVersion(): string;
}

/** Reflector backoff (client-go: 800ms initial, doubling, 30s cap; reset after a successful list/watch event). */
const BACKOFF_INITIAL = 800;
const BACKOFF_MAX = 30_000;
const PAGE_SIZE = 500;

/**
 * A client-go SharedIndexInformer: list, then watch from the list's resourceVersion with bookmarks.
 * - Normal watch close: re-watch from the last seen resourceVersion (after a backoff step if it delivered nothing).
 * - 410 Gone (open failure or ERROR event): relist and emit the diff against the cache (adds, updates for
 *   changed resourceVersions, deletes carrying the last known object).
 * - Any other failure: retry after backoff on the Clock (a failed list relists; a failed watch re-watches).
 * Handler exceptions are logged and do not stop the informer.
 */
export function createSharedInformer<T extends KubeObject>(client: ApiClient, clock: Clock, ref: ResourceRef, options: InformerOptions = {}): SharedInformer<T> {
  const cache = new ObjectIndex<T>();
  const nsOf = (o: T | undefined) => o?.metadata?.namespace ?? '';
  const handlers = new Set<ResourceEventHandler<T>>();
  let synced = false;
  let running = false;
  let disposed = false;
  let rv = '';
  let backoff = BACKOFF_INITIAL;
  let watch: Disposable | undefined;
  let timer: Disposable | undefined;
  const syncWaiters: { resolve(): void; reject(e: Error): void }[] = [];

  const call = (fn: (h: ResourceEventHandler<T>) => void) => {
    for (const h of [...handlers]) {
      try {
        fn(h);
      } catch (err) {
        console.error(`informer ${ref.resource}: event handler failed`, err);
      }
    }
  };

  const retryLater = (fn: () => void) => {
    const delay = backoff;
    backoff = Math.min(backoff * 2, BACKOFF_MAX);
    timer?.dispose();
    timer = clock.after(delay, () => {
      timer = undefined;
      if (!disposed) fn();
    });
  };

  async function listAll(): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let cont: string | undefined;
    let resourceVersion = '';
    do {
      const page = await client.list<T>(ref, options.namespace, { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: PAGE_SIZE, continue: cont });
      items.push(...page.items);
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return { items, resourceVersion };
  }

  function replace(items: T[]): void {
    const fresh = new Map<string, T>();
    for (const o of items) fresh.set(metaKey(o), o);
    for (const [k, old] of [...cache.entries()]) {
      if (fresh.has(k)) continue;
      cache.delete(k, nsOf(old));
      call((h) => h.onDelete?.(old));
    }
    for (const [k, o] of fresh) {
      const old = cache.get(k);
      cache.set(k, nsOf(o), o);
      if (!old) call((h) => h.onAdd?.(o, !synced));
      else if (old.metadata?.resourceVersion !== o.metadata?.resourceVersion) call((h) => h.onUpdate?.(old, o));
    }
  }

  async function relist(): Promise<void> {
    if (disposed) return;
    let result: { items: T[]; resourceVersion: string };
    try {
      result = await listAll();
    } catch {
      if (!disposed) retryLater(relist);
      return;
    }
    if (disposed) return;
    backoff = BACKOFF_INITIAL;
    replace(result.items);
    rv = result.resourceVersion;
    if (!synced) {
      synced = true;
      for (const w of syncWaiters.splice(0)) w.resolve();
    }
    startWatch();
  }

  function apply(ev: WatchEvent<T>): void {
    const objRv = ev.object?.metadata?.resourceVersion;
    if (ev.type === 'BOOKMARK') {
      if (objRv) rv = objRv;
      return;
    }
    const k = metaKey(ev.object);
    const old = cache.get(k);
    if (ev.type === 'DELETED') {
      if (old) {
        cache.delete(k, nsOf(old));
        call((h) => h.onDelete?.(ev.object ?? old));
      }
    } else {
      cache.set(k, nsOf(ev.object), ev.object);
      if (old) call((h) => h.onUpdate?.(old, ev.object));
      else call((h) => h.onAdd?.(ev.object, false));
    }
    if (objRv) rv = objRv;
  }

  function startWatch(): void {
    if (disposed) return;
    let delivered = false;
    const w = client.watch<T>(ref, options.namespace, {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
      resourceVersion: rv,
      allowWatchBookmarks: true,
    }, {
      onEvent(ev) {
        if (disposed || watch !== w) return;
        delivered = true;
        backoff = BACKOFF_INITIAL;
        apply(ev);
      },
      onClose(err) {
        if (disposed || watch !== w) return;
        watch = undefined;
        if (err instanceof ApiError && err.code === 410) void relist();
        else if (!err && delivered) startWatch();
        else retryLater(startWatch);
      },
    });
    watch = w;
  }

  const informer: SharedInformer<T> = {
    ref,
    options,
    run() {
      if (running || disposed) return;
      running = true;
      void relist();
    },
    addEventHandler(h) {
      handlers.add(h);
      if (h.onAdd) {
        for (const o of [...cache.values()]) {
          try {
            h.onAdd(o, true);
          } catch (err) {
            console.error(`informer ${ref.resource}: event handler failed`, err);
          }
        }
      }
      return toDisposable(() => handlers.delete(h));
    },
    hasSynced: () => synced,
    synced() {
      if (synced) return Promise.resolve();
      if (disposed) return Promise.reject(new Error('informer stopped before sync'));
      return new Promise((resolve, reject) => syncWaiters.push({ resolve, reject }));
    },
    lister() {
      return {
        get: (key) => cache.get(key),
        list(namespace, labelSelector) {
          if (!labelSelector) return cache.list(namespace);
          const match = parseLabelSelector(labelSelector);
          return cache.list(namespace, (o) => match(o.metadata?.labels));
        },
      };
    },
    lastSyncResourceVersion: () => rv,
    dispose() {
      if (disposed) return;
      disposed = true;
      watch?.dispose();
      watch = undefined;
      timer?.dispose();
      handlers.clear();
      for (const w of syncWaiters.splice(0)) w.reject(new Error('informer stopped before sync'));
    },
  };
  return informer;
}

/**
 * One informer per (resource, namespace, selectors), shared by every controller in a component.
 * start() runs every informer created so far and any created later; dispose() stops them all.
 */
export class SharedInformerFactory implements Disposable {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private started = false;
  private disposed = false;

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
  ) {}

  informerFor<T extends KubeObject>(ref: ResourceRef, options: InformerOptions = {}): SharedInformer<T> {
    const key = JSON.stringify([ref.group, ref.version, ref.resource, options.namespace ?? '', options.labelSelector ?? '', options.fieldSelector ?? '']);
    let inf = this.informers.get(key);
    if (!inf) {
      inf = createSharedInformer<KubeObject>(this.client, this.clock, ref, options);
      this.informers.set(key, inf);
      if (this.disposed) inf.dispose();
      else if (this.started) inf.run();
    }
    return inf as unknown as SharedInformer<T>;
  }

  start(): void {
    if (this.disposed) return;
    this.started = true;
    for (const inf of this.informers.values()) inf.run();
  }

  /** Resolves when every informer created so far has synced. */
  async waitForCacheSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.synced()));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const inf of this.informers.values()) inf.dispose();
  }
}
