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
 * - bootstrap: the `kubernetes` Service, the system PriorityClasses and the default RBAC policy, created at start when absent.
 * - authz/: authentication (service account tokens), impersonation, RBAC, access reviews and the audit ring, wrapped around dispatch.
 * - handlers/: one file per verb (get, list, watch, create, update, patch, delete[collection]) plus binding, log and scale;
 *   exec, attach (the kubelet's CRI Attach session, stdin included; a kubelet without attachOpen: the container's
 *   log from now on) and portforward (a byte stream to podIP:port over `network`) are streams.
 *   PUT/PATCH pods/<name>/ephemeralcontainers go through ResourceStrategy.subresourceUpdates (registry/ephemeral-containers.ts).
 * - admission/: the admission chain (NamespaceLifecycle, LimitRanger, ServiceAccount, PodSecurity, Priority,
 *   DefaultTolerationSeconds, DefaultStorageClass, ResourceQuota) that create and update run around validation.
 * - printers/: server-side Table printing; patch/: JSON, merge and strategic merge patches.
 * - managed-fields/: metadata.managedFields on every write and server-side apply (apply-patch+yaml).
 * - streams: the pull-based stream table behind stream/read/cancel; namespace-finalizer: v0 namespace cleanup;
 *   reconcile-until-done: the re-run-on-change loop and delete-everything-under-a-prefix it and crd/ cleanup share.
 * - openapi: /openapi/v3 (so real kubectl uses server-side field validation and explain) and /openapi/v2 (JSON).
 * - crd/: CustomResourceDefinitions and the custom resources they serve (a per-apiserver StrategyTable
 *   that router, discovery and openapi take alongside the built-in registry).
 * - shared-decodes: one read-only decode per (resource, key, revision) for every watch and the Node
 *   authorizer's graph; with shareWatchObjects (the Worker: every answer is cloned by postMessage) also the
 *   objects create/update/get answer with, and a watch opened with watchEventsAsJson gets each event as
 *   JSON text encoded once for all such watches.
 * - request-mix.bench.test / deploy-request-mix.test (skipped without APISERVER_MIX / APISERVER_BENCH): the
 *   apiserver alone through one pod's request mix (CPU per pod), and the mix a real Deployment makes.
 */
export { createApiServer, type ApiServer, type ApiServerOptions } from './api-server';
export type { DialNode } from './context';
export type { ServiceAllocatorOptions } from './service-allocator';
export { KUBERNETES_SERVICE_IP, KUBE_DNS_IP } from './service-allocator';
export { podStatusReason } from './printers/pod-printer';
export { nodeRoles, nodeStatusText } from './printers/node-printer';
