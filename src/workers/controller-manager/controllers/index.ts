/**
 * The controllers kube-controller-manager runs here, one file each, each a ControllerDescriptor whose setup
 * wires informer handlers that only enqueue keys and returns a level-based reconcile(key).
 */
import type { ControllerDescriptor } from '../controller-context';
import { nodeLifecycleController } from './node-lifecycle-controller';
import { taintEvictionController } from './taint-eviction-controller';
import { garbageCollector } from './garbage-collector';
import { replicaSetController } from './replicaset-controller';
import { replicationController } from './replication-controller';
import { deploymentController } from './deployment-controller';
import { jobController } from './job-controller';
import { ttlAfterFinishedController } from './ttl-after-finished-controller';
import { endpointsController } from './endpoints-controller';
import { endpointSliceController } from './endpointslice-controller';
import { cronJobController } from './cronjob-controller';
import { statefulSetController } from './statefulset-controller';
import { daemonSetController } from './daemonset-controller';
import { serviceAccountsController } from './serviceaccounts-controller';
import { rootCaCertPublisher } from './root-ca-cert-publisher';
import { persistentVolumeBinder } from './persistentvolume-binder';
import { disruptionController } from './disruption-controller';
import { resourceQuotaController } from './resourcequota-controller';
import { hpaController } from './hpa-controller';

export * from './node-lifecycle-controller';
export * from './taint-eviction-controller';
export * from './namespace-controller';
export * from './garbage-collector';
export * from './gc-monitors';
export * from './replica-set-sync';
export * from './replicaset-controller';
export * from './replication-controller';
export * from './deployment-controller';
export * from './job-controller';
export * from './ttl-after-finished-controller';
export * from './endpoints-controller';
export * from './endpointslice-controller';
export * from './cronjob-controller';
export * from './statefulset-controller';
export * from './daemonset-controller';
export * from './serviceaccounts-controller';
export * from './root-ca-cert-publisher';
export * from './persistentvolume-binder';
export * from './disruption-controller';
export * from './resourcequota-controller';
export * from './hpa-controller';

export function defaultControllers(): ControllerDescriptor[] {
  return [nodeLifecycleController(), taintEvictionController(), garbageCollector(), replicaSetController(), replicationController(), deploymentController(), jobController(), ttlAfterFinishedController(), endpointsController(), endpointSliceController(), cronJobController(), statefulSetController(), daemonSetController(), serviceAccountsController(), rootCaCertPublisher(), persistentVolumeBinder(), disruptionController(), resourceQuotaController(), hpaController()];
}
