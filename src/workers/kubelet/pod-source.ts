import type { Pod } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import { DisposableStore, type Disposable } from '../../api/disposable';
import { Pods } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import { createSharedInformer } from '../../client/informer';

export interface PodSourceHandlers {
  /** A pod bound to this node appeared or changed (every change, status-only ones included). */
  upsert(pod: Pod): void;
  /** A pod left the node (deleted from the API); carries its last known state. */
  remove(pod: Pod): void;
}

/**
 * kubelet's apiserver pod source: a shared informer on pods with fieldSelector spec.nodeName=<node>
 * (list+watch, relist on 410 Gone, retries on the Clock). Pods whose spec.nodeName is not this node are
 * ignored whatever the server's filtering. Handlers run in event order; nothing is delivered after dispose().
 */
export function watchNodePods(client: ApiClient, clock: Clock, nodeName: string, handlers: PodSourceHandlers): Disposable & { synced(): Promise<void> } {
  const root = new DisposableStore();
  const informer = root.add(createSharedInformer<Pod>(client, clock, Pods, { fieldSelector: `spec.nodeName=${nodeName}` }));
  const mine = (p: Pod) => p.spec?.nodeName === nodeName;
  root.add(
    informer.addEventHandler({
      onAdd: (p) => mine(p) && handlers.upsert(p),
      onUpdate: (old, p) => {
        if (mine(p)) handlers.upsert(p);
        else if (mine(old)) handlers.remove(old);
      },
      onDelete: (p) => mine(p) && handlers.remove(p),
    }),
  );
  informer.run();
  return { synced: () => informer.synced(), dispose: () => root.dispose() };
}
