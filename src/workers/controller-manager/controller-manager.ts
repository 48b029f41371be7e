import type { Clock } from '../../api/clock';
import { DisposableStore, type Disposable } from '../../api/disposable';
import type { IdSource } from '../../api/ids';
import type { ApiClient } from '../../client/api-client';
import { runController } from '../../client/controller';
import { createEventRecorder } from '../../client/event-recorder';
import { SharedInformerFactory } from '../../client/informer';
import { createWorkQueue } from '../../client/workqueue';
import type { ControllerDescriptor } from './controller-context';
import { defaultControllers } from './controllers';
import { discoverServed, type ServedResources } from './served-resources';

export interface ControllerManagerOptions {
  client: ApiClient;
  clock: Clock;
  ids: IdSource;
  /** Defaults to defaultControllers(). */
  controllers?: ControllerDescriptor[];
  /**
   * --use-service-account-credentials: the client a controller writes (and records events) with, by its
   * descriptor name; default `client`. Informers and discovery always use `client`, as kube's shared informers do.
   */
  clientFor?: (controller: string) => ApiClient;
}

/**
 * kube-controller-manager: one SharedInformerFactory for all controllers, and per controller its own workqueue,
 * event recorder (source component = the controller's) and workers. Workers start only after every informer
 * has synced; `ready` resolves then (rejects if disposed first). Reconcile errors are retried with the
 * queue's rate limiter and never logged more than once per controller.
 * Controllers are set up only after discovery (retried every 2s on failure other than 404) tells which
 * resources are served; a controller whose `requires` are not all served is skipped.
 */
export function startControllerManager(opts: ControllerManagerOptions): Disposable & { ready: Promise<void> } {
  const { client, clock, ids } = opts;
  const store = new DisposableStore();
  const factory = store.add(new SharedInformerFactory(client, clock));
  const starts: (() => void)[] = [];
  const descriptors = opts.controllers ?? defaultControllers();
  const setupAll = (served: ServedResources) => {
    for (const desc of descriptors) {
      if (!(desc.requires ?? []).every(served)) {
        console.info(`controller-manager: skipping "${desc.name}": a required resource is not served (${(desc.requires ?? []).map((r) => r.resource).join(', ')})`);
        continue;
      }
      setupOne(desc, served);
    }
  };
  const setupOne = (desc: ControllerDescriptor, served: ServedResources) => {
    const queue = createWorkQueue<string>(clock);
    store.add({ dispose: () => queue.shutDown() });
    const own = opts.clientFor?.(desc.name) ?? client;
    const recorder = store.add(createEventRecorder(own, clock, ids, { component: desc.component }));
    const def = desc.setup({ client: own, clock, ids, factory, queue, recorder, served });
    for (const d of def.disposables ?? []) store.add(d);
    let logged = false;
    starts.push(() => {
      store.add(runController({
        name: desc.name,
        queue,
        clock,
        workers: def.workers,
        reconcile: def.reconcile,
        onError(key, err) {
          if (logged) return;
          logged = true;
          console.warn(`${desc.name}: reconcile ${key} failed (retrying with backoff; further errors suppressed):`, err instanceof Error ? err.message : err);
        },
      }));
    });
  };
  const discover = async (): Promise<ServedResources> => {
    const refs = descriptors.flatMap((d) => [...(d.requires ?? []), ...(d.optional ?? [])]);
    for (;;) {
      try {
        return await discoverServed(client, refs);
      } catch {
        if (store.isDisposed) throw new Error('controller-manager stopped');
        await clock.sleep(2_000);
      }
    }
  };
  factory.start();
  const ready = discover().then(async (served) => {
    if (store.isDisposed) throw new Error('controller-manager stopped');
    setupAll(served);
    await factory.waitForCacheSync();
    if (!store.isDisposed) for (const s of starts) s();
  });
  ready.catch(() => undefined);
  return { ready, dispose: () => store.dispose() };
}
