import { useEffect, useState } from 'react';
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

/** Updates closer than QUIET_MS to the previous render are a burst, rendered at most every BURST_MS. */
const QUIET_MS = 250;
const BURST_MS = 100;

type Obj = { metadata?: { name?: string; namespace?: string; resourceVersion?: string } };

/**
 * Keeps a live list of a resource: list, then watch from the list's resourceVersion; when the watch
 * ends (closed or 410 Gone) it lists again after a short pause. Items are sorted by namespace/name.
 */
export function useResourceList<T extends Obj>(client: ApiClient | undefined, ref: ResourceRef): T[] {
  const [items, setItems] = useState<T[]>([]);
  useEffect(() => {
    if (!client) return;
    let stopped = false;
    let watch: { dispose(): void } | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const cache = new Map<string, T>();
    // The keys in collator order, kept sorted as events arrive: an event costs a binary search (plus an array
    // splice when a key comes or goes), never a re-sort of the whole list.
    let keys: string[] = [];
    // Watch events are coalesced: the list is published at most once per 16 ms, not per event, and at most
    // once per BURST_MS while updates keep coming (a 1,000-pod rollout re-renders ~10 times a second, not 60:
    // the page shares the cores with the cluster's Workers). A publish is one O(n) copy of the sorted keys'
    // objects; unchanged objects keep their identity, so memoised rows skip re-rendering.
    let pending: ReturnType<typeof setTimeout> | undefined;
    let lastPublish = -Infinity;
    const publishNow = () => {
      pending = undefined;
      lastPublish = performance.now();
      setItems(keys.map((k) => cache.get(k)!));
    };
    const publish = () => (pending ??= setTimeout(publishNow, performance.now() - lastPublish < QUIET_MS ? BURST_MS : 16));
    const start = async () => {
      try {
        const list = await client.list<T>(ref);
        if (stopped) return;
        cache.clear();
        for (const o of list.items) cache.set(metaKey(o), o);
        keys = [...cache.keys()].sort(collator.compare);
        publishNow();
        watch = client.watch<T>(ref, undefined, { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true }, {
          onEvent(ev) {
            if (ev.type === 'BOOKMARK') return;
            const key = metaKey(ev.object);
            if (ev.type === 'DELETED') {
              if (cache.delete(key)) keys.splice(sortedIndex(keys, key), 1);
            } else {
              if (!cache.has(key)) keys.splice(sortedIndex(keys, key), 0, key);
              cache.set(key, ev.object);
            }
            publish();
          },
          onClose() {
            if (!stopped) retry = setTimeout(start, 500);
          },
        });
      } catch {
        if (!stopped) retry = setTimeout(start, 1000);
      }
    };
    void start();
    return () => {
      stopped = true;
      watch?.dispose();
      clearTimeout(retry);
      clearTimeout(pending);
    };
  }, [client, ref]);
  return items;
}
