import type { Clock } from '../../api/clock';
import { DisposableStore, type Disposable } from '../../api/disposable';
import { ConfigMaps, PersistentVolumeClaims, Secrets } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import { createSharedInformer } from '../../client/informer';

/** What a failed volume waits for: `configmaps/<ns>/<name>`, `secrets/<ns>/<name>` or `persistentvolumeclaims/<ns>/<name>`. */
export type SourceKey = string;

/**
 * Wakes pods whose volumes could not be set up as soon as what they wait for changes (kubelet's watch-based
 * ConfigMap/Secret managers and the volume populator's PVC re-checks), so a pod does not depend on its
 * retry timer alone. The informers (ConfigMaps, Secrets, PVCs in every namespace) start on the first wait
 * and run until dispose. wake() runs for each add or update of a waited-for object.
 */
export class VolumeSourceWatch implements Disposable {
  private readonly root = new DisposableStore();
  private readonly waiting = new Map<string, Set<SourceKey>>();
  private started = false;

  constructor(
    private readonly client: ApiClient,
    private readonly clock: Clock,
    private readonly wake: (uid: string) => void,
  ) {}

  wait(uid: string, keys: SourceKey[]): void {
    if (!keys.length) return this.forget(uid);
    this.waiting.set(uid, new Set(keys));
    if (this.started) return;
    this.started = true;
    for (const ref of [ConfigMaps, Secrets, PersistentVolumeClaims]) {
      const informer = this.root.add(createSharedInformer(this.client, this.clock, ref));
      const changed = (o: { metadata?: { namespace?: string; name?: string } }) => {
        const key = `${ref.resource}/${o.metadata?.namespace}/${o.metadata?.name}`;
        for (const [uid, keys] of this.waiting) if (keys.has(key)) this.wake(uid);
      };
      this.root.add(informer.addEventHandler({ onAdd: changed, onUpdate: (_old, o) => changed(o) }));
      informer.run();
    }
  }

  forget(uid: string): void {
    this.waiting.delete(uid);
  }

  dispose(): void {
    this.root.dispose();
    this.waiting.clear();
  }
}
