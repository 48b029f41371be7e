/**
 * The subset of Go's text/template that kubectl users write: text, {{pipeline}} with trim markers
 * ({{- -}}), comments, fields (.a.b, $x.a), variables ($x := …), literals ("…", `…`, numbers, true,
 * false, nil), function calls, parenthesized pipelines, `|`, and if/else if/else, range (with
 * $i, $v :=), with, end. Errors are TemplateError with text/template's wording ("template: output:1: …").
 */
export class TemplateError extends Error {}

export type Arg =
  | { t: 'field'; base: Arg | null; names: string[]; pos: number }
  | { t: 'var'; name: string; names: string[]; pos: number }
  | { t: 'dot'; pos: number }
  | { t: 'lit'; value: unknown; pos: number }
  | { t: 'ident'; name: string; pos: number }
  | { t: 'pipe'; pipe: Pipe; names: string[]; pos: number };
export interface Pipe {
  decl: string[];
  cmds: Arg[][];
}
export type TNode =
  | { t: 'text'; text: string }
  | { t: 'action'; pipe: Pipe; pos: number }
  | { t: 'if' | 'with' | 'range'; pipe: Pipe; list: TNode[]; elseList: TNode[]; pos: number };

export const FUNCS = new Set(['and', 'or', 'not', 'len', 'index', 'printf', 'print', 'println', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'exists', 'base64decode', 'html', 'js', 'urlquery', 'slice', 'call']);

interface Tok {
  k: 'field' | 'var' | 'dot' | 'str' | 'num' | 'ident' | '(' | ')' | '|' | ':=' | '=' | ',' | 'end';
  v: string;
  pos: number;
}

/** "line:col" as text/template's ErrorContext reports a node position. */
export function lineCol(src: string, pos: number): string {
  const before = src.slice(0, pos);
  return `${before.split('\n').length}:${pos - (before.lastIndexOf('\n') + 1)}`;
}

function lineOf(src: string, pos: number): number {
  return src.slice(0, pos).split('\n').length;
}

/** Splits the template into text and actions (with trim markers applied). */
function lexSections(src: string): ({ text: string } | { action: string; pos: number })[] {
  const out: ({ text: string } | { action: string; pos: number })[] = [];
  let i = 0;
  let trimNext = false;
  while (i <= src.length) {
    const open = src.indexOf('{{', i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    trimNext = false;
    if (open < 0) {
      if (text) out.push({ text });
      break;
    }
    let start = open + 2;
    if (/^- /.test(src.slice(start)) || src.slice(start, start + 2) === '-\t' || src.slice(start, start + 2) === '-\n') {
      text = text.replace(/[ \t\r\n]+$/, '');
      start += 1;
    }
    if (text) out.push({ text });
    let j = start;
    let quote = '';
    for (; j < src.length; j++) {
      const c = src[j];
      if (quote) {
        if (c === '\\' && quote !== '`') j++;
        else if (c === quote) quote = '';
        continue;
      }
      if (c === '"' || c === '`' || c === "'") quote = c;
      else if (src.startsWith('}}', j)) break;
      else if (c === '\n' && !src.slice(start, j).trimStart().startsWith('/*')) throw new TemplateError(`template: output:${lineOf(src, open)}: unclosed action`);
    }
    if (j >= src.length) throw new TemplateError(`template: output:${lineOf(src, open)}: unclosed action`);
    let body = src.slice(start, j);
    if (/[ \t\r\n]-$/.test(body)) {
      body = body.slice(0, -1);
      trimNext = true;
    }
    out.push({ action: body, pos: start });
    i = j + 2;
  }
  return out;
}

function lexAction(src: string, body: string, base: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    const pos = base + i;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = body.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^"(?:[^"\\]|\\.)*"/.exec(rest))) toks.push({ k: 'str', v: JSON.parse(m[0].replace(/\\'/g, "'")) as string, pos });
    else if ((m = /^`[^`]*`/.exec(rest))) toks.push({ k: 'str', v: m[0].slice(1, -1), pos });
    else if ((m = /^'(\\.|[^'])'/.exec(rest))) toks.push({ k: 'num', v: String((JSON.parse(`"${m[1]}"`) as string).codePointAt(0)), pos });
    else if ((m = /^:=/.exec(rest)) || (m = /^[()|=,]/.exec(rest))) toks.push({ k: m[0] as Tok['k'], v: m[0], pos });
    else if ((m = /^\$[\p{L}\p{Nd}_]*/u.exec(rest))) toks.push({ k: 'var', v: m[0], pos });
    else if ((m = /^(\.[\p{L}\p{Nd}_]+)+/u.exec(rest))) toks.push({ k: 'field', v: m[0], pos });
    else if ((m = /^\./.exec(rest))) toks.push({ k: 'dot', v: '.', pos });
    else if ((m = /^[+-]?(0x[0-9a-fA-F]+|\d+(\.\d*)?([eE][+-]?\d+)?|\.\d+)/.exec(rest))) toks.push({ k: 'num', v: m[0], pos });
    else if ((m = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(rest))) toks.push({ k: 'ident', v: m[0], pos });
    else throw new TemplateError(`template: output:${lineOf(src, pos)}: unexpected "${c}" in command`);
    i += m[0].length;
  }
  toks.push({ k: 'end', v: '', pos: base + body.length });
  return toks;
}

/** Parses a template into its node list. */
export function parseTemplate(src: string): TNode[] {
  const sections = lexSections(src);
  let idx = 0;
  const err = (pos: number, msg: string) => new TemplateError(`template: output:${lineOf(src, pos)}: ${msg}`);

  const parsePipe = (toks: Tok[], at: { i: number }, pos: number, ctx: string): Pipe => {
    const decl: string[] = [];
    const save = at.i;
    while (toks[at.i].k === 'var') {
      decl.push(toks[at.i].v);
      at.i++;
      if (toks[at.i].k === ',') at.i++;
      else break;
    }
    if (decl.length && (toks[at.i].k === ':=' || toks[at.i].k === '=')) at.i++;
    else {
      decl.length = 0;
      at.i = save;
    }
    const cmds: Arg[][] = [];
    let cmd: Arg[] = [];
    for (;;) {
      const tk = toks[at.i];
      if (tk.k === 'end' || tk.k === ')') break;
      if (tk.k === '|') {
        if (!cmd.length) throw err(tk.pos, 'missing command');
        cmds.push(cmd);
        cmd = [];
        at.i++;
        continue;
      }
      cmd.push(parseOperand(toks, at));
    }
    if (cmd.length) cmds.push(cmd);
    if (!cmds.length) throw err(pos, `missing value for ${ctx}`);
    return { decl, cmds };
  };

  const parseOperand = (toks: Tok[], at: { i: number }): Arg => {
    const tk = toks[at.i++];
    let arg: Arg;
    switch (tk.k) {
      case 'field':
      {
        // text/template positions a field chain at its second element.
        const names = tk.v.slice(1).split('.');
        return { t: 'field', base: null, names, pos: names.length > 1 ? tk.pos + 1 + names[0].length : tk.pos };
      }
      case 'dot':
        return { t: 'dot', pos: tk.pos };
      case 'str':
        return { t: 'lit', value: tk.v, pos: tk.pos };
      case 'num':
        return { t: 'lit', value: Number(tk.v), pos: tk.pos };
      case 'var': {
        const next = toks[at.i];
        const names = next.k === 'field' && next.pos === tk.pos + tk.v.length ? (at.i++, next.v.slice(1).split('.')) : [];
        return { t: 'var', name: tk.v, names, pos: tk.pos };
      }
      case 'ident':
        if (tk.v === 'true' || tk.v === 'false') return { t: 'lit', value: tk.v === 'true', pos: tk.pos };
        if (tk.v === 'nil') return { t: 'lit', value: null, pos: tk.pos };
        if (!FUNCS.has(tk.v)) throw err(tk.pos, `function "${tk.v}" not defined`);
        return { t: 'ident', name: tk.v, pos: tk.pos };
      case '(': {
        const pipe = parsePipe(toks, at, tk.pos, 'parenthesized pipeline');
        if (toks[at.i++].k !== ')') throw err(tk.pos, 'unclosed left paren');
        const next = toks[at.i];
        const names = next.k === 'field' && next.pos === toks[at.i - 1].pos + 1 ? (at.i++, next.v.slice(1).split('.')) : [];
        arg = { t: 'pipe', pipe, names, pos: tk.pos };
        return arg;
      }
      default:
        throw err(tk.pos, `unexpected "${tk.v}" in operand`);
    }
  };

  const parseList = (stopAt: string[]): { list: TNode[]; stop: string; stopToks?: Tok[]; at?: { i: number } } => {
    const list: TNode[] = [];
    while (idx < sections.length) {
      const s = sections[idx++];
      if ('text' in s) {
        list.push({ t: 'text', text: s.text });
        continue;
      }
      if (/^\s*\/\*[\s\S]*\*\/\s*$/.test(s.action)) continue;
      const toks = lexAction(src, s.action, s.pos);
      const first = toks[0];
      const at = { i: 1 };
      if (first.k === 'ident' && (first.v === 'end' || first.v === 'else')) {
        if (!stopAt.includes(first.v)) throw err(first.pos, `unexpected {{${first.v}}}`);
        return { list, stop: first.v, stopToks: toks, at };
      }
      if (first.k === 'ident' && (first.v === 'if' || first.v === 'range' || first.v === 'with')) {
        list.push(parseControl(first.v, toks, at, first.pos));
        continue;
      }
      at.i = 0;
      const pipe = parsePipe(toks, at, s.pos, 'command');
      if (toks[at.i].k !== 'end') throw err(toks[at.i].pos, `unexpected "${toks[at.i].v}" in command`);
      list.push({ t: 'action', pipe, pos: s.pos });
    }
    if (stopAt.length) throw new TemplateError(`template: output:${lineOf(src, src.length)}: unexpected EOF`);
    return { list, stop: '' };
  };

  const parseControl = (kind: 'if' | 'range' | 'with', toks: Tok[], at: { i: number }, pos: number): TNode => {
    const pipe = parsePipe(toks, at, pos, kind);
    const body = parseList(['end', 'else']);
    let elseList: TNode[] = [];
    if (body.stop === 'else') {
      const st = body.stopToks as Tok[];
      const a = body.at as { i: number };
      if (st[a.i].k === 'ident' && (st[a.i].v === 'if' || st[a.i].v === 'with')) {
        const v = st[a.i].v as 'if' | 'with';
        a.i++;
        elseList = [parseControl(v, st, a, st[a.i - 1].pos)];
      } else elseList = parseList(['end']).list;
    }
    return { t: kind, pipe, list: body.list, elseList, pos };
  };

  return parseList([]).list;
}
