/**
 * An informer's cache (client-go's Indexer with the namespace index): objects by cache key, plus the keys of
 * each namespace and of the whole cache kept sorted as they change, so a list walks only the namespace
 * asked for, in key order (JavaScript string order), without sorting per call.
 * Adding or removing a key costs a binary search and one array splice; replacing an object costs nothing.
 */
export class ObjectIndex<T> {
  private readonly byKey = new Map<string, T>();
  private readonly all: string[] = [];
  private readonly byNamespace = new Map<string, string[]>();

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): T | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** Objects in insertion order (handler replay). */
  values(): IterableIterator<T> {
    return this.byKey.values();
  }

  entries(): IterableIterator<[string, T]> {
    return this.byKey.entries();
  }

  /** `namespace` is the object's metadata.namespace ('' for cluster-scoped objects). */
  set(key: string, namespace: string, obj: T): void {
    if (!this.byKey.has(key)) {
      insertSorted(this.all, key);
      let keys = this.byNamespace.get(namespace);
      if (!keys) this.byNamespace.set(namespace, (keys = []));
      insertSorted(keys, key);
    }
    this.byKey.set(key, obj);
  }

  delete(key: string, namespace: string): boolean {
    if (!this.byKey.delete(key)) return false;
    removeSorted(this.all, key);
    const keys = this.byNamespace.get(namespace);
    if (keys) {
      removeSorted(keys, key);
      if (keys.length === 0) this.byNamespace.delete(namespace);
    }
    return true;
  }

  /** Objects of `namespace` (all when empty or omitted) accepted by `match`, in key order. */
  list(namespace: string | undefined, match?: (obj: T) => boolean): T[] {
    const keys = namespace ? this.byNamespace.get(namespace) : this.all;
    const out: T[] = [];
    if (!keys) return out;
    for (const k of keys) {
      const o = this.byKey.get(k)!;
      if (!match || match(o)) out.push(o);
    }
    return out;
  }
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(keys: string[], key: string): void {
  const i = lowerBound(keys, key);
  if (keys[i] !== key) keys.splice(i, 0, key);
}

function removeSorted(keys: string[], key: string): void {
  const i = lowerBound(keys, key);
  if (keys[i] === key) keys.splice(i, 1);
}
