import { toGoJsonCompact } from '../go-json';
import { goFloat, goSharpV } from '../go-fmt';
import { parseJsonPath, type JpNode, type ListNode } from './jsonpath-parser';

/**
 * client-go's JSONPath over JSON values (kubectl -o jsonpath): results of one action are joined by a
 * space; strings print raw, null prints nothing, maps and lists print as compact JSON. Missing keys
 * yield nothing when allowMissingKeys (kubectl's default), else "x is not found". Other evaluation
 * errors are JsonPathEvalError with client-go's text; the range/end state machine is client-go's.
 */
export class JsonPathEvalError extends Error {}

type Value = unknown;
const isMap = (v: Value): v is Record<string, Value> => !!v && typeof v === 'object' && !Array.isArray(v);
const typeName = (v: Value) => (Array.isArray(v) ? '[]interface {}' : isMap(v) ? 'map[string]interface {}' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'bool' : Number.isInteger(v) ? 'int64' : 'float64');

export class JsonPath {
  private stack: Value[][] = [];
  private cur: Value[] = [];
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private readonly root: ListNode;

  constructor(readonly template: string, private readonly allowMissingKeys = true) {
    this.root = parseJsonPath(template);
  }

  /** All result groups, in order (one per action or text, repeated inside ranges). */
  findResults(data: Value, nodes: JpNode[] = this.root.nodes): Value[][] {
    this.cur = [data];
    const full: Value[][] = [];
    for (let i = 0; i < nodes.length; i++) {
      const results = this.walk(this.cur, nodes[i]);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        results.forEach((value, k) => {
          if (k === results.length - 1) this.inRange--;
          full.push(...this.findResults(value, nodes.slice(i + 1)));
        });
        break;
      }
      full.push(results);
    }
    return full;
  }

  /** Result groups for data from a fresh evaluation state. */
  results(data: Value): Value[][] {
    this.stack = [];
    this.beginRange = this.inRange = this.endRange = 0;
    return this.findResults(data);
  }

  /** The template's text for data. */
  execute(data: Value): string {
    return this.results(data)
      .map((group) => group.map(toText).join(' '))
      .join('');
  }

  private walk(input: Value[], node: JpNode): Value[] {
    switch (node.t) {
      case 'list': {
        let v = input;
        for (const n of node.nodes) v = this.walk(v, n);
        return v;
      }
      case 'text':
        return [node.text];
      case 'number':
      case 'bool':
        return input.map(() => node.value);
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node.left, node.right, node.op);
      case 'wildcard':
        return input.flatMap(children);
      case 'recursive':
        return evalRecursive(input);
      case 'union':
        return node.lists.flatMap((l) => this.walk(input, l));
      case 'ident':
        return this.evalIdentifier(input, node.name);
    }
  }

  private evalIdentifier(input: Value[], name: string): Value[] {
    if (name === 'range') {
      this.stack.push(this.cur);
      this.beginRange++;
      return input;
    }
    if (name === 'end') {
      if (this.endRange < this.inRange) {
        this.endRange++;
        return [];
      }
      const top = this.stack.pop();
      if (!top) throw new JsonPathEvalError('not in range, nothing to end');
      this.cur = top;
      return [];
    }
    throw new JsonPathEvalError(`unrecognized identifier ${name}`);
  }

  private evalField(input: Value[], name: string): Value[] {
    if (input.length === 0) return [];
    const out: Value[] = [];
    for (const v of input) if (isMap(v) && Object.hasOwn(v, name)) out.push(v[name]);
    if (out.length === 0 && !this.allowMissingKeys) throw new JsonPathEvalError(`${name} is not found`);
    return out;
  }

  private evalFilter(input: Value[], left: ListNode, right: ListNode, op: string): Value[] {
    const out: Value[] = [];
    for (const value of input) {
      if (!Array.isArray(value)) throw new JsonPathEvalError(`${goPlain(value)} is not array or slice and cannot be filtered`);
      for (const item of value) {
        let lefts: Value[];
        try {
          lefts = this.walk([item], left);
        } catch (err) {
          if (op === 'exists') continue;
          throw err;
        }
        if (op === 'exists') {
          if (lefts.length > 0) out.push(item);
          continue;
        }
        const rights = this.walk([item], right);
        if (lefts.length !== 1 || rights.length !== 1) throw new JsonPathEvalError('can only compare one element at a time');
        if (compare(lefts[0], rights[0], op)) out.push(item);
      }
    }
    return out;
  }
}

function evalArray(input: Value[], params: [{ known: boolean; value: number }, { known: boolean; value: number }, { known: boolean; value: number }]): Value[] {
  const out: Value[] = [];
  for (const value of input) {
    if (value === null || value === undefined) continue;
    if (!Array.isArray(value)) throw new JsonPathEvalError(`${typeName(value)} is not array or slice`);
    // client-go adjusts the parsed params in place; kept for identical results across inputs.
    if (!params[0].known) params[0].value = 0;
    if (params[0].value < 0) params[0].value += value.length;
    if (!params[1].known) params[1].value = value.length;
    if (params[1].value < 0) params[1].value += value.length;
    const [from, to] = [params[0].value, params[1].value];
    if (to !== from) {
      if (from >= value.length) throw new JsonPathEvalError(`array index out of bounds: index ${from}, length ${value.length}`);
      if (to > value.length) throw new JsonPathEvalError(`array index out of bounds: index ${to - 1}, length ${value.length}`);
    }
    if (from < 0 || to < from) throw new JsonPathEvalError(`slice bounds out of range [${from}:${to}]`);
    const slice = value.slice(from, to);
    const step = params[2].known ? params[2].value : 1;
    for (let i = 0; i < slice.length; i += Math.max(1, step)) out.push(slice[i]);
  }
  return out;
}

function children(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (isMap(v)) return Object.values(v);
  if (typeof v === 'string') return [...v].map((c) => c.codePointAt(0) ?? 0);
  return [];
}

function evalRecursive(input: Value[]): Value[] {
  const out: Value[] = [];
  for (const v of input) {
    if (v === null || v === undefined) continue;
    const kids = children(v);
    if (kids.length) out.push(v, ...evalRecursive(kids));
  }
  return out;
}

/** text/template's comparison functions over JSON values. */
function compare(a: Value, b: Value, op: string): boolean {
  const kind = (v: Value) => (typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v);
  if (op === '==' || op === '!=') {
    if (kind(a) !== kind(b) || (typeof a === 'object' && a !== null)) throw new JsonPathEvalError('incompatible types for comparison');
    return (a === b) === (op === '==');
  }
  if (kind(a) !== kind(b) || !['int', 'float', 'string'].includes(kind(a))) throw new JsonPathEvalError('incompatible types for comparison');
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
  }
  throw new JsonPathEvalError(`unrecognized filter operator ${op}`);
}

function goPlain(v: Value): string {
  return typeof v === 'string' ? v : toGoJsonCompact(v);
}

function toText(v: Value): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'object') return toGoJsonCompact(v);
  if (typeof v === 'number') return goFloat(v);
  return String(v);
}

/** kubectl's wrapping of a failed execution (cli-runtime JSONPathPrinter). */
export function jsonPathExecError(template: string, err: Error, data: Value): string {
  return (
    `error executing jsonpath ${JSON.stringify(template)}: Error executing template: ${err.message}. Printing more information for debugging the template:\n` +
    `\ttemplate was:\n\t\t${template}\n\tobject given to jsonpath engine was:\n\t\t${goSharpV(data)}\n\n\n`
  );
}
