/**
 * src/client: what every API client uses (client-go's role): the ApiClient over any ApiTransport,
 * shared informers with listers, the stingy workqueue, the controller loop and the event recorder.
 * The UI, kubectl, the scheduler, the kubelets and the controller-manager all use these; never write a second one.
 * - api-client: ApiClient, ApiError mapping, watch/openStream.
 * - event-recorder: createEventRecorder (client-go record.EventRecorder); event-correlator: its EventCorrelator
 *   (aggregator, spam filter, dedup LRUs); event-series: the events.k8s.io/v1 recorder's series cache.
 *   event-recorder-retry: client-go's write retries (12 tries, 10 s apart on the Clock, transport errors only).
 * - workqueue: createWorkQueue (stingy, delaying, rate-limited).
 * - informer: SharedInformerFactory, SharedInformer, Lister; object-index: the cache with a namespace index
 *   and incrementally sorted keys behind every Lister.
 * - service-account-credentials: serviceAccountTransport (requests as a ServiceAccount, with TokenRequest tokens renewed in cluster time).
 * - controller: runController (workers draining a workqueue into reconcile).
 * - testing/fake-api-handler: FakeApiHandler, an in-memory ApiHandler for unit tests (import it directly; not re-exported).
 */
export * from './api-client';
export * from './event-recorder';
export * from './workqueue';
export * from './labels';
export * from './informer';
export * from './controller';
export * from './service-account-credentials';
