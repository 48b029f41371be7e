import type { LabelSelector } from 'kubernetes-types/meta/v1';

/** A compiled label selector: true when a label set matches. */
export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

interface Requirement {
  key: string;
  op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

function matches(reqs: Requirement[]): LabelMatcher {
  return (labels) => {
    const l = labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(l, r.key);
      switch (r.op) {
        case 'In':
          return has && r.values.includes(l[r.key]);
        case 'NotIn':
          return !has || !r.values.includes(l[r.key]);
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
      }
    });
  };
}

/** Splits on commas that are not inside parentheses. */
function terms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((t) => t.trim()).filter(Boolean);
}

/**
 * Parses the string form (`a=b,c!=d,e in (x,y),f notin (z),g,!h`; `==` as `=`). Empty matches everything.
 * Throws Error on a malformed selector (callers map it to their own error text).
 */
export function parseLabelSelector(selector: string | undefined): LabelMatcher {
  const reqs: Requirement[] = [];
  for (const t of terms(selector ?? '')) {
    let m: RegExpExecArray | null;
    if ((m = /^([^\s=!(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(t))) {
      reqs.push({ key: m[1], op: m[2] === 'in' ? 'In' : 'NotIn', values: m[3].split(',').map((v) => v.trim()).filter(Boolean) });
    } else if ((m = /^([^\s=!(),]+)\s*!=\s*([^\s=!(),]*)$/.exec(t))) {
      reqs.push({ key: m[1], op: 'NotIn', values: [m[2]] });
    } else if ((m = /^([^\s=!(),]+)\s*==?\s*([^\s=!(),]*)$/.exec(t))) {
      reqs.push({ key: m[1], op: 'In', values: [m[2]] });
    } else if ((m = /^!\s*([^\s=!(),]+)$/.exec(t))) {
      reqs.push({ key: m[1], op: 'DoesNotExist', values: [] });
    } else if ((m = /^([^\s=!(),]+)$/.exec(t))) {
      reqs.push({ key: m[1], op: 'Exists', values: [] });
    } else {
      throw new Error(`unable to parse requirement: ${t}`);
    }
  }
  return matches(reqs);
}

/** Compiles a metav1.LabelSelector (matchLabels AND matchExpressions). An empty selector matches everything; null/undefined matches nothing. */
export function labelSelectorMatcher(sel: LabelSelector | null | undefined): LabelMatcher {
  if (!sel) return () => false;
  const reqs: Requirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, op: 'In', values: [v] }));
  for (const e of sel.matchExpressions ?? []) reqs.push({ key: e.key, op: e.operator as Requirement['op'], values: e.values ?? [] });
  return matches(reqs);
}

/** Matcher for a plain map of required labels (a Service or nodeSelector style selector). */
export function mapSelectorMatcher(required: Record<string, string> | undefined): LabelMatcher {
  const entries = Object.entries(required ?? {});
  return (labels) => entries.every(([k, v]) => labels?.[k] === v);
}
