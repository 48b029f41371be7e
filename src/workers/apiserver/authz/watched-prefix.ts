import type { Disposable } from '../../../api/disposable';
import type { KeyValue, Store, StoreEvent } from '../../../storage/store';

/** What changed: the events applied, or 'reset' when the whole map was (re)loaded. */
export type PrefixChange = StoreEvent[] | 'reset';

/**
 * The keys under one store prefix, kept in memory from the store's watch (an informer without the API).
 * The first ready() lists the prefix and watches from the next revision; later calls are free. The store
 * delivers a write's events before the writer's continuation runs (watch fan-out happens in the commit),
 * so a request that follows a write's response sees it. A watch error (Compacted, Closed) drops the map;
 * the next ready() lists again. onChange runs synchronously after each change is applied; `generation`
 * counts changes, so derived indexes can tell whether they are stale.
 */
export class WatchedPrefix implements Disposable {
  private kvs = new Map<string, KeyValue>();
  private watch: Disposable | undefined;
  private loading: Promise<void> | undefined;
  private disposed = false;
  generation = 0;

  constructor(
    private readonly store: Store,
    readonly prefix: string,
    private readonly onChange?: (change: PrefixChange, kvs: ReadonlyMap<string, KeyValue>) => void,
  ) {}

  /** The current keys (the map is live: read it before the next await). */
  async ready(): Promise<ReadonlyMap<string, KeyValue>> {
    if (!this.watch && !this.disposed) await (this.loading ??= this.load());
    return this.kvs;
  }

  private async load(): Promise<void> {
    try {
      const { kvs, revision } = await this.store.list(this.prefix);
      if (this.disposed) return;
      this.kvs = new Map(kvs.map((kv) => [kv.key, kv]));
      this.changed('reset');
      this.watch = this.store.watch(this.prefix, revision + 1, {
        onEvents: (events) => {
          for (const e of events) {
            if (e.type === 'PUT') this.kvs.set(e.kv.key, e.kv);
            else this.kvs.delete(e.kv.key);
          }
          this.changed(events);
        },
        onError: () => {
          this.watch = undefined;
          this.loading = undefined;
          this.kvs = new Map();
          this.changed('reset');
        },
      });
    } finally {
      this.loading = undefined;
    }
  }

  private changed(change: PrefixChange): void {
    this.generation++;
    this.onChange?.(change, this.kvs);
  }

  dispose(): void {
    this.disposed = true;
    this.watch?.dispose();
    this.watch = undefined;
  }
}
