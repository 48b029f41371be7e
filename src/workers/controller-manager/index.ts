/**
 * src/workers/controller-manager: kube-controller-manager. startControllerManager({ client, clock, ids })
 * runs the controllers in controllers/ (node-lifecycle-controller, …) over shared informers, per-controller
 * workqueues and event recorders (src/client). main.ts is the Worker entry ({ start({ apiPort, speed, epoch }), stop() }).
 */
export * from './controller-manager';
export * from './controller-context';
export * from './controllers';
