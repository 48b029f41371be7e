/**
 * src/client: what every API client uses (client-go's role): the ApiClient over any ApiTransport,
 * shared informers with listers, and the stingy workqueue. The UI, kubectl, the scheduler, the kubelets
 * and the controller-manager all use these; never write a second one.
 */
export * from './api-client';
