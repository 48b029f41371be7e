/**
 * The controllers kube-controller-manager runs here, one file each, each a ControllerDescriptor whose setup
 * wires informer handlers that only enqueue keys and returns a level-based reconcile(key).
 */
import type { ControllerDescriptor } from '../controller-context';
import { nodeLifecycleController } from './node-lifecycle-controller';
import { taintEvictionController } from './taint-eviction-controller';

export * from './node-lifecycle-controller';
export * from './taint-eviction-controller';
export * from './namespace-controller';

export function defaultControllers(): ControllerDescriptor[] {
  return [nodeLifecycleController(), taintEvictionController()];
}
