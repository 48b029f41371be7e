/**
 * client-go's util/jsonpath parser: text with {actions}; inside an action fields (.a, ['a']), arrays
 * and slices ([0], [1:3], [*], [0,1]), filters ([?(@.x=="y")]), recursive descent (..), quoted text,
 * numbers, booleans and the identifiers range/end. Errors are JsonPathSyntaxError with client-go's text.
 */
export interface ListNode {
  t: 'list';
  nodes: JpNode[];
}
export interface ArrayParam {
  known: boolean;
  value: number;
}
export type JpNode =
  | ListNode
  | { t: 'text'; text: string }
  | { t: 'field'; name: string }
  | { t: 'array'; params: [ArrayParam, ArrayParam, ArrayParam] }
  | { t: 'filter'; left: ListNode; right: ListNode; op: string }
  | { t: 'number'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'union'; lists: ListNode[] }
  | { t: 'ident'; name: string };

export class JsonPathSyntaxError extends Error {}

const list = (): ListNode => ({ t: 'list', nodes: [] });
const isEndOfLine = (c: string | undefined) => c === '\r' || c === '\n';
const isSpace = (c: string | undefined) => c === ' ' || c === '\t';
const isDigit = (c: string | undefined) => c !== undefined && /\p{Nd}/u.test(c);
const isAlphaNumeric = (c: string | undefined) => c !== undefined && (c === '_' || /[\p{L}\p{Nd}]/u.test(c));
function isTerminator(c: string | undefined): boolean {
  return c === undefined || isSpace(c) || isEndOfLine(c) || '.,[]$@{}'.includes(c);
}

/** Parses a whole template; throws JsonPathSyntaxError. */
export function parseJsonPath(text: string): ListNode {
  return new Parser(text).root;
}

/** Parses `{text}` and returns the action's list (client-go parseAction). */
function parseAction(text: string): ListNode {
  return parseJsonPath(`{${text}}`).nodes[0] as ListNode;
}

class Parser {
  readonly root = list();
  private pos = 0;
  private start = 0;

  constructor(private readonly input: string) {
    this.parseText(this.root);
  }

  private consume(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }
  private next(): string | undefined {
    if (this.pos >= this.input.length) return undefined;
    return this.input[this.pos++];
  }
  private backup(): void {
    this.pos--;
  }
  private peek(): string | undefined {
    return this.input[this.pos];
  }
  private rest(): string {
    return this.input.slice(this.pos);
  }

  private parseText(cur: ListNode): void {
    for (;;) {
      if (this.rest().startsWith('{')) {
        if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consume() });
        this.pos++;
        this.consume();
        const node = list();
        cur.nodes.push(node);
        return this.parseInsideAction(node);
      }
      if (this.next() === undefined) break;
    }
    if (this.pos > this.start) cur.nodes.push({ t: 'text', text: this.consume() });
  }

  private parseInsideAction(cur: ListNode): void {
    for (;;) {
      const rest = this.rest();
      if (rest.startsWith('}')) {
        this.pos++;
        this.consume();
        return this.parseText(this.root);
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        if (cur.nodes.at(-1)?.t === 'recursive') throw new JsonPathSyntaxError('invalid multiple recursive descent');
        this.pos += 2;
        this.consume();
        cur.nodes.push({ t: 'recursive' });
        if (isAlphaNumeric(this.peek())) this.parseField(cur);
        continue;
      }
      const r = this.next();
      if (r === undefined || isEndOfLine(r)) throw new JsonPathSyntaxError('unclosed action');
      if (r === ' ' || r === '@' || r === '$') this.consume();
      else if (r === '[') this.parseArray(cur);
      else if (r === '"' || r === "'") this.parseQuote(cur, r);
      else if (r === '.') this.parseField(cur);
      else if (r === '+' || r === '-' || isDigit(r)) {
        this.backup();
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.backup();
        this.parseIdentifier(cur);
      } else {
        const cp = r.codePointAt(0) ?? 0;
        throw new JsonPathSyntaxError(`unrecognized character in action: U+${cp.toString(16).toUpperCase().padStart(4, '0')} '${r}'`);
      }
    }
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const c = this.next();
      if (isTerminator(c)) {
        if (c !== undefined) this.backup();
        break;
      }
    }
    const value = this.consume();
    if (value === 'true' || value === 'false') cur.nodes.push({ t: 'bool', value: value === 'true' });
    else cur.nodes.push({ t: 'ident', name: value });
  }

  private parseNumber(cur: ListNode): void {
    const r = this.peek();
    if (r === '+' || r === '-') this.next();
    for (;;) {
      const c = this.next();
      if (c !== '.' && !isDigit(c)) {
        if (c !== undefined) this.backup();
        break;
      }
    }
    const value = this.consume();
    if (/^[+-]?\d+$/.test(value) || /^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) cur.nodes.push({ t: 'number', value: Number(value) });
    else throw new JsonPathSyntaxError(`cannot parse number ${value}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const c = this.next();
      if (c === undefined || c === '\n') throw new JsonPathSyntaxError('unterminated array');
      if (c === ']') break;
    }
    let text = this.consume().slice(1, -1);
    if (text === '*') text = ':';
    const strs = text.split(',');
    if (strs.length > 1) {
      cur.nodes.push({ t: 'union', lists: strs.map((s) => parseAction(`[${s.trim()}]`)) });
      return;
    }
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      cur.nodes.push(...parseAction(`.${dict[1]}`).nodes);
      return;
    }
    const m = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/.exec(text);
    if (!m) throw new JsonPathSyntaxError(`invalid array index ${text}`);
    const params: [ArrayParam, ArrayParam, ArrayParam] = [
      { known: false, value: 0 },
      { known: false, value: 0 },
      { known: false, value: 0 },
    ];
    for (let i = 0; i < 3; i++) {
      let v = m[i + 1] ?? '';
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params[i] = { known: false, value: 0 };
        else if (!/^[+-]?\d+$/.test(v)) throw new JsonPathSyntaxError(`array index ${v} is not a number`);
        else params[i] = { known: true, value: Number(v) };
      } else if (i === 1) params[i] = { known: true, value: params[0].value + 1 };
    }
    cur.nodes.push({ t: 'array', params });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consume();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new JsonPathSyntaxError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')' && begin === end) break;
    }
    if (this.next() !== ']') throw new JsonPathSyntaxError('unclosed array expect ]');
    const text = this.consume().slice(0, -2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (!m) cur.nodes.push({ t: 'filter', left: parseAction(text), right: list(), op: 'exists' });
    else cur.nodes.push({ t: 'filter', left: parseAction(m[1]), right: parseAction(m[3]), op: m[2] });
  }

  private parseQuote(cur: ListNode, end: string): void {
    for (;;) {
      const c = this.next();
      if (c === undefined || c === '\n') throw new JsonPathSyntaxError('unterminated quoted string');
      if (c === end && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consume();
    cur.nodes.push({ t: 'text', text: unquote(value) });
  }

  private parseField(cur: ListNode): void {
    this.consume();
    for (;;) {
      const c = this.next();
      if (c === '\\') this.next();
      else if (isTerminator(c)) {
        if (c !== undefined) this.backup();
        break;
      }
    }
    const value = this.consume();
    cur.nodes.push(value === '*' ? { t: 'wildcard' } : { t: 'field', name: value.replaceAll('\\', '') });
  }
}

/** strconv.Unquote extended to single-quoted strings. */
function unquote(s: string): string {
  const body = s.slice(1, -1);
  const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };
  return body.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[0-7]{3}|.)/g, (all, e: string) => {
    if (/^[uUx]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
    const v = escapes[e];
    if (v === undefined) throw new JsonPathSyntaxError(`unquote string ${s} error invalid syntax`);
    return v;
  });
}
