import type { Clock } from '../../api/clock';
import type { Disposable } from '../../api/disposable';
import type { IdSource } from '../../api/ids';
import type { ApiClient } from '../../client/api-client';
import type { EventRecorder } from '../../client/event-recorder';
import type { SharedInformerFactory } from '../../client/informer';
import type { Result } from '../../client/controller';
import type { WorkQueue } from '../../client/workqueue';
import type { ResourceRef } from '../../api/resources';
import type { ServedResources } from './served-resources';

/** What the controller-manager hands each controller's setup function. */
export interface ControllerContext {
  client: ApiClient;
  clock: Clock;
  ids: IdSource;
  /** Shared by every controller: ask it for informers, never list/watch directly. */
  factory: SharedInformerFactory;
  /** This controller's own queue; informer handlers only add keys to it. */
  queue: WorkQueue<string>;
  /** An event recorder whose source component is this controller's (e.g. "node-controller"). */
  recorder: EventRecorder;
  /** Whether the apiserver serves a resource (discovery at start); controllers informing on optional resources check it. */
  served: ServedResources;
}

/** A controller as setup returns it: a level-based reconcile of one key, plus anything to dispose on stop. */
export interface ControllerDef {
  reconcile(key: string): Promise<Result | void>;
  workers?: number;
  disposables?: Disposable[];
}

export interface ControllerDescriptor {
  /** kube-controller-manager's controller name, e.g. "node-lifecycle-controller". */
  name: string;
  /** The event source component, e.g. "node-controller". */
  component: string;
  /**
   * Resources the controller cannot run without. As kube-controller-manager does, a controller whose required
   * resources are not all in discovery is skipped (logged once), so its informers never block the manager's sync.
   */
  requires?: ResourceRef[];
  /** Resources the controller uses when served (e.g. the garbage collector's tracked kinds); looked up in discovery too. */
  optional?: ResourceRef[];
  setup(ctx: ControllerContext): ControllerDef;
}
