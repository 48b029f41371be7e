import type { ApiClient } from '../../client/api-client';
import type { ResourceRef } from '../../api/resources';
import { metaKey } from '../../api/resources';

/** The order of String.prototype.localeCompare (default locale), without building a collator per call. */
const collator = new Intl.Collator();

/** The index of `key` in the collator-sorted `keys`, or where it would be inserted to keep them sorted. */
export function sortedIndex(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (collator.compare(keys[mid], key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Updates closer than QUIET_MS to the previous publish are a burst, published at most every BURST_MS. */
const QUIET_MS = 250;
const BURST_MS = 200;

// Every list publishes from one page-wide timer: the lists changed since the last tick publish in the same task,
// so React renders them in one commit (one style, layout and paint pass for the page, not one per list).
const dirty = new Set<{ publishNow(): void }>();
let tick: ReturnType<typeof setTimeout> | undefined;
let lastTick = -Infinity;
function publishAll(): void {
  tick = undefined;
  lastTick = performance.now();
  const lists = [...dirty];
  dirty.clear();
  for (const l of lists) l.publishNow();
}
function schedulePublish(list: { publishNow(): void }): void {
  dirty.add(list);
  tick ??= setTimeout(publishAll, performance.now() - lastTick < QUIET_MS ? BURST_MS : 16);
}
/** A list nobody has watched for this long stops its watch (a remount in between keeps it). */
const LINGER_MS = 1000;

export type LiveObject = { metadata?: { name?: string; namespace?: string; resourceVersion?: string } };
type Listener<T> = (items: readonly T[]) => void;

/**
 * One live list of a resource per (client, resource) for the whole page, shared by every view showing it, so
 * each object arrives once however many views show it: list, then watch from the list's resourceVersion;
 * when the watch ends (closed or 410 Gone) it lists again after a short pause. Items are sorted by
 * namespace/name. Watch events are coalesced: subscribers get a new array at most once per 16 ms, and at
 * most once per BURST_MS while updates keep coming, every list in the same tick (publishAll); unchanged
 * objects keep their identity.
 */
class LiveList<T extends LiveObject> {
  private readonly listeners = new Set<Listener<T>>();
  private readonly cache = new Map<string, T>();
  // The keys in collator order, kept sorted as events arrive: an event costs a binary search (plus an array
  // splice when a key comes or goes), never a re-sort of the whole list.
  private keys: string[] = [];
  private items: readonly T[] = [];
  private running = false;
  private watch: { dispose(): void } | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private linger: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly ref: ResourceRef,
    private readonly onIdle: () => void,
  ) {}

  /** Adds a listener (called at once with the current items when any); the returned function removes it. */
  subscribe(fn: Listener<T>): () => void {
    this.listeners.add(fn);
    clearTimeout(this.linger);
    this.linger = undefined;
    if (!this.running) {
      this.running = true;
      void this.start();
    } else fn(this.items);
    return () => {
      if (!this.listeners.delete(fn) || this.listeners.size) return;
      this.linger = setTimeout(() => this.stop(), LINGER_MS);
    };
  }

  private stop(): void {
    this.running = false;
    this.watch?.dispose();
    this.watch = undefined;
    clearTimeout(this.retry);
    dirty.delete(this);
    this.onIdle();
  }

  publishNow(): void {
    dirty.delete(this);
    this.items = this.keys.map((k) => this.cache.get(k)!);
    for (const fn of [...this.listeners]) fn(this.items);
  }

  private async start(): Promise<void> {
    const { client, ref, cache } = this;
    try {
      const list = await client.list<T>(ref);
      if (!this.running) return;
      cache.clear();
      for (const o of list.items) cache.set(metaKey(o), o);
      this.keys = [...cache.keys()].sort(collator.compare);
      this.publishNow();
      const w = client.watch<T>(ref, undefined, { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true }, {
        onEvent: (ev) => {
          if (ev.type === 'BOOKMARK') return;
          const key = metaKey(ev.object);
          if (ev.type === 'DELETED') {
            if (cache.delete(key)) this.keys.splice(sortedIndex(this.keys, key), 1);
          } else {
            if (!cache.has(key)) this.keys.splice(sortedIndex(this.keys, key), 0, key);
            cache.set(key, ev.object);
          }
          schedulePublish(this);
        },
        onClose: () => {
          if (this.running && this.watch === w) this.retry = setTimeout(() => void this.start(), 500);
        },
      });
      this.watch = w;
    } catch {
      if (this.running) this.retry = setTimeout(() => void this.start(), 1000);
    }
  }
}

const lists = new WeakMap<ApiClient, Map<string, LiveList<LiveObject>>>();

/**
 * Subscribes to the page's one live list of `ref` on `client` (started by the first subscriber, stopped
 * LINGER_MS after the last leaves). fn receives the sorted items: at once when already listed, then on changes.
 */
export function subscribeResourceList<T extends LiveObject>(client: ApiClient, ref: ResourceRef, fn: Listener<T>): () => void {
  let byRef = lists.get(client);
  if (!byRef) lists.set(client, (byRef = new Map()));
  const key = `${ref.group}/${ref.version}/${ref.resource}`;
  let list = byRef.get(key);
  if (!list) {
    const created = new LiveList<LiveObject>(client, ref, () => {
      if (byRef!.get(key) === created) byRef!.delete(key);
    });
    byRef.set(key, (list = created));
  }
  return list.subscribe(fn as Listener<LiveObject>);
}
