import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../workers/apiserver/authz';
import { formatLatency, matchesAuditFilter } from './audit-format';

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
