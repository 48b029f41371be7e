/**
 * src/storage: the cluster's etcd on IndexedDB (idb).
 * - store: the kine-shaped Store interface and StoreError.
 * - the IndexedDB implementation (MVCC log + in-memory index, group commit, watch).
 * - a conformance suite every Store implementation passes.
 * Only the apiserver opens the cluster's store.
 */
export * from './store';
