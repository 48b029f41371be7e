import type { LabelSelector as MetaLabelSelector } from 'kubernetes-types/meta/v1';
import { isQualifiedName, isValidLabelValue } from './label-validation';

/**
 * Label selectors as k8s.io/apimachinery/pkg/labels parses and matches them:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`, comma-separated (AND).
 * parseLabelSelector throws Error with kube's parser message on bad syntax ("found 'x', expected: ...").
 */
export type LabelOperator = 'exists' | '!' | '=' | '==' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  values: string[];
}

export interface Selector {
  readonly requirements: readonly LabelRequirement[];
  /** True when the selector selects everything (no requirements). */
  readonly empty: boolean;
  matches(labels: Record<string, string> | undefined | null): boolean;
  /** Canonical string (requirements sorted by key), as labels.Selector.String(). */
  toString(): string;
}

type TokType = 'id' | 'in' | 'notin' | '!' | '!=' | '==' | '=' | '>' | '<' | '(' | ')' | ',' | 'end' | 'error';
type Tok = { t: TokType; v: string };

const SYMBOLS = ['!', '!=', '(', ')', ',', '<', '=', '==', '>'];
const isSpecial = (c: string) => c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';

/** The lexer of k8s.io/apimachinery/pkg/labels: symbols greedily, identifiers up to a space or symbol. */
function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (isSpace(c)) {
      i++;
    } else if (isSpecial(c)) {
      let sym = c;
      i++;
      while (i < s.length && isSpecial(s[i]) && SYMBOLS.includes(sym + s[i])) sym += s[i++];
      out.push(SYMBOLS.includes(sym) ? { t: sym as TokType, v: sym } : { t: 'error', v: sym });
    } else {
      let j = i;
      while (j < s.length && !isSpace(s[j]) && !isSpecial(s[j])) j++;
      const word = s.slice(i, j);
      out.push({ t: word === 'in' ? 'in' : word === 'notin' ? 'notin' : 'id', v: word });
      i = j;
    }
  }
  out.push({ t: 'end', v: '' });
  return out;
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.operator) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(v);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(v);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(v)) return false;
      const n = Number(v);
      const want = Number(r.values[0]);
      return r.operator === 'gt' ? n > want : n < want;
    }
  }
}

function requirementString(r: LabelRequirement): string {
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${[...r.values].sort().join(',')})`;
    case 'gt':
      return `${r.key}>${r.values[0]}`;
    case 'lt':
      return `${r.key}<${r.values[0]}`;
    default:
      return `${r.key}${r.operator}${r.values[0]}`;
  }
}

export function selectorOf(requirements: LabelRequirement[]): Selector {
  const reqs = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    requirements: reqs,
    empty: reqs.length === 0,
    matches: (labels) => reqs.every((r) => requirementMatches(r, labels ?? {})),
    toString: () => reqs.map(requirementString).join(','),
  };
}

export const everything: Selector = selectorOf([]);

/** Thrown inside the parser for errors that kube wraps as "unable to parse requirement: …". */
class RequirementError extends Error {}

function validateRequirement(key: string, operator: LabelOperator, values: string[]): void {
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(`key: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
  if ((operator === 'in' || operator === 'notin') && values.length === 0) errs.push(`values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`);
  if (operator === 'gt' || operator === 'lt') {
    values.forEach((v, i) => {
      if (!/^[-+]?\d+$/.test(v)) errs.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
    });
  }
  values.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length) errs.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${ve.join('; ')}`);
  });
  if (errs.length) throw new RequirementError(errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`);
}

/** labels.Parse: the same grammar and error texts ("found 'x', expected: …", "unable to parse requirement: …"). */
export function parseLabelSelector(input: string | undefined | null): Selector {
  const toks = lex(input ?? '');
  let p = 0;
  // In "Values" context the keywords in/notin are plain identifiers.
  const asValue = (t: Tok): Tok => (t.t === 'in' || t.t === 'notin' ? { t: 'id', v: t.v } : t);
  const peek = () => asValue(toks[p]);
  const next = () => asValue(toks[p++]);
  const reqs: LabelRequirement[] = [];

  const parseValues = (): string[] => {
    const open = next();
    if (open.t !== '(') throw new RequirementError(`found '${open.v}' expected: '('`);
    const la = peek();
    if (la.t === ')') {
      p++;
      return [''];
    }
    if (la.t !== 'id' && la.t !== ',') throw new RequirementError(`found '${la.v}', expected: ',', ')' or identifier`);
    const set = new Set<string>();
    for (;;) {
      const t = next();
      if (t.t === 'id') {
        set.add(t.v);
        const t2 = peek();
        if (t2.t === ',') continue;
        if (t2.t === ')') break;
        throw new RequirementError(`found '${t2.v}', expected: ',' or ')'`);
      } else if (t.t === ',') {
        if (set.size === 0) set.add('');
        const t2 = peek();
        if (t2.t === ')') {
          set.add('');
          break;
        }
        if (t2.t === ',') {
          p++;
          set.add('');
        }
      } else {
        throw new RequirementError(`found '${t.v}', expected: ',', or identifier`);
      }
    }
    if (next().t !== ')') throw new RequirementError(`found '${la.v}', expected: ')'`);
    return [...set].sort();
  };

  const parseRequirement = (): LabelRequirement => {
    let t = next();
    let operator: LabelOperator | undefined;
    if (t.t === '!') {
      operator = '!';
      t = next();
    }
    if (t.t !== 'id') throw new RequirementError(`found '${t.v}', expected: identifier`);
    const key = t.v;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) throw new RequirementError(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
    const la = peek().t;
    if (la === 'end' || la === ',') {
      const op = operator ?? 'exists';
      validateRequirement(key, op, []);
      return { key, operator: op, values: [] };
    }
    const opTok = toks[p++];
    const ops: Partial<Record<TokType, LabelOperator>> = { in: 'in', notin: 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' };
    const op = ops[opTok.t];
    if (!op) throw new RequirementError(`found '${opTok.v}', expected: '=', '!=', '==', 'in', notin'`);
    let values: string[];
    if (op === 'in' || op === 'notin') values = parseValues();
    else {
      const v = peek();
      if (v.t === 'end' || v.t === ',') values = [''];
      else {
        p++;
        if (v.t !== 'id') throw new RequirementError(`found '${v.v}', expected: identifier`);
        values = [v.v];
      }
    }
    validateRequirement(key, op, values);
    return { key, operator: op, values };
  };

  for (;;) {
    const la = peek();
    if (la.t === 'end') break;
    if (la.t !== 'id' && la.t !== '!') throw new Error(`found '${la.v}', expected: !, identifier, or 'end of string'`);
    try {
      reqs.push(parseRequirement());
    } catch (err) {
      if (err instanceof RequirementError) throw new Error(`unable to parse requirement: ${err.message}`);
      throw err;
    }
    const sep = next();
    if (sep.t === 'end') break;
    if (sep.t !== ',') throw new Error(`found '${sep.v}', expected: ',' or 'end of string'`);
    const t2 = peek();
    if (t2.t !== 'id' && t2.t !== '!') throw new Error(`found '${t2.v}', expected: identifier after ','`);
  }
  return reqs.length ? selectorOf(reqs) : everything;
}

/** A selector requiring every key=value of set (labels.SelectorFromSet). */
export function selectorFromSet(set: Record<string, string> | undefined | null): Selector {
  return selectorOf(Object.entries(set ?? {}).map(([key, v]) => ({ key, operator: '=', values: [v] })));
}

/**
 * metav1.LabelSelectorAsSelector: undefined/null selects nothing, {} selects everything.
 * Throws Error for an unknown operator ('"Foo" is not a valid label selector operator').
 */
export function labelSelectorAsSelector(sel: MetaLabelSelector | undefined | null): Selector | 'nothing' {
  if (!sel) return 'nothing';
  const reqs: LabelRequirement[] = Object.entries(sel.matchLabels ?? {}).map(([key, v]) => ({ key, operator: '=', values: [v] }));
  for (const e of sel.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' } as const)[e.operator as 'In'];
    if (!op) throw new Error(`"${e.operator}" is not a valid label selector operator`);
    reqs.push({ key: e.key, operator: op, values: e.values ?? [] });
  }
  return selectorOf(reqs);
}

/** True when labels match a metav1.LabelSelector (nil matches nothing, {} matches everything). */
export function matchesLabelSelector(sel: MetaLabelSelector | undefined | null, labels: Record<string, string> | undefined | null): boolean {
  const s = labelSelectorAsSelector(sel);
  return s !== 'nothing' && s.matches(labels);
}

/** metav1.FormatLabelSelector: "<none>" for an empty selector, as kubectl prints SELECTOR columns. */
export function formatLabelSelector(sel: MetaLabelSelector | undefined | null): string {
  const s = labelSelectorAsSelector(sel);
  if (s === 'nothing') return '<none>';
  const str = s.toString();
  return str === '' ? '<none>' : str;
}

/** labels.FormatLabels: "k=v,k2=v2" sorted by key, "<none>" when empty. */
export function formatLabels(labels: Record<string, string> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}
