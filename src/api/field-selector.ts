/**
 * Field selectors as k8s.io/apimachinery/pkg/fields parses them: `a=b`, `a==b`, `a!=b`, comma-separated
 * (AND), with `\,`, `\=`, `\!` and `\\` escapes in values. parseFieldSelector throws Error
 * ("invalid selector: 'x'; can't understand 'y'") on bad syntax. Matching treats an absent field as "".
 */
export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
  readonly empty: boolean;
  matches(fields: Record<string, string>): boolean;
  toString(): string;
}

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === sep) {
      out.push(cur);
      cur = '';
    } else {
      cur += s[i];
    }
  }
  out.push(cur);
  return out;
}

function findUnescaped(s: string, op: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') {
      i++;
      continue;
    }
    if (s.startsWith(op, i)) return i;
  }
  return -1;
}

function unescape(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

function escape(v: string): string {
  return v.replace(/[\\,=!]/g, (c) => `\\${c}`);
}

export function fieldSelectorOf(requirements: FieldRequirement[]): FieldSelector {
  const reqs = [...requirements];
  return {
    requirements: reqs,
    empty: reqs.length === 0,
    matches: (fields) => reqs.every((r) => ((fields[r.field] ?? '') === r.value) === (r.operator === '=')),
    toString: () => reqs.map((r) => `${r.field}${r.operator}${escape(r.value)}`).join(','),
  };
}

export function parseFieldSelector(input: string | undefined | null): FieldSelector {
  const reqs: FieldRequirement[] = [];
  if (input && input.trim()) {
    for (const part of splitUnescaped(input, ',')) {
      if (part === '') continue;
      let done = false;
      for (const op of ['!=', '==', '='] as const) {
        const i = findUnescaped(part, op);
        if (i < 0) continue;
        reqs.push({ field: part.slice(0, i).trim(), operator: op === '!=' ? '!=' : '=', value: unescape(part.slice(i + op.length)) });
        done = true;
        break;
      }
      if (!done) throw new Error(`invalid selector: '${input}'; can't understand '${part}'`);
    }
  }
  return fieldSelectorOf(reqs);
}

/** fields.OneTermEqualSelector. */
export function oneTermEqualSelector(field: string, value: string): FieldSelector {
  return fieldSelectorOf([{ field, operator: '=', value }]);
}
