import type { AuditEntry } from '../../workers/apiserver/authz';

/**
 * Whether an entry matches the filter: every whitespace-separated term must occur (case-insensitive) in the
 * user, verb, resource, namespace/name, URI or code; `key=value` terms (user=, verb=, resource=, ns=, name=,
 * code=) match that field exactly, `code=4xx` a class of codes.
 */
export function matchesAuditFilter(e: AuditEntry, filter: string): boolean {
  const hay = `${e.user} ${e.impersonatedBy ?? ''} ${e.verb} ${e.resource} ${e.namespace}/${e.name} ${e.uri} ${e.code}`.toLowerCase();
  return filter
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((term) => {
      const kv = /^(user|verb|resource|ns|namespace|name|code)=(.*)$/.exec(term);
      if (!kv) return hay.includes(term);
      const [, key, want] = kv;
      const field = key === 'ns' || key === 'namespace' ? e.namespace : key === 'code' ? String(e.code) : String(e[key as 'user' | 'verb' | 'resource' | 'name']);
      if (key === 'code' && /^\dxx$/.test(want!)) return field[0] === want![0];
      return field.toLowerCase() === want;
    });
}

/** Latency: ms under 1 s, else seconds (the cluster clock counts whole milliseconds, so below 1 ms is "<1ms"). */
export function formatLatency(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1) return '<1ms';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${(ms / 1000).toFixed(2)}s`;
}

/** The annotation kube records for failures of ValidatingAdmissionPolicy bindings with the Audit action (a JSON list). */
export const POLICY_FAILURE_ANNOTATION = 'validation.policy.admission.k8s.io/validation_failure';

/** One element of the validation_failure list (kube's validationFailureValue). */
export interface PolicyFailure {
  message: string;
  policy: string;
  binding: string;
  expressionIndex?: number;
  validationActions?: string[];
}

/** Whether admission audited a policy failure for the request. */
export function hasPolicyFailure(e: AuditEntry): boolean {
  return e.annotations !== undefined && POLICY_FAILURE_ANNOTATION in e.annotations;
}

/** The audited policy failures, in recorded order; [] when none or the value is not a JSON list. */
export function policyFailures(e: AuditEntry): PolicyFailure[] {
  const raw = e.annotations?.[POLICY_FAILURE_ANNOTATION];
  if (raw === undefined) return [];
  try {
    const list: unknown = JSON.parse(raw);
    return Array.isArray(list) ? list.filter((x): x is PolicyFailure => typeof x === 'object' && x !== null) : [];
  } catch {
    return [];
  }
}

/** A failure in the words of the policy's warning: "Validation failed for ValidatingAdmissionPolicy 'p' with binding 'b': msg". */
export function describePolicyFailure(f: PolicyFailure): string {
  const where = [f.expressionIndex !== undefined ? `validations[${f.expressionIndex}]` : '', f.validationActions?.length ? `actions ${f.validationActions.join(', ')}` : ''].filter(Boolean).join('; ');
  return `Validation failed for ValidatingAdmissionPolicy '${f.policy}' with binding '${f.binding}': ${f.message}${where ? ` (${where})` : ''}`;
}

/** The entry's annotations as the audit Event's `annotations` map serializes them: sorted by key. */
export function sortedAnnotations(e: AuditEntry): Array<[key: string, value: string]> {
  return Object.entries(e.annotations ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The entry's audit.k8s.io Event fields (label, value) for the detail panel, empty ones left out. */
export function auditEventFields(e: AuditEntry): Array<[label: string, value: string]> {
  const fields: Array<[string, string]> = [
    ['stageTimestamp', e.time],
    ['verb', e.verb],
    ['requestURI', e.uri],
    ['user.username', e.impersonatedBy ?? e.user],
    ['impersonatedUser.username', e.impersonatedBy ? e.user : ''],
    ['objectRef', objectRef(e)],
    ['responseStatus.code', String(e.code)],
    ['latency', formatLatency(e.latencyMs)],
  ];
  return fields.filter(([, v]) => v !== '');
}

function objectRef(e: AuditEntry): string {
  const [resource = '', subresource = ''] = e.resource.split('/');
  const parts = { resource, namespace: e.namespace, name: e.name, subresource };
  return Object.entries(parts)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
