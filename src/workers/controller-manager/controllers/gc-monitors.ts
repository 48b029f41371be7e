import { toDisposable, type Disposable } from '../../../api/disposable';
import { groupVersion, type ResourceRef } from '../../../api/resources';
import { createSharedInformer, type KubeObject, type ResourceEventHandler, type SharedInformer } from '../../../client/informer';
import type { ControllerContext } from '../controller-context';
import { discoverGcResources } from '../discover-resources';
import { refKey } from '../served-resources';

/** How often the garbage collector re-reads discovery to track new resources (kube: --garbage-collector resync 30s). */
export const GC_RESYNC_PERIOD = 30_000;

export interface GcMonitors extends Disposable {
  /** The tracked resource of an owner reference's apiVersion (any version of the group) and kind, if tracked. */
  resourceFor(apiVersion: string, kind: string): ResourceRef | undefined;
  /** The tracked resources, by "<group/version>/<resource>". */
  tracked(): string[];
  /** Re-reads discovery now and starts/stops monitors to match; a discovery failure keeps the current set. */
  resync(): Promise<void>;
}

export interface GcMonitorHooks<T> {
  /** The graph's handlers for one resource's informer. */
  handler(ref: ResourceRef): ResourceEventHandler<T>;
  /** A monitor started and its informer synced: objects referring to owners of this kind are worth re-checking. */
  onStarted(ref: ResourceRef): void;
  /** A monitor stopped (its resource left discovery): `objects` were its cache, to drop from the graph. */
  onStopped(ref: ResourceRef, objects: T[]): void;
}

interface Monitor {
  ref: ResourceRef;
  informer: SharedInformer<KubeObject>;
  /** Set when the GC owns the informer (not shared through the factory); disposed when the monitor stops. */
  owned: boolean;
  sub: Disposable;
}

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/**
 * The garbage collector's monitors, one per deletable resource, as kube's GraphBuilder.syncMonitors:
 * - `initial` (resources served at start) are monitored at once;
 * - discovery (discoverGcResources) is re-read now and every GC_RESYNC_PERIOD of the Clock; a resource new in
 *   discovery (e.g. a CRD's) gets a monitor, one gone from it has its monitor stopped.
 * Informers of `shared` resources (the built-ins other controllers inform on too) come from the component's
 * SharedInformerFactory and are never stopped, only unsubscribed; every other resource gets an informer the GC
 * owns, stopped with its monitor. Resyncs never overlap; discovery errors are logged once and retried next period.
 */
export function startGcMonitors<T extends KubeObject>(ctx: ControllerContext, initial: ResourceRef[], shared: ResourceRef[], hooks: GcMonitorHooks<T>): GcMonitors {
  const monitors = new Map<string, Monitor>();
  const sharedKeys = new Set(shared.map(refKey));
  const fallbackGvs = [...new Set(shared.map(groupVersion))];
  let disposed = false;
  let running: Promise<void> | undefined;
  let warned = false;

  const start = (ref: ResourceRef, initialSync: boolean) => {
    const owned = !sharedKeys.has(refKey(ref));
    const informer = owned ? createSharedInformer<KubeObject>(ctx.client, ctx.clock, ref) : ctx.factory.informerFor<KubeObject>(ref);
    const sub = informer.addEventHandler(hooks.handler(ref) as ResourceEventHandler<KubeObject>);
    if (owned) informer.run();
    const m: Monitor = { ref, informer, owned, sub };
    monitors.set(refKey(ref), m);
    if (!initialSync) {
      informer.synced().then(
        () => monitors.get(refKey(ref)) === m && hooks.onStarted(ref),
        () => undefined,
      );
    }
  };
  const stop = (m: Monitor) => {
    monitors.delete(refKey(m.ref));
    m.sub.dispose();
    const objects = m.informer.lister().list() as T[];
    if (m.owned) m.informer.dispose();
    hooks.onStopped(m.ref, objects);
  };

  for (const ref of initial) start(ref, true);

  const syncOnce = async () => {
    let found: ResourceRef[];
    try {
      found = await discoverGcResources(ctx.client, fallbackGvs);
    } catch (err) {
      if (!warned && !disposed) console.warn('garbage-collector-controller: discovery failed (retrying at the next resync):', err instanceof Error ? err.message : err);
      warned = true;
      return;
    }
    if (disposed) return;
    const keys = new Set(found.map(refKey));
    for (const m of [...monitors.values()]) if (!keys.has(refKey(m.ref))) stop(m);
    for (const ref of found) if (!monitors.has(refKey(ref))) start(ref, false);
  };
  const resync = () => {
    if (disposed) return Promise.resolve();
    running ??= syncOnce().finally(() => (running = undefined));
    return running;
  };
  const timer = ctx.clock.every(GC_RESYNC_PERIOD, () => void resync());
  void resync();

  return {
    resourceFor(apiVersion, kind) {
      const group = groupOf(apiVersion);
      for (const m of monitors.values()) if (m.ref.group === group && m.ref.kind === kind) return m.ref;
      return undefined;
    },
    tracked: () => [...monitors.keys()].sort(),
    resync,
    ...toDisposable(() => {
      disposed = true;
      timer.dispose();
      for (const m of monitors.values()) {
        m.sub.dispose();
        if (m.owned) m.informer.dispose();
      }
      monitors.clear();
    }),
  };
}
