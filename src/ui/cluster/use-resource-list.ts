import { useEffect, useState } from 'react';
import type { ApiClient } from '../../client/api-client';
import type { ResourceRef } from '../../api/resources';
import { subscribeResourceList, type LiveObject } from './live-list';

export { sortedIndex } from './live-list';

const NONE: never[] = [];

/**
 * A live list of a resource, sorted by namespace/name (src/ui/cluster/live-list.ts): every view showing the
 * same resource on the same client shares one list and one watch. The array is shared: do not mutate it.
 */
export function useResourceList<T extends LiveObject>(client: ApiClient | undefined, ref: ResourceRef): T[] {
  const [items, setItems] = useState<readonly T[]>(NONE);
  useEffect(() => {
    if (!client) return;
    return subscribeResourceList<T>(client, ref, setItems);
  }, [client, ref]);
  return items as T[];
}
