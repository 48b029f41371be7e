import type { Clock } from '../../api/clock';
import { DisposableStore, type Disposable } from '../../api/disposable';
import { PersistentVolumeClaims } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import { createSharedInformer } from '../../client/informer';

/** What a failed volume waits for: `configmaps/<ns>/<name>`, `secrets/<ns>/<name>` or `persistentvolumeclaims/<ns>/<name>`. */
export type SourceKey = string;

/**
 * Wakes pods whose volumes could not be set up as soon as what they wait for changes (kubelet's watch-based
 * ConfigMap/Secret managers and the volume populator's PVC re-checks), so a pod does not depend on its
 * retry timer alone. ConfigMaps and Secrets are already watched by the kubelet's PodObjectCache, which
 * reports their changes through changed(key). PVCs: one informer over every namespace, started on the
 * first PVC wait (kube's kubelet polls with get instead; our nodes may list/watch PVCs through the
 * tabernetes:node-volume-wakeups role). wake() runs for each add or update of a waited-for object.
 */
export class VolumeSourceWatch implements Disposable {
  private readonly root = new DisposableStore();
  private readonly waiting = new Map<string, Set<SourceKey>>();
  private pvcsStarted = false;

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly wake: (uid: string) => void,
  ) {}

  /** The object behind key changed: wakes the pods waiting for it. */
  changed(key: SourceKey): void {
    for (const [uid, keys] of this.waiting) if (keys.has(key)) this.wake(uid);
  }

  private watchPvcs(): void {
    if (this.pvcsStarted) return;
    this.pvcsStarted = true;
    const informer = this.root.add(createSharedInformer(this.client, this.clock, PersistentVolumeClaims));
    const changed = (o: { metadata?: { namespace?: string; name?: string } }) => this.changed(`persistentvolumeclaims/${o.metadata?.namespace}/${o.metadata?.name}`);
    this.root.add(informer.addEventHandler({ onAdd: changed, onUpdate: (_old, o) => changed(o) }));
    informer.run();
  }

  wait(uid: string, keys: SourceKey[]): void {
    if (!keys.length) return this.forget(uid);
    this.waiting.set(uid, new Set(keys));
    if (keys.some((k) => k.startsWith('persistentvolumeclaims/'))) this.watchPvcs();
  }

  forget(uid: string): void {
    this.waiting.delete(uid);
  }

  dispose(): void {
    this.root.dispose();
    this.waiting.clear();
  }
}
