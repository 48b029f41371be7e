import { Environment, Optional, type ParseError } from '@marcbachmann/cel-js';
import type { JsonSchema } from './json-schema';
import { registerAuthorizerLibrary } from './policy-authorizer';

/**
 * The CEL environment of x-kubernetes-validations (and ValidatingAdmissionPolicy): @marcbachmann/cel-js
 * with `self`/`oldSelf` (and the policy variables) as dyn, optional types on, plus the parts of
 * Kubernetes' CEL library tutorials use that cel-js lacks (list isSorted/sum/min/max/indexOf,
 * string charAt/replace) and the authz library (policy-authorizer; evaluations using it return a Promise). Compile errors read like cel-go's issues:
 * `ERROR: <input>:1:16: <message>\n | <source line>\n | ...............^`.
 */
export type CelProgram = (vars: Record<string, unknown>) => unknown;

let env: Environment | undefined;

const VARS = ['self', 'oldSelf', 'object', 'oldObject', 'request', 'params', 'namespaceObject', 'variables'];

function environment(): Environment {
  if (env) return env;
  const e = new Environment({ homogeneousAggregateLiterals: false, enableOptionalTypes: true });
  for (const v of VARS) e.registerVariable(v, 'dyn');
  registerAuthorizerLibrary(e);
  e.registerVariable('authorizer', 'kubernetes.authorization.Authorizer');
  const cmp = (a: unknown, b: unknown) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);
  e.registerFunction('list.isSorted(): bool', (l: unknown[]) => l.every((x, i) => i === 0 || cmp(l[i - 1], x) <= 0));
  e.registerFunction('list.sum(): dyn', (l: unknown[]) => (l.length === 0 ? 0n : (l as Array<bigint>).reduce((a, b) => a + b)));
  e.registerFunction('list.min(): dyn', (l: unknown[]) => minMax(l, -1));
  e.registerFunction('list.max(): dyn', (l: unknown[]) => minMax(l, 1));
  e.registerFunction('list.indexOf(dyn): int', (l: unknown[], x: unknown) => BigInt(l.findIndex((y) => celEqual(x, y))));
  e.registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], x: unknown) => {
    for (let i = l.length - 1; i >= 0; i--) if (celEqual(x, l[i])) return BigInt(i);
    return -1n;
  });
  e.registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
    if (i < 0n || i > BigInt(s.length)) throw new Error(`index out of range: ${i}`);
    return s.charAt(Number(i));
  });
  e.registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) => s.split(a).join(b));
  e.registerFunction('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) => {
    let out = s;
    let from = 0;
    for (let k = 0n; n < 0n || k < n; k++) {
      const at = out.indexOf(a, from);
      if (at < 0) break;
      out = out.slice(0, at) + b + out.slice(at + a.length);
      from = at + b.length;
    }
    return out;
  });
  env = e;
  return e;
}

function minMax(l: unknown[], sign: number): unknown {
  if (!l.length) throw new Error('min called on empty list');
  return l.reduce((a, b) => (sign < 0 ? (b as number) < (a as number) : (b as number) > (a as number)) ? b : a);
}

function celEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint' || typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

/** cel-go's issue text for an error at [start, end) of src. */
function issueText(src: string, message: string, start: number | undefined): string {
  const at = Math.max(0, Math.min(start ?? 0, src.length));
  const before = src.slice(0, at).split('\n');
  const line = before.length;
  const col = before[before.length - 1].length;
  const srcLine = src.split('\n')[line - 1] ?? '';
  return `ERROR: <input>:${line}:${col + 1}: ${message}\n | ${srcLine}\n | ${'.'.repeat(col)}^`;
}

function errorText(src: string, err: unknown): string {
  const e = err as Partial<ParseError> & { message?: string };
  const summary = e.summary ?? e.message ?? String(err);
  const msg = e.constructor?.name === 'ParseError' ? `Syntax error: ${summary}` : summary;
  return issueText(src, msg, e.range?.start);
}

export interface CompiledExpression {
  program?: CelProgram;
  /** `compilation failed: ...` or `cel expression must evaluate to a bool` etc. */
  error?: string;
  usesOldSelf: boolean;
}

/** Compiles src expecting the given result type ('bool' for rules, 'string' for messageExpression). */
export function compileExpression(src: string, want: 'bool' | 'string' | 'dyn', kind = 'cel expression'): CompiledExpression {
  const usesOldSelf = /\boldSelf\b/.test(src.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'));
  const e = environment();
  let checked: { valid: boolean; type?: unknown; error?: unknown };
  try {
    checked = e.check(src) as typeof checked;
  } catch (err) {
    return { error: `compilation failed: ${errorText(src, err)}`, usesOldSelf };
  }
  if (!checked.valid) return { error: `compilation failed: ${errorText(src, checked.error)}`, usesOldSelf };
  const type = String(checked.type ?? 'dyn');
  if (want !== 'dyn' && type !== want && type !== 'dyn') {
    return { error: want === 'bool' ? `${kind} must evaluate to a bool` : `${kind} must evaluate to a string`, usesOldSelf };
  }
  const parsed = e.parse(src);
  return { program: (vars) => parsed(vars), usesOldSelf };
}

/** cel-go's text for a runtime error (no such key: foo, no such overload, division by zero...). */
export function runtimeErrorText(err: unknown): string {
  const e = err as { summary?: string; message?: string };
  const s = e.summary ?? e.message ?? String(err);
  const lower = s.charAt(0).toLowerCase() + s.slice(1);
  return lower.replace(/^no such key: (.*)$/, 'no such key: $1');
}

const RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** Kubernetes' property-name escaping for CEL (`__dash__`, `__dot__`, `__slash__`, `__underscores__`, `__keyword__`). */
export function escapeName(k: string): string | undefined {
  if (RESERVED.has(k)) return `__${k}__`;
  if (!/^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*$/.test(k)) return undefined;
  return k.replace(/__|[.\-/]/g, (m) => ({ __: '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' })[m]!);
}

/**
 * A decoded JSON value as CEL sees it under schema: integers (type integer, or whole numbers without a
 * schema) become int, other numbers double; object property names are escaped; absent → undefined.
 */
export function toCel(v: unknown, schema: JsonSchema | undefined): unknown {
  if (v === null || v === undefined) return v;
  if (typeof v === 'number') {
    if (schema?.type === 'number') return v;
    return Number.isInteger(v) ? BigInt(v) : v;
  }
  if (Array.isArray(v)) return v.map((x) => toCel(x, schema?.items));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    const ap = typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const sub = schema?.properties?.[k] ?? ap;
      const name = schema?.properties ? escapeName(k) : k;
      if (name !== undefined) out[name] = toCel(x, sub);
    }
    return out;
  }
  return v;
}

export const optionalOf = (v: unknown) => (v === undefined ? Optional.none() : Optional.of(v));
