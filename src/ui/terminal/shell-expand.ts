/**
 * The shell's list and expansion layer, applied before parsePipeline:
 * - splitList cuts a line at unquoted `&&`, `||` and `;` (not inside `$(…)`); each item keeps the operator
 *   that precedes it. Throws Error(`syntax error near unexpected token …`) for an empty item before an operator.
 * - expand replaces `$NAME`, `${NAME}`, `$?` and `$(…)` outside single quotes. The result is re-quoted text for
 *   splitCommandLine: inside double quotes the value is escaped; unquoted it is word-split on whitespace and each
 *   word single-quoted, except in an assignment word (`NAME=$(…)`, also after `export`), which stays one word,
 *   as in bash. Unset names expand to nothing. Command substitution strips trailing newlines.
 * - maskSubstitutions blanks out `$(…)` so the raw text can be syntax-checked without running anything.
 */
export type ListOp = ';' | '&&' | '||';
export interface ListItem {
  /** The operator before this item (';' for the first). */
  op: ListOp;
  text: string;
}

/** Index just past the `)` closing the `$(` whose `(` is at `open`; -1 when unterminated. */
export function closingParen(s: string, open: number): number {
  let depth = 0;
  let q = '';
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (q) {
      if (c === q) q = '';
      else if (c === '\\' && q === '"') i++;
    } else if (c === "'" || c === '"') q = c;
    else if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

export function splitList(line: string): ListItem[] {
  const items: ListItem[] = [];
  let op: ListOp = ';';
  let start = 0;
  let q = '';
  const cut = (end: number, next: ListOp, width: number) => {
    const text = line.slice(start, end);
    if (!text.trim()) throw new Error(`syntax error near unexpected token \`${next}'`);
    items.push({ op, text });
    op = next;
    start = end + width;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) {
      if (c === q) q = '';
      else if (c === '\\' && q === '"') i++;
    } else if (c === "'" || c === '"') q = c;
    else if (c === '\\') i++;
    else if (c === '$' && line[i + 1] === '(') {
      const end = closingParen(line, i + 1);
      if (end < 0) throw new Error("unexpected EOF while looking for matching `)'");
      i = end - 1;
    } else if (c === ';') cut(i, ';', 1);
    else if ((c === '&' || c === '|') && line[i + 1] === c && line[i - 1] !== '>') {
      cut(i, c === '&' ? '&&' : '||', 2);
      i++;
    }
  }
  const rest = line.slice(start);
  if (rest.trim()) items.push({ op, text: rest });
  else if (op !== ';') throw new Error('syntax error near unexpected token `newline\'');
  return items;
}

export function maskSubstitutions(text: string): string {
  let out = '';
  let q = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q !== "'" && c === '$' && text[i + 1] === '(') {
      const end = closingParen(text, i + 1);
      if (end > 0) {
        out += 'x';
        i = end - 1;
        continue;
      }
    }
    if (q) {
      if (c === q) q = '';
      else if (c === '\\' && q === '"') {
        out += c + (text[++i] ?? '');
        continue;
      }
    } else if (c === "'" || c === '"') q = c;
    else if (c === '\\') {
      out += c + (text[++i] ?? '');
      continue;
    }
    out += c;
  }
  return out;
}

const singleQuote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

export interface ExpandContext {
  lookup(name: string): string | undefined;
  /** Runs a command line and returns its standard output. */
  substitute(line: string): Promise<string>;
}

export async function expand(text: string, ctx: ExpandContext): Promise<string> {
  let out = '';
  let wordStart = 0;
  let q = '';
  // Earlier words of the current simple command: an assignment word is one before the command name or after export.
  let words: string[] = [];
  const endWord = (sep: string) => {
    if (out.length > wordStart) words.push(out.slice(wordStart));
    if (sep !== ' ' && sep !== '\t') words = [];
  };
  const assignmentContext = () => {
    const cmd = words.find((w) => !ASSIGNMENT.test(w));
    return cmd === undefined || cmd === 'export';
  };
  const insert = (value: string) => {
    if (q === '"') out += value.replace(/[\\"$`]/g, (m) => '\\' + m);
    else if (ASSIGNMENT.test(out.slice(wordStart)) && assignmentContext()) out += singleQuote(value);
    else out += value.split(/[ \t\n]+/).filter(Boolean).map(singleQuote).join(' ');
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q === "'") {
      if (c === "'") q = '';
      out += c;
      continue;
    }
    if (c === '$') {
      const next = text[i + 1];
      if (next === '(') {
        const end = closingParen(text, i + 1);
        if (end > 0) {
          insert((await ctx.substitute(text.slice(i + 2, end - 1))).replace(/\n+$/, ''));
          i = end - 1;
          continue;
        }
      } else if (next === '?') {
        insert(ctx.lookup('?') ?? '');
        i++;
        continue;
      } else if (next === '{') {
        const close = text.indexOf('}', i + 2);
        const name = close > 0 ? text.slice(i + 2, close) : '';
        if (NAME.exec(name)?.[0] === name || name === '?') {
          insert(ctx.lookup(name) ?? '');
          i = close;
          continue;
        }
      } else {
        const name = NAME.exec(text.slice(i + 1))?.[0];
        if (name) {
          insert(ctx.lookup(name) ?? '');
          i += name.length;
          continue;
        }
      }
      out += c;
      continue;
    }
    if (q === '"') {
      if (c === '"') q = '';
      else if (c === '\\') out += c + (text[++i] ?? '');
      if (c !== '\\') out += c;
      continue;
    }
    if (c === "'" || c === '"') q = c;
    else if (c === '\\') {
      out += c + (text[++i] ?? '');
      continue;
    } else if (' \t|<>;&'.includes(c)) {
      endWord(c);
      out += c;
      wordStart = out.length;
      continue;
    }
    out += c;
  }
  return out;
}
