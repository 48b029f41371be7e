/**
 * src/workers/apiserver: the Kubernetes API (kube-apiserver 1.32 behaviour) as a pure function of
 * (Store, ApiRequest) → ApiResponse, plus its Worker entry (main.ts).
 * - api-server: createApiServer — bootstrap, dispatch, streams.
 * - router, discovery: paths → resources; /api, /api/v1, /apis, /version.
 * - registry/: one strategy per resource (defaults, validation, status rules, table columns, field labels).
 * - handlers/: one file per verb (get, list, watch, create, update, patch, delete) plus binding and log.
 * - printers/: server-side Table printing; patch/: JSON, merge and strategic merge patches.
 * - streams: the pull-based stream table behind stream/read/cancel; namespace-finalizer: v0 namespace cleanup.
 * - openapi: a minimal /openapi/v3 so real kubectl uses server-side field validation.
 */
export { createApiServer, type ApiServer, type ApiServerOptions } from './api-server';
export type { DialNode } from './context';
export { podStatusReason } from './printers/pod-printer';
export { nodeRoles, nodeStatusText } from './printers/node-printer';
