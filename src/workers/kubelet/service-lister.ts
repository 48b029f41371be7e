import type { Service } from 'kubernetes-types/core/v1';
import type { Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import { Services } from '../../api/resources';
import type { ApiClient } from '../../client/api-client';
import { createSharedInformer } from '../../client/informer';
import type { ServiceReader } from './container-env';

/**
 * The kubelet's serviceLister: one list+watch of every Service (as kube's kubelet keeps), read for the service
 * link variables of each container instead of GETs per container. Reads wait for the first list (the informer
 * retries with its back-off meanwhile) and reject if it is disposed before that. Returned objects are the
 * cache's: read only.
 */
export function watchServices(client: ApiClient, clock: Clock): ServiceReader & Disposable {
  const informer = createSharedInformer<Service>(client, clock, Services);
  informer.run();
  const ready = async () => {
    if (!informer.hasSynced()) await informer.synced();
    return informer.lister();
  };
  return {
    list: async (namespace) => (await ready()).list(namespace),
    get: async (namespace, name) => (await ready()).get(`${namespace}/${name}`),
    dispose: () => informer.dispose(),
  };
}
