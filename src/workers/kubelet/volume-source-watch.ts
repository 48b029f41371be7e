import type { Clock } from '../../api/clock';
import { DisposableStore, type Disposable } from '../../api/disposable';
import { ConfigMaps, PersistentVolumeClaims, Secrets, type ResourceRef } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import { createSharedInformer } from '../../client/informer';

/** What a failed volume waits for: `configmaps/<ns>/<name>`, `secrets/<ns>/<name>` or `persistentvolumeclaims/<ns>/<name>`. */
export type SourceKey = string;

const REFS: Record<string, ResourceRef> = { configmaps: ConfigMaps, secrets: Secrets, persistentvolumeclaims: PersistentVolumeClaims };

/**
 * Wakes pods whose volumes could not be set up as soon as what they wait for changes (kubelet's watch-based
 * ConfigMap/Secret managers and the volume populator's PVC re-checks), so a pod does not depend on its
 * retry timer alone. As kube's kubelet (which the Node authorizer lets read only its pods' objects), each
 * waited-for ConfigMap or Secret gets its own watch (namespace + fieldSelector metadata.name), stopped once
 * no pod waits for it. PVCs: one informer over every namespace, started on the first PVC wait (kube's kubelet
 * polls with get instead; our nodes may list/watch PVCs through the tabernetes:node-volume-wakeups role).
 * wake() runs for each add or update of a waited-for object.
 */
export class VolumeSourceWatch implements Disposable {
  private readonly root = new DisposableStore();
  private readonly waiting = new Map<string, Set<SourceKey>>();
  private readonly watches = new Map<SourceKey, Disposable>();
  private pvcsStarted = false;

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly wake: (uid: string) => void,
  ) {}

  private changed(key: SourceKey): void {
    for (const [uid, keys] of this.waiting) if (keys.has(key)) this.wake(uid);
  }

  private watchOne(key: SourceKey): void {
    const [resource, namespace, name] = key.split('/');
    if (resource === 'persistentvolumeclaims') {
      if (this.pvcsStarted) return;
      this.pvcsStarted = true;
      const informer = this.root.add(createSharedInformer(this.client, this.clock, PersistentVolumeClaims));
      const changed = (o: { metadata?: { namespace?: string; name?: string } }) => this.changed(`persistentvolumeclaims/${o.metadata?.namespace}/${o.metadata?.name}`);
      this.root.add(informer.addEventHandler({ onAdd: changed, onUpdate: (_old, o) => changed(o) }));
      informer.run();
      return;
    }
    const ref = REFS[resource];
    if (!ref || this.watches.has(key)) return;
    const store = new DisposableStore();
    const informer = store.add(createSharedInformer(this.client, this.clock, ref, { namespace, fieldSelector: `metadata.name=${name}` }));
    store.add(informer.addEventHandler({ onAdd: () => this.changed(key), onUpdate: () => this.changed(key) }));
    informer.run();
    this.watches.set(key, this.root.add(store));
  }

  /** Stops the per-object watches no pod waits for any more. */
  private prune(): void {
    const needed = new Set([...this.waiting.values()].flatMap((keys) => [...keys]));
    for (const [key, d] of this.watches) if (!needed.has(key)) (d.dispose(), this.watches.delete(key));
  }

  wait(uid: string, keys: SourceKey[]): void {
    if (!keys.length) return this.forget(uid);
    this.waiting.set(uid, new Set(keys));
    for (const k of keys) this.watchOne(k);
    this.prune();
  }

  forget(uid: string): void {
    if (this.waiting.delete(uid)) this.prune();
  }

  dispose(): void {
    this.root.dispose();
    this.watches.clear();
    this.waiting.clear();
  }
}
