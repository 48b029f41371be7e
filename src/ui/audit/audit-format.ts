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
