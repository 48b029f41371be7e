import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../workers/apiserver/authz';
import { auditEventFields, describePolicyFailure, formatLatency, hasPolicyFailure, matchesAuditFilter, policyFailures, sortedAnnotations } from './audit-format';

const e = (over: Partial<AuditEntry>): AuditEntry => ({ time: '2026-01-01T00:00:00Z', user: 'kubernetes-admin', verb: 'list', resource: 'pods', namespace: 'default', name: '', uri: '/api/v1/namespaces/default/pods', code: 200, ...over });

describe('matchesAuditFilter', () => {
  it('words must all occur somewhere; key=value terms match one field exactly; code=4xx a class', () => {
    const denied = e({ user: 'jane', code: 403 });
    const got = e({ verb: 'get', resource: 'secrets', name: 'db', code: 404, uri: '/api/v1/namespaces/default/secrets/db' });
    expect(matchesAuditFilter(denied, '')).toBe(true);
    expect(matchesAuditFilter(denied, 'JANE pods')).toBe(true);
    expect(matchesAuditFilter(denied, 'jane secrets')).toBe(false);
    expect(matchesAuditFilter(got, 'default/db')).toBe(true);
    expect(matchesAuditFilter(got, 'resource=secret')).toBe(false);
    expect(matchesAuditFilter(got, 'resource=secrets name=db ns=default verb=get')).toBe(true);
    expect([denied, got, e({ code: 201 }), e({ code: 500 })].filter((x) => matchesAuditFilter(x, 'code=4xx')).map((x) => x.code)).toEqual([403, 404]);
    expect(matchesAuditFilter(e({ code: 500 }), 'code=500')).toBe(true);
    expect(matchesAuditFilter(e({ user: 'bob', impersonatedBy: 'kubernetes-admin' }), 'user=kubernetes-admin')).toBe(false);
  });
});

describe('formatLatency', () => {
  it('whole milliseconds, <1ms below, seconds from 1 s', () => {
    expect([undefined, 0, 0.4, 7, 999, 1000, 12345].map(formatLatency)).toEqual(['', '<1ms', '<1ms', '7ms', '999ms', '1.00s', '12.35s']);
  });
});

const FAILURE = 'validation.policy.admission.k8s.io/validation_failure';
const audited = e({
  verb: 'create',
  resource: 'configmaps',
  name: '',
  code: 201,
  uri: '/api/v1/namespaces/default/configmaps',
  annotations: {
    [FAILURE]: '[{"message":"no secrets","policy":"audited","binding":"audited-b","expressionIndex":1,"validationActions":["Audit","Warn"]},{"message":"too big","policy":"size","binding":"size-b","expressionIndex":0,"validationActions":["Audit"]}]',
    'authorization.k8s.io/reason': '',
    'audited/size': '2',
    'authorization.k8s.io/decision': 'allow',
  },
});

describe('policy failures', () => {
  it('are read from the validation_failure annotation, in recorded order, and worded as the policy warning', () => {
    expect(hasPolicyFailure(audited)).toBe(true);
    expect(hasPolicyFailure(e({ annotations: { 'audited/size': '1' } }))).toBe(false);
    expect(hasPolicyFailure(e({}))).toBe(false);
    expect(policyFailures(audited).map(describePolicyFailure)).toEqual([
      "Validation failed for ValidatingAdmissionPolicy 'audited' with binding 'audited-b': no secrets (validations[1]; actions Audit, Warn)",
      "Validation failed for ValidatingAdmissionPolicy 'size' with binding 'size-b': too big (validations[0]; actions Audit)",
    ]);
  });

  it('a value that is not a JSON list still counts as a failure but lists none', () => {
    const odd = e({ annotations: { [FAILURE]: 'not json' } });
    expect(hasPolicyFailure(odd)).toBe(true);
    expect(policyFailures(odd)).toEqual([]);
    expect(policyFailures(e({ annotations: { [FAILURE]: '{"message":"x"}' } }))).toEqual([]);
  });
});

describe('audit Event view', () => {
  it('annotations sort by key as the Event map serializes', () => {
    expect(sortedAnnotations(audited).map(([k]) => k)).toEqual(['audited/size', 'authorization.k8s.io/decision', 'authorization.k8s.io/reason', FAILURE]);
    expect(sortedAnnotations(audited)[2]).toEqual(['authorization.k8s.io/reason', '']);
    expect(sortedAnnotations(e({}))).toEqual([]);
  });

  it('fields name the requesting user, the impersonated one and the objectRef parts; empty ones are left out', () => {
    const exec = e({ user: 'bob', impersonatedBy: 'kubernetes-admin', verb: 'create', resource: 'pods/exec', name: 'web', code: 101, latencyMs: 3, uri: '/api/v1/namespaces/default/pods/web/exec?command=ls' });
    expect(auditEventFields(exec)).toEqual([
      ['stageTimestamp', '2026-01-01T00:00:00Z'],
      ['verb', 'create'],
      ['requestURI', '/api/v1/namespaces/default/pods/web/exec?command=ls'],
      ['user.username', 'kubernetes-admin'],
      ['impersonatedUser.username', 'bob'],
      ['objectRef', 'resource=pods namespace=default name=web subresource=exec'],
      ['responseStatus.code', '101'],
      ['latency', '3ms'],
    ]);
    const healthz = e({ verb: 'get', resource: '', namespace: '', uri: '/healthz' });
    expect(auditEventFields(healthz).map(([k]) => k)).toEqual(['stageTimestamp', 'verb', 'requestURI', 'user.username', 'responseStatus.code']);
  });
});
