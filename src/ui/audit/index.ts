/**
 * src/ui/audit: the audit view, a live table of the apiserver's audit ring (recent requests: time, user, verb,
 * resource, namespace/name, response code, latency) with a filter box. The ring lives in the apiserver Worker
 * (src/workers/apiserver/authz/audit-ring.ts) and reaches the page through its Comlink `audit()` method.
 */
export { AuditView, type AuditSource } from './audit-view';
export { formatLatency, matchesAuditFilter } from './audit-format';
