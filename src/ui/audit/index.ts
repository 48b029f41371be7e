/**
 * src/ui/audit: the audit view, a live table of the apiserver's audit ring (recent requests: time, user, verb,
 * resource, namespace/name, response code, latency) with a filter box and a "policy failures" toggle; a row flags a
 * ValidatingAdmissionPolicy failure audited for it, and selecting a row (click, Enter/Space; Up/Down, Escape) opens
 * its detail panel: the audit Event's fields and `annotations` map (authorization decision and reason, policy
 * auditAnnotations and validation_failure). The ring lives in the apiserver Worker
 * (src/workers/apiserver/authz/audit-ring.ts) and reaches the page through its Comlink `audit()` method.
 */
export { AuditView, type AuditSource } from './audit-view';
export { AuditDetail } from './audit-detail';
export { auditEventFields, describePolicyFailure, formatLatency, hasPolicyFailure, matchesAuditFilter, policyFailures, POLICY_FAILURE_ANNOTATION, sortedAnnotations, type PolicyFailure } from './audit-format';
