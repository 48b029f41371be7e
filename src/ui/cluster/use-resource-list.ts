import { useEffect, useState } from 'react';
import type { ApiClient } from '../../client/api-client';
import type { ResourceRef } from '../../api/resources';
import { metaKey } from '../../api/resources';

/** The order of String.prototype.localeCompare (default locale), without building a collator per call. */
const collator = new Intl.Collator();

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
    // Watch events are coalesced: the sorted list is rebuilt at most once per 16 ms, not per event (a burst
    // of thousands of pod events otherwise re-sorts the whole list each time and starves the page thread),
    // and at most once per BURST_MS while updates keep coming (a 100-pod rollout re-renders ~10 times a second,
    // not 60: the page shares the cores with the cluster's Workers).
    let pending: ReturnType<typeof setTimeout> | undefined;
    let lastPublish = -Infinity;
    const publishNow = () => {
      pending = undefined;
      lastPublish = performance.now();
      setItems([...cache.keys()].sort(collator.compare).map((k) => cache.get(k)!));
    };
    const publish = () => (pending ??= setTimeout(publishNow, performance.now() - lastPublish < QUIET_MS ? BURST_MS : 16));
    const start = async () => {
      try {
        const list = await client.list<T>(ref);
        if (stopped) return;
        cache.clear();
        for (const o of list.items) cache.set(metaKey(o), o);
        publishNow();
        watch = client.watch<T>(ref, undefined, { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true }, {
          onEvent(ev) {
            if (ev.type === 'BOOKMARK') return;
            const key = metaKey(ev.object);
            if (ev.type === 'DELETED') cache.delete(key);
            else cache.set(key, ev.object);
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
