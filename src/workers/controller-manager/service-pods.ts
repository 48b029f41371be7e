import type { Pod, Service } from 'kubernetes-types/core/v1';
import { metaKey, Pods } from '../../api/resources';
import type { Disposable } from '../../api/disposable';
import { mapSelectorMatcher } from '../../client/labels';
import type { SharedInformer } from '../../client/informer';
import type { ControllerContext } from './controller-context';

/**
 * For controllers keyed by Service (Endpoints, EndpointSlices): enqueues every Service whose selector
 * matches a pod that was added, changed or deleted; a relabelled pod also enqueues the Services its old
 * labels matched. Returns the pod informer's subscription.
 */
export function enqueueServicesForPods(ctx: ControllerContext, services: SharedInformer<Service>): Disposable {
  const enqueueFor = (pod: Pod) => {
    for (const s of services.lister().list(pod.metadata?.namespace)) {
      if (s.spec?.selector && mapSelectorMatcher(s.spec.selector)(pod.metadata?.labels)) ctx.queue.add(metaKey(s));
    }
  };
  return ctx.factory.informerFor<Pod>(Pods).addEventHandler({
    onAdd: enqueueFor,
    onUpdate: (old, p) => {
      enqueueFor(p);
      if (JSON.stringify(old.metadata?.labels) !== JSON.stringify(p.metadata?.labels)) enqueueFor(old);
    },
    onDelete: enqueueFor,
  });
}
