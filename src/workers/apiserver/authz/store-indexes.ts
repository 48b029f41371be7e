import type { Store } from '../../../storage/store';
import { NodeGraph } from './node-authorizer';
import { PolicyCache } from './policy-cache';

/** The watch-fed indexes authorization reads, one set per store (shared by every apiserver on it). */
export interface AuthzIndexes {
  policy: PolicyCache;
  graph: NodeGraph;
}

const byStore = new WeakMap<Store, AuthzIndexes>();

/**
 * The store's RBAC PolicyCache and Node authorizer graph, created on first use. They live as long as the
 * store: its close ends their watches (the next use would list again), and they go with it when it is dropped.
 */
export function authzIndexes(store: Store): AuthzIndexes {
  let ix = byStore.get(store);
  if (!ix) byStore.set(store, (ix = { policy: new PolicyCache(store), graph: new NodeGraph(store) }));
  return ix;
}
