/**
 * src/workers/apiserver: the Kubernetes API (kube-apiserver 1.32 behaviour) as a pure function of
 * (Store, ApiRequest) → ApiResponse, plus its Worker entry (main.ts).
 * - api-server: createApiServer — bootstrap, dispatch, streams.
 * - router, discovery: paths → resources; /api, /api/v1, /apis, /version, aggregated discovery (apidiscovery.k8s.io/v2).
 * - registry/: one strategy per resource (defaults, validation, status rules, table columns, field labels);
 *   registry.ts is the resource table behind the router, discovery and openapi; define-strategy builds a
 *   strategy from a KindSpec (status/scale subresources, generation); workload-validation holds the
 *   selector/template rules shared by apps, batch and ReplicationControllers.
 * - service-allocator: ClusterIP (10.96.0.0/12) and NodePort (30000-32767) allocation, derived from the store.
 * - bootstrap: the `kubernetes` Service and the system PriorityClasses, created at start when absent.
 * - handlers/: one file per verb (get, list, watch, create, update, patch, delete[collection]) plus binding, log and scale.
 * - printers/: server-side Table printing; patch/: JSON, merge and strategic merge patches.
 * - streams: the pull-based stream table behind stream/read/cancel; namespace-finalizer: v0 namespace cleanup.
 * - openapi: a minimal /openapi/v3 so real kubectl uses server-side field validation.
 */
export { createApiServer, type ApiServer, type ApiServerOptions } from './api-server';
export type { DialNode } from './context';
export type { ServiceAllocatorOptions } from './service-allocator';
export { KUBERNETES_SERVICE_IP, KUBE_DNS_IP } from './service-allocator';
export { podStatusReason } from './printers/pod-printer';
export { nodeRoles, nodeStatusText } from './printers/node-printer';
