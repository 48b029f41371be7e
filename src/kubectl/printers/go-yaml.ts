/**
 * Serializes JSON values exactly as kubectl's YAML printer does (sigs.k8s.io/yaml JSONToYAML, i.e.
 * gopkg.in/yaml.v2 over the JSON): map keys in yaml.v2's natural order, sequences not indented under
 * their key, 2-space indentation, "{}"/"[]" for empty collections, and libyaml's scalar styles:
 * plain when unambiguous, '…' when plain is not allowed, "…" when the text would resolve to another
 * type (numbers, bools incl. yes/no/on/off, null, timestamps) or has special characters, | blocks for
 * multi-line text, and folding of long plain/quoted values at the first space past column 80.
 */
import { analyze, base60Re, isBreak, isPrintable, isSpace, resolvesToNonString, yamlKeyLess } from './yaml-scalar-analysis';

export { yamlKeyLess };

const BEST_WIDTH = 80;

class Emitter {
  out = '';
  column = 0;
  whitespace = true;

  write(s: string): void {
    for (const ch of s) {
      if (ch === '\n') {
        this.out += '\n';
        this.column = 0;
      } else {
        this.out += ch;
        this.column++;
      }
    }
  }

  indentTo(indent: number): void {
    this.write('\n' + ' '.repeat(indent));
  }

  /** libyaml's write_indent for a new node: a line break unless already at the start of a line. */
  newLine(indent: number): void {
    if (this.column === 0 && (this.out === '' || this.out.endsWith('\n'))) this.write(' '.repeat(indent));
    else this.indentTo(indent);
  }

  /** Writes a scalar string after the current position (a ' ' first unless at whitespace). */
  scalar(value: string, indent: number, key: boolean): void {
    const a = analyze(value);
    let style: 'plain' | 'single' | 'double' | 'literal';
    if (value.includes('\n')) style = 'literal';
    else if (!resolvesToNonString(value) && !base60Re.test(value)) style = 'plain';
    else style = 'double';
    if (style === 'plain' && (!a.blockPlain || (value === '' && key))) style = 'single';
    if (style === 'single' && !a.single) style = 'double';
    if (style === 'literal' && (!a.block || key)) style = 'double';
    const breaks = !key;
    if (!this.whitespace) this.write(' ');
    const cs = [...value];
    if (style === 'plain') {
      let spaces = false;
      for (let i = 0; i < cs.length; i++) {
        if (isSpace(cs[i])) {
          if (breaks && !spaces && this.column > BEST_WIDTH && !isSpace(cs[i + 1])) this.indentTo(indent);
          else this.write(' ');
          spaces = true;
        } else {
          this.write(cs[i]);
          spaces = false;
        }
      }
    } else if (style === 'single') {
      this.write("'");
      let spaces = false;
      for (let i = 0; i < cs.length; i++) {
        if (isSpace(cs[i])) {
          if (breaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cs.length - 1 && !isSpace(cs[i + 1])) this.indentTo(indent);
          else this.write(' ');
          spaces = true;
        } else {
          this.write(cs[i] === "'" ? "''" : cs[i]);
          spaces = false;
        }
      }
      this.write("'");
    } else if (style === 'double') {
      this.write('"');
      let spaces = false;
      for (let i = 0; i < cs.length; i++) {
        const c = cs[i];
        if (!isPrintable(c) || c === '\ufeff' || isBreak(c) || c === '"' || c === '\\') {
          this.write('\\' + escapeChar(c));
          spaces = false;
        } else if (isSpace(c)) {
          if (breaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cs.length - 1) {
            this.indentTo(indent);
            if (isSpace(cs[i + 1])) this.write('\\');
          } else this.write(' ');
          spaces = true;
        } else {
          this.write(c);
          spaces = false;
        }
      }
      this.write('"');
    } else {
      this.write('|');
      if (isSpace(cs[0]) || isBreak(cs[0])) this.write('2');
      const last = cs[cs.length - 1];
      if (!isBreak(last)) this.write('-');
      else if (cs.length === 1 || isBreak(cs[cs.length - 2])) this.write('+');
      let lineStart = true;
      this.write('\n');
      for (const c of cs) {
        if (isBreak(c)) {
          this.write('\n');
          lineStart = true;
        } else {
          if (lineStart) this.write(' '.repeat(indent));
          lineStart = false;
          this.write(c);
        }
      }
    }
    this.whitespace = false;
  }
}

function escapeChar(c: string): string {
  const named: Record<string, string> = { '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\x0b': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e', '"': '"', '\\': '\\', '\u0085': 'N', '\u00a0': '_', '\u2028': 'L', '\u2029': 'P' };
  if (named[c]) return named[c];
  const v = c.codePointAt(0) ?? 0;
  const hex = v.toString(16).toUpperCase();
  if (v <= 0xff) return 'x' + hex.padStart(2, '0');
  if (v <= 0xffff) return 'u' + hex.padStart(4, '0');
  return 'U' + hex.padStart(8, '0');
}

function isEmptyCollection(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : !!v && typeof v === 'object' && Object.keys(v).length === 0;
}

function isCollection(v: unknown): v is object {
  return !!v && typeof v === 'object' && !isEmptyCollection(v);
}

function scalarOrEmpty(e: Emitter, v: unknown, indent: number): void {
  if (v === null || v === undefined) return plainWord(e, 'null');
  if (typeof v === 'boolean') return plainWord(e, String(v));
  if (typeof v === 'number') return plainWord(e, formatNumber(v));
  if (Array.isArray(v)) return plainWord(e, '[]');
  if (typeof v === 'object') return plainWord(e, '{}');
  e.scalar(String(v), indent, false);
}

function plainWord(e: Emitter, w: string): void {
  if (!e.whitespace) e.write(' ');
  e.write(w);
  e.whitespace = false;
}

/** Go's strconv.FormatFloat(f, 'g', -1, 64) as yaml.v2 writes floats; integers as decimal. */
function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  const s = String(n);
  const exp = Math.abs(n) < 1e-4 || Math.abs(n) >= 1e21;
  if (!exp) return s;
  const m = /^(-?[\d.]+)e([+-])(\d+)$/.exec(n.toExponential());
  if (!m) return s;
  return `${m[1]}e${m[2]}${m[3].padStart(2, '0')}`;
}

function emitMapping(e: Emitter, obj: Record<string, unknown>, indent: number, first: boolean): void {
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort((a, b) => (yamlKeyLess(a, b) ? -1 : yamlKeyLess(b, a) ? 1 : 0));
  keys.forEach((k, i) => {
    if (!(first && i === 0)) {
      e.newLine(indent);
      e.whitespace = true;
    }
    e.scalar(k, indent + 2, true);
    e.write(':');
    e.whitespace = false;
    emitValue(e, obj[k], indent, true);
  });
}

function emitSequence(e: Emitter, arr: unknown[], indent: number, first: boolean): void {
  arr.forEach((item, i) => {
    if (!(first && i === 0)) e.newLine(indent);
    else if (!e.whitespace) e.write(' ');
    e.write('-');
    e.whitespace = false;
    emitValue(e, item, indent, false);
  });
}

/** Emits v as the value of a mapping key (inMapping) or a sequence item whose indicator sits at indent. */
function emitValue(e: Emitter, v: unknown, indent: number, inMapping: boolean): void {
  if (!isCollection(v)) return scalarOrEmpty(e, v, indent + 2);
  if (Array.isArray(v)) {
    if (inMapping) emitSequence(e, v, indent, false);
    else {
      e.write(' ');
      e.whitespace = true;
      emitSequence(e, v, indent + 2, true);
    }
    return;
  }
  if (inMapping) emitMapping(e, v as Record<string, unknown>, indent + 2, false);
  else {
    e.write(' ');
    e.whitespace = true;
    emitMapping(e, v as Record<string, unknown>, indent + 2, true);
  }
}

/** The YAML document kubectl prints for a JSON value (ends with a newline). */
export function toGoYaml(value: unknown): string {
  const e = new Emitter();
  if (isCollection(value)) {
    e.whitespace = true;
    if (Array.isArray(value)) emitSequence(e, value, 0, true);
    else emitMapping(e, value as Record<string, unknown>, 0, true);
  } else scalarOrEmpty(e, value, 0);
  return e.out + '\n';
}
