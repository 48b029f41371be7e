/**
 * src/workers/controller-manager: kube-controller-manager. startControllerManager({ client, clock, ids }) reads
 * discovery, then runs the controllers in controllers/ whose required resources are served, over shared informers,
 * per-controller workqueues and event recorders (src/client). main.ts is the Worker entry ({ start({ apiPort, speed, epoch }), stop() }).
 * - controllers/: node-lifecycle, taint-eviction, namespace (opt-in), garbage-collector, replicaset and
 *   replicationcontroller (shared replica-set-sync), deployment, job, ttl-after-finished, cronjob, endpoints,
 *   endpointslice, statefulset, daemonset, serviceaccount, root-ca-cert-publisher, persistentvolume-binder (with
 *   kind's local-path provisioner and default StorageClass), disruption (PDB status), resourcequota (status.used).
 * - statefulset-util / daemonset-util / volume-util / quota-usage: those controllers' pure helpers (pod and claim
 *   builders, ControllerRevisions, daemon tolerations and node eligibility, volume matching, quota sums).
 * - deployment-sync / deployment-status / deployment-util: the deployment controller's sync pass, its status and
 *   conditions, and pure helpers (hash, fenceposts, annotations, proportional scaling).
 * - pod-utils, pod-ranking (ActivePods deletion order), controller-expectations, served-resources (discovery),
 *   discover-resources (discovery by verbs: the GC's list/watch/delete resources, which controllers/gc-monitors
 *   re-reads every 30s so custom resources of CRDs created later are collected too; the namespace controller's).
 * - testing/workload-fixtures: FakeApiHandler-backed manager and object builders for the controllers' unit tests.
 */
export * from './controller-manager';
export * from './controller-context';
export * from './controllers';
export * from './served-resources';
export * from './discover-resources';
