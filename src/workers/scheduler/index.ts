/**
 * src/workers/scheduler: kube-scheduler. startScheduler({ client, clock, ids }) watches pods and nodes
 * through shared informers, runs the framework profile (plugins/: filters NodeUnschedulable, NodeName,
 * TaintToleration, NodeReady, NodeAffinity; score LeastLoaded) and binds via pods/NAME/binding.
 * main.ts is the Worker entry ({ start({ apiPort, speed, epoch }), stop() } over Comlink).
 */
export * from './scheduler';
export * from './framework';
export * from './scheduling-queue';
export * from './plugins';
