import { goSprint } from '../go-fmt';
import { goSprintf } from './sprintf';
import { lineCol, parseTemplate, TemplateError, type Arg, type Pipe, type TNode } from './template-parser';

/**
 * Executes a parsed text/template over a decoded JSON value as kubectl's go-template printer does:
 * missing map keys are "<no value>" when printed (missingkey=default), values print with fmt's %v
 * (map[k:v], [a b], <nil>), fields of non-maps fail with "can't evaluate field X in type interface {}".
 */
export { TemplateError };

const NO_VALUE = Symbol('no value');
type V = unknown;

export class GoTemplate {
  private readonly nodes: TNode[];
  constructor(readonly text: string) {
    this.nodes = parseTemplate(text);
  }

  execute(data: V): string {
    const out: string[] = [];
    this.walk(this.nodes, data, [{ name: '$', value: data }], out);
    return out.join('');
  }

  private walk(nodes: TNode[], dot: V, vars: { name: string; value: V }[], out: string[]): void {
    for (const n of nodes) {
      if (n.t === 'text') out.push(n.text);
      else if (n.t === 'action') {
        const v = this.pipe(n.pipe, dot, vars);
        if (!n.pipe.decl.length) out.push(v === NO_VALUE ? '<no value>' : goSprint(v));
      } else {
        const scope = [...vars];
        const v = this.pipe(n.t === 'range' ? { decl: [], cmds: n.pipe.cmds } : n.pipe, dot, scope);
        if (n.t === 'if') this.walk(truth(v) ? n.list : n.elseList, dot, scope, out);
        else if (n.t === 'with') {
          if (truth(v)) this.walk(n.list, v, scope, out);
          else this.walk(n.elseList, dot, scope, out);
        } else {
          const entries: [V, V][] = Array.isArray(v)
            ? v.map((x, i) => [i, x])
            : isMap(v)
              ? Object.keys(v).sort().map((k) => [k, v[k]])
              : typeof v === 'number'
                ? Array.from({ length: v }, (_, i) => [i, i])
                : [];
          if (v !== null && v !== undefined && v !== NO_VALUE && !Array.isArray(v) && !isMap(v) && typeof v !== 'number') {
            throw new TemplateError(`template: output:${lineCol(this.text, n.pos)}: range can't iterate over ${goSprint(v)}`);
          }
          if (!entries.length) this.walk(n.elseList, dot, scope, out);
          for (const [k, x] of entries) {
            const inner = [...scope];
            const d = n.pipe.decl;
            if (d.length === 1) inner.push({ name: d[0], value: x });
            if (d.length >= 2) inner.push({ name: d[0], value: k }, { name: d[1], value: x });
            this.walk(n.list, x, inner, out);
          }
        }
      }
    }
  }

  private pipe(p: Pipe, dot: V, vars: { name: string; value: V }[]): V {
    let value: V = NO_VALUE;
    let first = true;
    for (const cmd of p.cmds) {
      value = this.command(cmd, dot, vars, first ? undefined : value);
      first = false;
    }
    if (p.decl.length === 1) vars.push({ name: p.decl[0], value });
    return value;
  }

  private command(cmd: Arg[], dot: V, vars: { name: string; value: V }[], piped: V | undefined): V {
    const head = cmd[0];
    if (head.t === 'ident') {
      const args = cmd.slice(1).map((a) => this.arg(a, dot, vars));
      if (piped !== undefined) args.push(piped);
      return callFunc(head.name, args.map((a) => (a === NO_VALUE ? null : a)));
    }
    if (cmd.length > 1 || piped !== undefined) throw new TemplateError(`template: output:${lineCol(this.text, head.pos)}: can't give argument to non-function ${describe(head)}`);
    return this.arg(head, dot, vars);
  }

  private arg(a: Arg, dot: V, vars: { name: string; value: V }[]): V {
    switch (a.t) {
      case 'lit':
        return a.value;
      case 'dot':
        return dot;
      case 'ident':
        return callFunc(a.name, []);
      case 'field':
        return fields(dot, a.names, a, this.text);
      case 'var': {
        const v = [...vars].reverse().find((x) => x.name === a.name);
        if (!v) throw new TemplateError(`template: output:1: undefined variable: ${a.name}`);
        return fields(v.value, a.names, a, this.text);
      }
      case 'pipe':
        return fields(this.pipe(a.pipe, dot, [...vars]), a.names, a, this.text);
    }
  }
}

function describe(a: Arg): string {
  if (a.t === 'field') return '.' + a.names.join('.');
  if (a.t === 'var') return [a.name, ...a.names].join('.');
  if (a.t === 'lit') return goSprint(a.value);
  return '.';
}

function fields(v: V, names: string[], at: Arg, src: string): V {
  for (const name of names) {
    if (v === NO_VALUE || v === null || v === undefined) return NO_VALUE;
    if (!isMap(v)) throw new TemplateError(`template: output:${lineCol(src, at.pos)}: executing "output" at <${describe(at)}>: can't evaluate field ${name} in type interface {}`);
    v = Object.hasOwn(v, name) ? v[name] : NO_VALUE;
  }
  return v;
}

const isMap = (v: V): v is Record<string, V> => !!v && typeof v === 'object' && !Array.isArray(v);

function truth(v: V): boolean {
  if (v === NO_VALUE || v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

function basicEq(a: V, b: V): boolean {
  if (typeof a !== typeof b || (typeof a === 'object' && a !== null)) throw new TemplateError('error calling eq: incompatible types for comparison');
  return a === b;
}

function callFunc(name: string, args: V[]): V {
  const need = (n: number) => {
    if (args.length !== n) throw new TemplateError(`wrong number of args for ${name}: want ${n} got ${args.length}`);
  };
  switch (name) {
    case 'and':
      return args.find((a) => !truth(a)) ?? args[args.length - 1];
    case 'or':
      return args.find((a) => truth(a)) ?? args[args.length - 1];
    case 'not':
      need(1);
      return !truth(args[0]);
    case 'len': {
      need(1);
      const a = args[0];
      if (Array.isArray(a) || typeof a === 'string') return a.length;
      if (isMap(a)) return Object.keys(a).length;
      throw new TemplateError(`error calling len: len of type ${a === null ? '<nil>' : typeof a}`);
    }
    case 'index': {
      let v = args[0];
      for (const k of args.slice(1)) {
        if (Array.isArray(v)) {
          if (typeof k !== 'number' || k < 0 || k >= v.length) throw new TemplateError(`error calling index: index out of range: ${String(k)}`);
          v = v[k];
        } else if (isMap(v)) v = Object.hasOwn(v, String(k)) ? v[String(k)] : null;
        else if (v === null) throw new TemplateError('error calling index: index of untyped nil');
        else throw new TemplateError(`error calling index: can't index item of type ${typeof v}`);
      }
      return v;
    }
    case 'exists': {
      let v = args[0];
      for (const k of args.slice(1)) {
        if (Array.isArray(v) && typeof k === 'number' && k >= 0 && k < v.length) v = v[k];
        else if (isMap(v) && Object.hasOwn(v, String(k))) v = v[String(k)];
        else return false;
      }
      return v !== null && v !== undefined;
    }
    case 'printf':
      return goSprintf(String(args[0] ?? ''), args.slice(1));
    case 'print':
      return args.map((a, i) => (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string' ? ' ' : '') + goSprint(a)).join('');
    case 'println':
      return args.map(goSprint).join(' ') + '\n';
    case 'eq':
      return args.slice(1).some((b) => basicEq(args[0], b));
    case 'ne':
      need(2);
      return !basicEq(args[0], args[1]);
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      need(2);
      const [a, b] = args as [number | string, number | string];
      if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) throw new TemplateError(`error calling ${name}: incompatible types for comparison`);
      return name === 'lt' ? a < b : name === 'le' ? a <= b : name === 'gt' ? a > b : a >= b;
    }
    case 'base64decode': {
      need(1);
      return decodeBase64(String(args[0]));
    }
  }
  throw new TemplateError(`function "${name}" not defined`);
}

function decodeBase64(s: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const bytes: number[] = [];
  let buf = 0;
  let bits = 0;
  for (const c of s.replace(/=+$/, '')) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new TemplateError(`error calling base64decode: base64 decode failed: illegal base64 data at input byte ${s.indexOf(c)}`);
    buf = (buf << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buf >> bits) & 0xff);
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
